/**
 * Table constraints: PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY, EXCLUDE and
 * NOT NULL, written in CREATE TABLE or added by ALTER TABLE (also `USING
 * INDEX`), named as PostgreSQL names them, with the indexes that back them;
 * PostgreSQL's clones of a partitioned table's keys on its partitions; and
 * what goes when a constraint is dropped.
 */
import type { Constraint } from '../ingest/pg/ast.js';
import { columnRefFields, deparseNode, namesOf, nodeAs, qualifiedKey, walkNodes } from '../ingest/pg/index.js';
import { shown } from '../ingest/inert.js';
import type { BuildContext } from './context.js';
import { foreignKeyOf, resolveReferencesTo } from './foreign-keys.js';
import type { Index, KeyConstraint, Location } from './model.js';
import { chooseName, columnsPart } from './naming.js';
import { partitions } from './relocate.js';
import type { MTable } from './state.js';

/** Table-level constraint (or a column constraint rewritten to one). */
export function addConstraint(ctx: BuildContext, t: MTable, con: Constraint, columnName?: string): void {
  const location = ctx.here(con.location);
  const keys = namesOf(con.keys);
  let include = namesOf(con.including);
  // ADD CONSTRAINT ... USING INDEX: the index becomes the constraint's, renamed to the constraint's name.
  const adopted = con.indexname ? t.indexes.find((i) => i.name === con.indexname) : undefined;
  if (adopted) {
    if (!include.length) include = [...adopted.include];
    t.indexes = t.indexes.filter((i) => i !== adopted);
    t.uniques = t.uniques.filter((u) => !(u.source === 'index' && u.name === adopted.name));
    ctx.indexOwner.delete(qualifiedKey(t.schema, adopted.name));
  }
  const adoptedColumns = adopted ? (adopted.columns.filter((c) => c !== null) as string[]) : [];
  const deferrable = !!con.deferrable;
  const deferred = deferrable && con.initdeferred ? { initiallyDeferred: true as const } : {};
  const cloneOnPartitions = () => {
    if (t.relkind === 'partitioned' && ctx.statementRecurses()) for (const p of partitions(ctx, t)) addConstraint(ctx, p, { ...con, conname: undefined });
  };
  switch (con.contype) {
    case 'CONSTR_PRIMARY': {
      const cols = keys.length ? keys : adoptedColumns;
      const name = con.conname ?? con.indexname ?? chooseName(t.name, undefined, 'pkey', (n) => constraintNameTaken(ctx, t, n));
      setPrimaryKey(ctx, t, { name, columns: cols, include, deferrable, ...deferred, location });
      for (const c of cols) {
        const col = t.columns.find((x) => x.name === c);
        if (col) col.notNull = true;
      }
      cloneOnPartitions();
      return;
    }
    case 'CONSTR_UNIQUE': {
      const cols = keys.length ? keys : adoptedColumns;
      const name = con.conname ?? con.indexname ?? chooseName(t.name, columnsPart(cols), 'key', (n) => constraintNameTaken(ctx, t, n));
      t.uniques.push({
        name,
        source: 'constraint',
        columns: cols,
        expressions: [],
        include,
        nullsNotDistinct: !!con.nulls_not_distinct,
        deferrable,
        ...deferred,
        location,
      });
      addConstraintIndex(ctx, t, name, true, cols, include, location);
      cloneOnPartitions();
      return;
    }
    case 'CONSTR_CHECK': {
      const expression = con.raw_expr ? deparseNode(con.raw_expr) : '';
      const name = con.conname ?? chooseName(t.name, soleColumnRef(con.raw_expr), 'check', (n) => constraintNameTaken(ctx, t, n));
      t.checks.push({ name, expression, noInherit: !!con.is_no_inherit, notValid: !!con.skip_validation, location });
      return;
    }
    case 'CONSTR_FOREIGN': {
      const fk = foreignKeyOf(ctx, con, location, (cols) => chooseName(t.name, columnsPart(cols), 'fkey', (n) => constraintNameTaken(ctx, t, n)));
      // PostgreSQL refuses a key over a column that does not exist, on either side: so does the catalog
      const ref = ctx.tables.get(fk.refTable);
      const missing = [
        ...fk.columns.filter((c) => !t.columns.some((x) => x.name === c)),
        ...(ref ? fk.refColumns.filter((c) => !ref.columns.some((x) => x.name === c)) : []),
      ];
      if (missing.length) {
        ctx.diagnostics.push({
          code: 'unknown-object',
          severity: 'error',
          message: `column "${shown(missing[0])}" referenced in foreign key constraint does not exist (PostgreSQL refuses the constraint; it was left out)`,
          location,
          hint: 'fix the column name in the constraint',
        });
        return;
      }
      t.foreignKeys.push(fk);
      if (t.relkind === 'partitioned') for (const p of partitions(ctx, t)) p.foreignKeys.push({ ...fk });
      return;
    }
    case 'CONSTR_EXCLUSION': {
      const elements = (con.exclusions ?? []).map((pair) => {
        const [elem, ops] = nodeAs(pair, 'List')?.items ?? [];
        const ie = nodeAs(elem, 'IndexElem') ?? {};
        const operator = namesOf(nodeAs(ops, 'List')?.items).join('.');
        return ie.name ? { column: ie.name, operator } : { expression: ie.expr ? deparseNode(ie.expr) : '', operator };
      });
      const cols = elements.map((e) => e.column ?? null);
      const name = con.conname ?? chooseName(t.name, columnsPart(cols), 'excl', (n) => constraintNameTaken(ctx, t, n));
      const where = con.where_clause ? deparseNode(con.where_clause) : undefined;
      const deferral = deferrable ? { deferrable: true as const, ...(con.initdeferred ? { initiallyDeferred: true as const } : {}) } : {};
      t.exclusions.push({ name, method: con.access_method ?? 'gist', elements, where, ...deferral, location });
      addConstraintIndex(ctx, t, name, false, cols, [], location, con.access_method ?? 'gist');
      return;
    }
    case 'CONSTR_NOTNULL': {
      for (const k of keys) {
        const col = t.columns.find((c) => c.name === k);
        if (col) col.notNull = true;
      }
      return;
    }
    default:
      return;
  }
}

/**
 * `t`'s primary key, with the index that backs it; foreign keys that wait for
 * it (they name no columns) now reference its columns.
 */
export function setPrimaryKey(ctx: BuildContext, t: MTable, pk: KeyConstraint, indexLocation = pk.location): void {
  t.primaryKey = pk;
  addConstraintIndex(ctx, t, pk.name, true, pk.columns, pk.include, indexLocation);
  resolveReferencesTo(ctx, t);
}

export function addConstraintIndex(
  ctx: BuildContext,
  t: MTable,
  name: string,
  unique: boolean,
  columns: Array<string | null>,
  include: string[],
  location: Location,
  method = 'btree',
): void {
  const existing = t.indexes.findIndex((i) => i.name === name);
  const idx: Index = { name, unique, method, columns, expressions: [], include, constraint: name, location };
  if (existing >= 0) t.indexes[existing] = idx;
  else t.indexes.push(idx);
  ctx.indexOwner.set(qualifiedKey(t.schema, name), t.key);
}

/**
 * Is a constraint name taken where PostgreSQL looks (ChooseConstraintName):
 * by any constraint in the table's schema, or by a relation there.
 */
export function constraintNameTaken(ctx: BuildContext, t: MTable, name: string): boolean {
  const has = (x: MTable) =>
    x.primaryKey?.name === name ||
    x.uniques.some((u) => u.name === name) ||
    x.checks.some((c) => c.name === name) ||
    x.foreignKeys.some((f) => f.name === name) ||
    x.exclusions.some((e) => e.name === name);
  if (has(t) || ctx.relationNameTaken(t.schema, name)) return true;
  for (const x of ctx.tables.values()) if (x.schema === t.schema && has(x)) return true;
  return false;
}

/** Drop the constraint named `n` of `t`, with the index that backs it. */
export function dropConstraint(ctx: BuildContext, t: MTable, n: string): void {
  if (t.primaryKey?.name === n) delete t.primaryKey;
  t.uniques = t.uniques.filter((u) => !(u.source === 'constraint' && u.name === n));
  t.checks = t.checks.filter((u) => u.name !== n);
  t.foreignKeys = t.foreignKeys.filter((u) => u.name !== n);
  t.exclusions = t.exclusions.filter((u) => u.name !== n);
  for (const i of t.indexes) if (i.constraint === n) ctx.indexOwner.delete(qualifiedKey(t.schema, i.name));
  t.indexes = t.indexes.filter((i) => i.constraint !== n);
}

/**
 * The column a CHECK's default name takes (AddRelationNewConstraints): the
 * one column its expression reads, none when it reads several (whether the
 * constraint was written on a column or on the table).
 */
function soleColumnRef(expr: Constraint['raw_expr']): string | undefined {
  const found = new Set<string>();
  walkNodes(expr, (tag, _body, node) => {
    const ref = tag === 'ColumnRef' ? nodeAs(node, 'ColumnRef') : undefined;
    const last = ref ? columnRefFields(ref).at(-1) : undefined;
    if (last && last !== '*') found.add(last);
  });
  return found.size === 1 ? [...found][0] : undefined;
}
