/**
 * What undistribute_table does not bring back (alter_table.c re-creates the
 * table and the views over it): comments and rules, which the rollback runs
 * again from the schema, and the sequence types Citus changed on
 * distribution (EnsureDistributedSequencesHaveOneType), which it cannot
 * change back: "Altering a distributed sequence is currently not supported."
 */
import type { CheckConstraint, Index } from '../catalog/model.js';
import { attachedIndex } from '../catalog/partitions.js';
import { displayName } from '../ingest/pg/index.js';
import type { PlanContext } from './context.js';
import { addCheck, attachIndexSql, createPlainIndex, dropConstraint, dropIndex } from './sql.js';
import { dropViewSql, withReaders } from './views.js';

const SEQUENCE_TYPES: Record<string, string> = { int2: 'smallint', int4: 'integer', int8: 'bigint' };

/**
 * The materialized views over the tables to undistribute, and the views over
 * those, in the order they are created: undistribute_table re-creates a
 * materialized view by running its query while the other tables it reads
 * are still distributed, which Citus may refuse ("the query contains a join
 * that requires repartitioning"), so the rollback drops them first.
 */
function rebuilt(ctx: PlanContext, back: ReadonlySet<string>): string[] {
  const views = ctx.catalog.views;
  const over = viewsReading(ctx, back);
  return withReaders(views, Object.keys(views).filter((k) => views[k].materialized && over.has(k)));
}

/** Rollback steps before the tables are undistributed: the materialized views over them, and what reads those, dropped. */
export function dropBeforeUndistribute(ctx: PlanContext, undistributed: readonly string[]): void {
  for (const { table, check } of notValidChecks(ctx, undistributed)) {
    ctx.undoStep(
      'distribute',
      dropConstraint(table, check.name),
      `undistribute_table makes ${displayName(table)} again with its CHECK constraints validated over every row: ${check.name} is NOT VALID (rows made before it may break it), so it is dropped here and comes back NOT VALID once the table is back.`,
      [],
      { table },
    );
  }
  for (const k of [...rebuilt(ctx, new Set(undistributed))].reverse()) {
    const v = ctx.catalog.views[k];
    ctx.undoStep(
      'distribute',
      dropViewSql(v),
      v.materialized
        ? `undistribute_table would re-create ${displayName(k)} by running its query over tables that are still distributed; it is dropped here and created again once every table is back.`
        : `${displayName(k)} reads a materialized view dropped here; it is created again with it.`,
      [],
      { table: k },
    );
  }
}

/** Rollback steps after every table is undistributed: the functions over their row types, and the views dropped before them. */
export function restoreAfterUndistribute(ctx: PlanContext, undistributed: readonly string[]): void {
  const catalog = ctx.catalog;
  const back = new Set(undistributed);
  for (const f of Object.values(catalog.functions)) {
    const over = (f.rowTypes ?? []).filter((t) => back.has(t));
    if (!over.length || !f.definition) continue;
    ctx.undoStep('distribute', f.definition, `undistribute_table drops the table with CASCADE, and ${displayName(f.key)}, which names the row type of ${over.map(displayName).join(', ')}, with it: created again as the schema defines it.`, [], { table: over[0] });
  }
  for (const k of rebuilt(ctx, back)) {
    const v = catalog.views[k];
    ctx.undoStep('distribute', v.definition!, `${displayName(k)} created again as the schema defines it, now over plain tables.`, [], { table: k });
    for (const ix of v.indexes ?? []) ctx.undoStep('distribute', ix, `The index of ${displayName(k)}, as the schema defines it.`, [], { table: k });
  }
  for (const { table, check } of notValidChecks(ctx, undistributed)) {
    ctx.undoStep('distribute', addCheck(table, check), `${check.name} on ${displayName(table)} again, NOT VALID as the schema has it.`, [], { table });
  }
  for (const k of undistributed) reattachIndexes(ctx, k);
}

/**
 * A partitioned table's indexes that differ only in order (`(a, b DESC)` and
 * `(a DESC, b DESC)`): when undistribute_table makes the table again,
 * PostgreSQL attaches each partition's index to the first parent index of
 * the same columns, so the pairs may cross. They are made again as pg_dump
 * makes them: each ON ONLY the table, each partition's under its own name,
 * attached by name.
 */
function reattachIndexes(ctx: PlanContext, key: string): void {
  const t = ctx.catalog.tables[key];
  if (t?.relkind !== 'partitioned' || ctx.stuck.has(key)) return;
  const plain = t.indexes.filter((i) => !i.unique && !i.constraint);
  const crossing = plain.filter((i) => plain.some((o) => o !== i && attachedIndex(i, o) && (o.elements ?? []).join('\u0000') !== (i.elements ?? []).join('\u0000')));
  if (!crossing.length) return;
  const parts = Object.values(ctx.catalog.tables).filter((p) => p.partitionOf?.parent === key).sort((a, b) => (a.key < b.key ? -1 : 1));
  const children = (i: Index) => parts.flatMap((p) => p.indexes.filter((x) => x.attachedTo === i.name).map((x) => ({ p, x })));
  const whole = crossing.filter((i) => children(i).length === parts.length);
  if (!whole.length) return;
  const why = `PostgreSQL attaches each partition's index to the first index of ${displayName(key)} on the same columns, whatever their order`;
  for (const i of whole) ctx.undoStep('distribute', dropIndex(key, i.name), `undistribute_table made ${displayName(key)} again: ${why}, so ${i.name} and the partition indexes now under it are dropped ...`, [], { table: key });
  for (const i of whole) {
    ctx.undoStep('distribute', createPlainIndex(key, i, true), `... and ${i.name} made again on ${displayName(key)} alone ...`, [], { table: key });
    for (const { p, x } of children(i)) {
      ctx.undoStep('distribute', createPlainIndex(p.key, x), `... ${x.name} on ${displayName(p.key)} as the schema has it ...`, [], { table: key });
      ctx.undoStep('distribute', attachIndexSql(key, i.name, p.key, x.name), `... and attached to ${i.name}.`, [], { table: key });
    }
  }
}

/**
 * The NOT VALID CHECK constraints of the tables undistribute_table makes
 * again, in table order; a partition's are its partitioned table's, which
 * take them along.
 */
function notValidChecks(ctx: PlanContext, undistributed: readonly string[]): Array<{ table: string; check: CheckConstraint }> {
  return [...undistributed]
    .sort()
    .filter((k) => !ctx.stuck.has(k))
    .flatMap((k) => {
      const t = ctx.catalog.tables[k];
      return t && !t.partitionOf ? t.checks.filter((c) => c.notValid).map((check) => ({ table: k, check })) : [];
    });
}

/**
 * The rollback's last steps: every table's rules, CLUSTER ON markings and
 * comments set again, as the schema sets them (each statement is
 * idempotent). undistribute_table drops them, also from the tables Citus
 * made citus local tables on its own, and the original keys come back as new
 * indexes, unmarked; so they run after everything else.
 */
export function restoreMarkings(ctx: PlanContext, undistributed: readonly string[]): void {
  const catalog = ctx.catalog;
  if (!undistributed.length) return;
  for (const r of catalog.ruleDefinitions ?? []) {
    if (!ctx.table(r.table).rules.includes(r.name)) continue;
    ctx.undoStep('preflight', r.sql, `undistribute_table re-creates a table without its rules: ${r.name} on ${displayName(r.table)} as the schema defines it.`, [], { table: r.table });
  }
  for (const c of catalog.clusterOn ?? []) {
    if (!catalog.tables[c.relation] && !catalog.views[c.relation]?.materialized) continue;
    ctx.undoStep('preflight', c.sql, `undistribute_table re-creates a table without its CLUSTER ON marking: ${displayName(c.relation)} is clustered on ${c.index} again.`, [], { table: c.relation });
  }
  for (const c of catalog.comments ?? []) {
    const table = catalog.tables[c.relation];
    if (!table && !catalog.views[c.relation]) continue;
    if (c.column !== undefined && table && !table.columns.some((x) => x.name === c.column)) continue;
    // an index the migration dropped and made again is a new index: it lost its comment too
    if (c.index !== undefined && !table?.indexes.some((x) => x.name === c.index)) continue;
    const what = c.index !== undefined ? `index ${c.index} of ${displayName(c.relation)}` : c.column !== undefined ? `${displayName(c.relation)}.${c.column}` : displayName(c.relation);
    ctx.undoStep('preflight', c.sql, `undistribute_table re-creates tables and the views over them without their comments: the comment on ${what} as the schema sets it.`, [], { table: c.relation });
  }
}

/** The views (by key) that read one of `tables`, directly or through other views, with the tables they read. */
function viewsReading(ctx: PlanContext, tables: ReadonlySet<string>): Map<string, string[]> {
  const views = ctx.catalog.views;
  const out = new Map<string, string[]>();
  const reach = (key: string, seen: Set<string>): string[] => {
    if (tables.has(key)) return [key];
    const v = views[key];
    if (!v || seen.has(key)) return [];
    seen.add(key);
    return [...new Set(v.reads.flatMap((r) => reach(r, seen)))].sort();
  };
  for (const key of Object.keys(views)) {
    const read = reach(key, new Set());
    if (read.length) out.set(key, read);
  }
  return out;
}

/**
 * The local tables Citus makes citus local tables on its own: those joined by
 * foreign keys, through other local tables, to a reference table
 * (citus.enable_local_reference_table_foreign_keys, the default).
 */
function autoConverted(ctx: PlanContext, citusTables: readonly string[]): string[] {
  const kind = (k: string) => ctx.design.tables[k]?.kind ?? 'local';
  const links = new Map<string, string[]>();
  const link = (a: string, b: string) => links.set(a, [...(links.get(a) ?? []), b]);
  for (const t of Object.values(ctx.catalog.tables)) {
    for (const fk of t.foreignKeys) {
      link(t.key, fk.refTable);
      link(fk.refTable, t.key);
    }
  }
  const seen = new Set<string>();
  const queue = citusTables.filter((k) => kind(k) === 'reference');
  while (queue.length) {
    const k = queue.pop()!;
    for (const n of links.get(k) ?? []) {
      if (seen.has(n) || kind(n) !== 'local' || !ctx.catalog.tables[n]) continue;
      seen.add(n);
      queue.push(n);
    }
  }
  return [...seen].sort();
}

/** The sequences whose type Citus changes to their column's when it distributes the table: the rollback cannot change them back. */
export function sequenceTypeLosses(ctx: PlanContext, citusTables: readonly string[]): string[] {
  const out: string[] = [];
  for (const key of [...citusTables, ...autoConverted(ctx, citusTables)]) {
    for (const col of ctx.table(key).columns) {
      const seq = col.defaultSequence ? ctx.catalog.sequences[col.defaultSequence] : undefined;
      const type = ctx.widened.has(`${key}\u0000${col.name}`) ? 'bigint' : SEQUENCE_TYPES[col.type.base];
      if (!seq || !type || (ctx.widenedSequences.has(seq.key) ? 'bigint' : seq.dataType) === type) continue;
      out.push(
        `Citus makes sequence ${displayName(seq.key)} ${type} like ${displayName(key)}.${col.name} when the table becomes a Citus table (it was ${seq.dataType}); undistribute_table leaves it ${type}, and Citus refuses to change it back ("Altering a distributed sequence is currently not supported.").`,
      );
    }
  }
  return [...new Set(out)].sort();
}
