/** UQ01: every PK / UNIQUE / unique index / EXCLUDE on a distributed table must contain the distribution column. */
import { splitKey } from '../ingest/pg/names.js';
import type { ExclusionConstraint, UniqueKey } from '../catalog/model.js';
import { defineRule } from './model.js';
import { columnList, displayName, dropConstraintSql, quoteIdent, sqlName } from './helpers.js';

export default defineRule({
  id: 'UQ01',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (facts.kind !== 'distributed' || !facts.column) continue;
      const table = facts.table;
      const col = facts.column.name;
      const base = { table: displayName(key), column: col };
      const pk = table.primaryKey;
      if (pk && !pk.columns.includes(col)) {
        ctx.report({
          messageId: 'primaryKey',
          data: { ...base, constraint: pk.name, columns: pk.columns.join(', ') },
          at: pk.location,
          table: key,
          column: col,
          fix: {
            sql: [
              dropConstraintSql(key, pk.name),
              `ALTER TABLE ${sqlName(key)} ADD CONSTRAINT ${quoteIdent(pk.name)} PRIMARY KEY (${columnList([col, ...pk.columns])})` +
                (pk.include.length ? ` INCLUDE (${columnList(pk.include)})` : '') +
                (pk.deferrable ? ' DEFERRABLE' : '') +
                ';',
            ].join('\n'),
          },
        });
      }
      for (const u of table.uniques) {
        if (u.columns.includes(col)) continue;
        const inExpression = u.expressions.some((e) => mentions(e, col));
        const shown = elements(u).join(', ');
        ctx.report({
          messageId: inExpression ? 'expression' : u.source === 'index' ? 'uniqueIndex' : 'unique',
          data: { ...base, constraint: u.name, columns: shown },
          at: u.location,
          table: key,
          column: col,
          fix: { sql: uniqueRewrite(key, u, col) },
        });
      }
      for (const x of table.exclusions) {
        const el = x.elements.find((e) => e.column === col);
        if (el && el.operator === '=') continue;
        ctx.report({
          messageId: el ? 'exclusionOperator' : 'exclusion',
          data: { ...base, constraint: x.name, operator: el?.operator ?? '=' },
          at: x.location,
          table: key,
          column: col,
          ...(el ? {} : { fix: { sql: exclusionRewrite(key, x, col) } }),
        });
      }
    }
  },
});

/** True when an expression names the column as a word (not inside a string or another identifier). */
function mentions(expression: string, column: string): boolean {
  const re = new RegExp(`(^|[^A-Za-z0-9_$."])("?)${column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\2(?![A-Za-z0-9_$"])`);
  return re.test(expression.replace(/'(?:[^']|'')*'/g, "''"));
}

function elements(u: UniqueKey): string[] {
  let e = 0;
  return u.columns.map((c) => (c === null ? `(${u.expressions[e++]})` : quoteIdent(c)));
}

function uniqueRewrite(key: string, u: UniqueKey, col: string): string {
  const els = [quoteIdent(col), ...elements(u)].join(', ');
  const include = u.include.length ? ` INCLUDE (${columnList(u.include)})` : '';
  const nnd = u.nullsNotDistinct ? ' NULLS NOT DISTINCT' : '';
  if (u.source === 'constraint' && !u.expressions.length && !u.where) {
    return [
      dropConstraintSql(key, u.name),
      `ALTER TABLE ${sqlName(key)} ADD CONSTRAINT ${quoteIdent(u.name)} UNIQUE${nnd} (${els})${include}${u.deferrable ? ' DEFERRABLE' : ''};`,
    ].join('\n');
  }
  const { schema } = splitKey(key);
  const indexName = schema === 'public' ? quoteIdent(u.name) : `${quoteIdent(schema)}.${quoteIdent(u.name)}`;
  return [
    `DROP INDEX ${indexName};`,
    `CREATE UNIQUE INDEX ${quoteIdent(u.name)} ON ${sqlName(key)} (${els})${include}${nnd}${u.where ? ` WHERE ${u.where}` : ''};`,
  ].join('\n');
}

function exclusionRewrite(key: string, x: ExclusionConstraint, col: string): string {
  const els = [`${quoteIdent(col)} WITH =`, ...x.elements.map((e) => `${e.column !== undefined ? quoteIdent(e.column) : `(${e.expression})`} WITH ${e.operator}`)];
  return [
    dropConstraintSql(key, x.name),
    `ALTER TABLE ${sqlName(key)} ADD CONSTRAINT ${quoteIdent(x.name)} EXCLUDE USING ${x.method} (${els.join(', ')})${x.where ? ` WHERE (${x.where})` : ''};`,
  ].join('\n');
}
