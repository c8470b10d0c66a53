/**
 * PostgreSQL's dependency check for DROP TABLE (catalog/dependency.c), with
 * objects described as getObjectDescription() does (objectaddress.c): FKs
 * from other tables, views reading the table (transitively) and inheritance
 * children. Without CASCADE they make the DROP fail; with it they are
 * dropped too, with a NOTICE.
 */
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
  const what = found.map((f) => `drop cascades to ${f.text.replace(/ depends on .*$/, '')}`);
  s.notices.push(what.length === 1 ? what[0] : `drop cascades to ${what.length} other objects\nDETAIL:  ${what.join('\n')}`);
  return () => {
    for (const f of found) if (f.view) dropObject(s, f.view, catalog.views[f.view].materialized ? 'OBJECT_MATVIEW' : 'OBJECT_VIEW');
  };
}

/** Drop a relation from the catalog (a CASCADE's dependent, or a CREATE TABLE that Citus rejected). */
export function dropObject(s: ClusterState, key: string, removeType: ObjectType): void {
  const { schema, name } = splitKey(key);
  const objectName = makeNode('List', { items: [makeNode('String', { sval: schema }), makeNode('String', { sval: name })] });
  const node = makeNode('DropStmt', { removeType, behavior: 'DROP_RESTRICT', objects: [objectName] });
  s.builder.apply(s.script!, { ...s.stmt!, node });
}
