/**
 * Phase 2, prepare: the distribution columns a design adds, filled along
 * their foreign key path in committed batches, then made NOT NULL
 * (citus-rules.md §5).
 */
import type { Column } from '../catalog/model.js';
import { displayName, quoteIdent, sqlName, qualifiedKey } from '../ingest/pg/index.js';
import { topoOrder, type PlanContext } from './context.js';
import { PlanError } from './model.js';
import { columnList, dollarQuote } from './sql.js';

export interface BackfillPlan {
  readonly table: string;
  readonly column: string;
  /** The type of the added column (the source column's, bigint when that is widened). */
  type: string;
  /** Join hops from the table to the table the value is read from. */
  readonly hops: Array<{ table: string; columns: string[]; refTable: string; refColumns: string[] }>;
  readonly sourceColumn: string;
}

/** The added distribution columns to fill, each after those it copies from; records them as added. */
export function backfills(ctx: PlanContext): BackfillPlan[] {
  const keys = Object.keys(ctx.design.tables)
    .filter((k) => ctx.design.tables[k].kind === 'distributed' && ctx.design.tables[k].backfill)
    .sort();
  const byKey = new Map(keys.map((k) => [k, ctx.design.tables[k]]));
  const deps = new Map<string, string[]>();
  for (const k of keys) {
    const b = byKey.get(k)!.backfill!;
    const hops = b.path?.length ? b.path : [{ table: k, columns: b.join, refTable: b.from, refColumns: [] as string[] }];
    deps.set(k, hops.map((h) => h.refTable).filter((r) => byKey.has(r) && r !== k));
  }
  const ordered = topoOrder(keys, (k) => deps.get(k) ?? []);
  const out: BackfillPlan[] = [];
  for (const k of ordered) {
    const d = byKey.get(k)!;
    const column = d.column!;
    const t = ctx.table(k);
    if (t.partitionOf) continue;
    const b = d.backfill!;
    const path = (b.path?.length ? b.path : [{ table: k, columns: b.join, refTable: b.from, refColumns: [] }]).map((h) => ({
      table: h.table,
      columns: [...h.columns],
      refTable: h.refTable,
      refColumns: h.refColumns.length ? [...h.refColumns] : refColumnsOf(ctx, h.table, h.columns, h.refTable),
    }));
    if (path[0].table !== k) throw new PlanError(`the backfill path of ${displayName(k)} does not start at ${displayName(k)}`);
    let hops: BackfillPlan['hops'] | undefined;
    for (let i = 0; i < path.length; i++) {
      if (ctx.hasColumn(path[i].refTable, column)) {
        hops = path.slice(0, i + 1);
        break;
      }
    }
    if (!hops) throw new PlanError(`no table on the backfill path of ${displayName(k)} has the column ${column} to copy`);
    const end = hops[hops.length - 1].refTable;
    const src = sourceColumn(ctx, end, column);
    const collation = src.collation ? ` COLLATE ${src.collation.split('.').map(quoteIdent).join('.')}` : '';
    out.push({ table: k, column, type: `${src.type.display}${collation}`, hops, sourceColumn: column });
    if (!t.columns.some((c) => c.name === column)) {
      const set = ctx.added.get(k) ?? new Set<string>();
      set.add(column);
      ctx.added.set(k, set);
    }
  }
  return out;
}

/** The referenced columns of the FK on `table` over `columns` to `refTable`, else refTable's primary key. */
function refColumnsOf(ctx: PlanContext, table: string, columns: string[], refTable: string): string[] {
  const fk = ctx.table(table).foreignKeys.find((f) => f.refTable === refTable && f.columns.join(',') === columns.join(','));
  const cols = fk?.refColumns ?? ctx.table(refTable).primaryKey?.columns;
  if (!cols?.length) throw new PlanError(`cannot tell which columns of ${displayName(refTable)} ${displayName(table)}(${columns.join(', ')}) joins to`);
  return [...cols];
}

/** The column a backfill copies (native, or added by an earlier backfill: then its own source). */
function sourceColumn(ctx: PlanContext, key: string, column: string): Column {
  const native = ctx.table(key).columns.find((c) => c.name === column);
  if (native) return native;
  const b = ctx.design.tables[key]?.backfill;
  if (!b) throw new PlanError(`${displayName(key)} has no column ${column}`);
  const path = b.path?.length ? b.path : [{ refTable: b.from }];
  for (const h of path) {
    const c = ctx.table(h.refTable).columns.find((x) => x.name === column);
    if (c) return c;
  }
  return sourceColumn(ctx, b.from, column);
}

/** The steps that add the column (when new), fill it batch by batch and make it NOT NULL. */
export function backfill(ctx: PlanContext, b: BackfillPlan): void {
  const t = ctx.table(b.table);
  const tn = sqlName(b.table);
  const col = quoteIdent(b.column);
  const pathText = [displayName(b.table), ...b.hops.map((h) => displayName(h.refTable))].join(' -> ');
  const exists = t.columns.some((c) => c.name === b.column);
  if (!exists) {
    ctx.step('prepare', `ALTER TABLE ${tn} ADD COLUMN ${col} ${b.type}`, `${displayName(b.table)} has no ${b.column} yet: add it (nullable, no default, so no table rewrite) before filling it.`, { table: b.table });
    ctx.undoStep('prepare', `ALTER TABLE ${tn} DROP COLUMN ${col}`, `Drop the distribution column the migration added to ${displayName(b.table)}.`, [b.table], { table: b.table });
  }
  const procKey = qualifiedKey(t.schema, `shardwise_backfill_${ctx.steps.filter((s) => s.sql.startsWith('CREATE PROCEDURE')).length + 1}`);
  const proc = sqlName(procKey, true);
  ctx.step(
    'prepare',
    `CREATE PROCEDURE ${proc}(_sw_batch integer)\nLANGUAGE plpgsql\nAS ${dollarQuote(backfillBody(ctx, b), 'backfill')}`,
    `Fills ${displayName(b.table)}.${b.column} along ${pathText}, ${t.primaryKey ? 'in keyed ranges of the primary key' : 'in batches of rows still NULL (no primary key)'}, committing after each batch so that a live system only ever waits for one batch.`,
    { table: b.table },
  );
  ctx.step('prepare', `CALL ${proc}(${ctx.batch})`, `Run the fill, ${ctx.batch} rows per transaction; the procedure commits between batches, so CALL must not run inside BEGIN ... COMMIT. Safe to run again: it only fills rows that are still NULL.`, {
    table: b.table,
    transactional: false,
  });
  ctx.step('prepare', `DROP PROCEDURE ${proc}(integer)`, 'The fill procedure is not needed any more.', { table: b.table });
  ctx.step(
    'prepare',
    `ALTER TABLE ${tn} ALTER COLUMN ${col} SET NOT NULL`,
    `Every row must now have ${b.column}: Citus refuses NULL distribution keys ("the partition column of table ... cannot be NULL"). This fails if a row has no path to a value (a NULL or dangling ${b.hops[0].columns.join(', ')}), or was inserted after the fill passed its range: have the application write ${b.column} on insert before this migration, or CALL the fill once more before the procedure is dropped.`,
    { table: b.table },
  );
  if (exists) ctx.undoStep('prepare', `ALTER TABLE ${tn} ALTER COLUMN ${col} DROP NOT NULL`, `${b.column} was nullable before the migration.`, [b.table], { table: b.table });
}

/** PL/pgSQL of the batched fill. */
function backfillBody(ctx: PlanContext, b: BackfillPlan): string {
  const t = ctx.table(b.table);
  const tn = sqlName(b.table);
  const col = quoteIdent(b.column);
  const from = b.hops.map((h, i) => `${sqlName(h.refTable)} AS _sw_p${i + 1}`).join(', ');
  const joinConds = (alias: string) =>
    b.hops.flatMap((h, i) => h.columns.map((c, j) => `${i === 0 ? alias : `_sw_p${i}`}.${quoteIdent(c)} = _sw_p${i + 1}.${quoteIdent(h.refColumns[j])}`));
  const src = `_sw_p${b.hops.length}.${quoteIdent(b.sourceColumn)}`;
  const update = (extra: string[]) =>
    [`  UPDATE ${tn} AS _sw_t SET ${col} = ${src}`, `  FROM ${from}`, `  WHERE ${[...joinConds('_sw_t'), `_sw_t.${col} IS NULL`, ...extra].join('\n    AND ')};`].join('\n');
  const pk = t.primaryKey?.columns;
  if (!pk?.length) {
    return [
      'DECLARE',
      '  _sw_n bigint;',
      'BEGIN',
      '  LOOP',
      update([
        `_sw_t.ctid = ANY (ARRAY(\n      SELECT _sw_b.ctid FROM ${tn} AS _sw_b, ${b.hops.map((h, i) => `${sqlName(h.refTable)} AS _sw_q${i + 1}`).join(', ')}\n      WHERE ${[
          ...b.hops.flatMap((h, i) => h.columns.map((c, j) => `${i === 0 ? '_sw_b' : `_sw_q${i}`}.${quoteIdent(c)} = _sw_q${i + 1}.${quoteIdent(h.refColumns[j])}`)),
          `_sw_b.${col} IS NULL`,
          `_sw_q${b.hops.length}.${quoteIdent(b.sourceColumn)} IS NOT NULL`,
        ].join(' AND ')}\n      LIMIT _sw_batch))`,
      ]).replace(/^ {2}/gm, '    '),
      '    GET DIAGNOSTICS _sw_n = ROW_COUNT;',
      '    COMMIT;',
      '    EXIT WHEN _sw_n = 0;',
      '  END LOOP;',
      'END',
    ].join('\n');
  }
  const keyType = (c: string) => `${sqlName(b.table, true)}.${quoteIdent(c)}%TYPE`;
  const lo = pk.map((_, i) => `_sw_lo_${i + 1}`);
  const hi = pk.map((_, i) => `_sw_hi_${i + 1}`);
  const keys = columnList(pk);
  const tkeys = `(${pk.map((c) => `_sw_t.${quoteIdent(c)}`).join(', ')})`;
  const desc = pk.map((c) => `_sw_k.${quoteIdent(c)} DESC`).join(', ');
  const bound = (where: string) =>
    `  SELECT ${pk.map((c) => `_sw_k.${quoteIdent(c)}`).join(', ')} INTO ${hi.join(', ')}\n  FROM (SELECT ${keys} FROM ${tn}${where} ORDER BY ${keys} LIMIT _sw_batch) AS _sw_k\n  ORDER BY ${desc} LIMIT 1;`;
  return [
    'DECLARE',
    ...pk.flatMap((c, i) => [`  ${lo[i]} ${keyType(c)};`, `  ${hi[i]} ${keyType(c)};`]),
    'BEGIN',
    bound(''),
    '  IF NOT FOUND THEN RETURN; END IF;',
    update([`${tkeys} <= (${hi.join(', ')})`]),
    '  COMMIT;',
    '  LOOP',
    `    ${lo.map((l, i) => `${l} := ${hi[i]};`).join(' ')}`,
    bound(` WHERE (${keys}) > (${lo.join(', ')})`).replace(/^ {2}/gm, '    '),
    '    EXIT WHEN NOT FOUND;',
    update([`${tkeys} > (${lo.join(', ')})`, `${tkeys} <= (${hi.join(', ')})`]).replace(/^ {2}/gm, '    '),
    '    COMMIT;',
    '  END LOOP;',
    'END',
  ].join('\n');
}
