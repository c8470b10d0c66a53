/**
 * PostgreSQL's dependency check for DROP TABLE (catalog/dependency.c), with
 * objects described as getObjectDescription() does (objectaddress.c): FKs
 * from other tables, views reading the table (transitively) and inheritance
 * children. Without CASCADE they make the DROP fail; with it they are
 * dropped too, with a NOTICE.
 */
import type { ForeignKey, Index, Table } from '../../catalog/model.js';
import type { ObjectType } from '../../ingest/pg/ast.js';
import { makeNode, quoteIdent, splitKey } from '../../ingest/pg/index.js';
import { CitusError, DEPENDENT_OBJECTS } from './errors.js';
import type { ClusterState } from './state.js';

/** getObjectDescription() of a relation: qualified only when not visible on the search path. */
function describe(s: ClusterState, key: string, what: string): string {
  const { schema, name } = splitKey(key);
  const visible = s.resolve(quoteIdent(name)) === key;
  return `${what} ${visible ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`}`;
}

/**
 * The objects depending on the `tables` a DROP drops (`named`: those it
 * names). Returns what drops the dependent views from the catalog, to run
 * once nothing can fail any more.
 */
export function dropDependents(s: ClusterState, tables: readonly string[], named: readonly string[], cascade: boolean): () => void {
  const dropped = new Set(tables);
  const catalog = s.builder.view(); // read before anything changes: no copy needed
  const viewWord = (k: string) => (catalog.views[k]?.materialized ? 'materialized view' : 'view');
  const found: Array<{ text: string; view?: string }> = [];
  const describeDropped = (k: string) => (catalog.views[k] ? describe(s, k, viewWord(k)) : describe(s, k, 'table'));
  for (const t of s.builder.peekTables()) {
    if (dropped.has(t.key)) continue;
    const parentFks = t.partitionOf ? (s.builder.peekTable(t.partitionOf.parent)?.foreignKeys ?? []) : [];
    for (const fk of t.foreignKeys) {
      if (!dropped.has(fk.refTable) || parentFks.some((p) => p.name === fk.name)) continue;
      found.push({ text: `constraint ${fk.name} on ${describe(s, t.key, 'table')} depends on ${describeDropped(fk.refTable)}` });
    }
    for (const parent of t.inherits) if (dropped.has(parent)) found.push({ text: `${describe(s, t.key, 'table')} depends on ${describeDropped(parent)}` });
  }
  const views = Object.values(catalog.views).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (let changed = true; changed; ) {
    changed = false;
    for (const v of views) {
      if (dropped.has(v.key)) continue;
      const on = v.reads.find((r) => dropped.has(r));
      if (!on) continue;
      dropped.add(v.key);
      changed = true;
      found.push({ text: `${describe(s, v.key, viewWord(v.key))} depends on ${describeDropped(on)}`, view: v.key });
    }
  }
  if (!found.length) return () => {};
  if (!cascade) {
    const lines = found.map((f) => f.text);
    if (named.length === 1) throw DEPENDENT_OBJECTS(describe(s, named[0], 'table'), lines);
    throw new CitusError('cannot drop desired object(s) because other objects depend on them', lines.join('\n'), 'Use DROP ... CASCADE to drop the dependent objects too.');
  }
  cascadeNotice(s, found.map((f) => f.text.replace(/ depends on .*$/, '')));
  return () => {
    for (const f of found) if (f.view) dropObject(s, f.view, catalog.views[f.view].materialized ? 'OBJECT_MATVIEW' : 'OBJECT_VIEW');
  };
}

/**
 * The index of the referenced table a foreign key depends on
 * (transformFkeyCheckAttrs): the first unique, non-partial index of plain
 * columns whose columns are exactly the referenced ones.
 */
export function foreignKeyIndex(t: Table, fk: ForeignKey): Index | undefined {
  const deferrable = new Set(t.uniques.filter((u) => u.deferrable).map((u) => u.name));
  return t.indexes.find((i) => i.unique && !i.where && !i.expressions.length && !deferrable.has(i.constraint ?? i.name) && sameColumnSet(i.columns, fk.refColumns));
}

/** A key's columns are exactly `wanted`, in any order (how PostgreSQL matches a foreign key's referenced columns). */
export function sameColumnSet(key: ReadonlyArray<string | null>, wanted: readonly string[]): boolean {
  const w = new Set(wanted);
  return w.size === wanted.length && key.length === w.size && key.every((c) => c !== null && w.has(c));
}

/** PostgreSQL's NOTICE for what a DROP ... CASCADE takes with it (`dependents` as getObjectDescription() writes them). */
function cascadeNotice(s: ClusterState, dependents: readonly string[]): void {
  const what = dependents.map((d) => `drop cascades to ${d}`);
  s.notices.push(what.length === 1 ? what[0] : `drop cascades to ${what.length} other objects\nDETAIL:  ${what.join('\n')}`);
}

/**
 * Dropping an index, or the primary key or unique constraint it backs: the
 * foreign keys on that index, the views that depend on a primary key
 * through their GROUP BY (a functional dependency) and the views over
 * those, as findDependentObjects lists them (each dependent, then what
 * depends on it). Without CASCADE they make it fail; with it they go too.
 * `constraint`: the constraint dropped, when it is one.
 */
export function dropIndexDependents(s: ClusterState, table: string, indexName: string, constraint: string | undefined, cascade: boolean): void {
  const t = s.builder.peekTable(table);
  if (!t) return;
  const views = s.builder.peekViews();
  const word = (k: string) => (s.builder.peekView(k)?.materialized ? 'materialized view' : 'view');
  const found: Array<{ view?: string; fk?: { table: string; name: string }; text: string }> = [];
  const index = `index ${describe(s, table, '').slice(1).replace(/[^."]+$|"[^"]*"$/, quoteIdent(indexName))}`;
  for (const r of s.builder.peekTables()) {
    const parentFks = r.partitionOf ? (s.builder.peekTable(r.partitionOf.parent)?.foreignKeys ?? []) : [];
    for (const fk of r.foreignKeys) {
      if (fk.refTable !== table || parentFks.some((p) => p.name === fk.name) || foreignKeyIndex(t, fk)?.name !== indexName) continue;
      found.push({ fk: { table: r.key, name: fk.name }, text: `constraint ${fk.name} on ${describe(s, r.key, 'table')} depends on ${index}` });
    }
  }
  const seen = new Set<string>();
  const visit = (k: string, on: string) => {
    if (seen.has(k)) return;
    seen.add(k);
    found.push({ view: k, text: `${describe(s, k, word(k))} depends on ${on}` });
    for (const v of views) if (v.reads.includes(k)) visit(v.key, describe(s, k, word(k)));
  };
  const on = constraint ? `constraint ${constraint} on ${describe(s, table, 'table')}` : index;
  if (constraint && constraint === t.primaryKey?.name) for (const v of views) if (v.keyGroupings?.some((g) => g.table === table)) visit(v.key, on);
  if (!found.length) return;
  if (!cascade) throw DEPENDENT_OBJECTS(on, found.map((f) => f.text));
  cascadeNotice(s, found.map((f) => f.text.replace(/ depends on .*$/, '')));
  for (const f of [...found].reverse()) {
    if (f.view) dropObject(s, f.view, s.builder.peekView(f.view)?.materialized ? 'OBJECT_MATVIEW' : 'OBJECT_VIEW');
    if (f.fk) dropConstraintOf(s, f.fk.table, f.fk.name);
  }
}

/** Drop a constraint from the catalog (a CASCADE's dependent). */
function dropConstraintOf(s: ClusterState, table: string, name: string): void {
  const { schema, name: relname } = splitKey(table);
  const relation = { schemaname: schema, relname, inh: true, relpersistence: 'p' };
  const cmd = makeNode('AlterTableCmd', { subtype: 'AT_DropConstraint', name, behavior: 'DROP_RESTRICT' });
  const node = makeNode('AlterTableStmt', { relation, cmds: [cmd], objtype: 'OBJECT_TABLE' });
  s.builder.apply(s.script!, { ...s.stmt!, node });
}

/** Drop a relation from the catalog (a CASCADE's dependent, or a CREATE TABLE that Citus rejected). */
export function dropObject(s: ClusterState, key: string, removeType: ObjectType): void {
  const { schema, name } = splitKey(key);
  const objectName = makeNode('List', { items: [makeNode('String', { sval: schema }), makeNode('String', { sval: name })] });
  const node = makeNode('DropStmt', { removeType, behavior: 'DROP_RESTRICT', objects: [objectName] });
  s.builder.apply(s.script!, { ...s.stmt!, node });
}
