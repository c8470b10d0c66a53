/**
 * A live catalog's objects other than tables (sequences, views, types,
 * functions, extensions) made from their rows; and what every live object
 * shares: its location, and the order it is listed in.
 */
import type { Extension, FunctionDef, Location, Sequence, TypeDef, View } from '../../catalog/model.js';
import { qualifiedKey } from '../pg/index.js';
import type { AttributeNames, ExtensionRow, FunctionRow, Oid, SequenceOwnerRow, SequenceRow, UserTypeRow, ViewRow } from './catalog-queries.js';
import type { TypeResolver } from './type-resolver.js';

/** A live object has no file: `db:<schema.name>` names the relation, type or function it belongs to. */
export function liveLocation(key: string): Location {
  return { file: `db:${key}`, line: 0, column: 0 };
}

export function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function sortedRecord<T>(m: Map<string, T>): Record<string, T> {
  return Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export interface LiveSequences {
  readonly sequences: Map<string, Sequence>;
  /** `rel:attnum` of an identity column -> its sequence's key. */
  readonly identitySeq: Map<string, string>;
}

/** Sequences with the column that owns them (`keyOf`: the relations read, by oid). */
export async function sequencesOf(seqRows: SequenceRow[], ownerRows: SequenceOwnerRow[], keyOf: ReadonlyMap<Oid, string>, attNames: AttributeNames): Promise<LiveSequences> {
  const seqKeyOf = new Map(seqRows.map((s) => [s.oid, qualifiedKey(s.schema, s.name)]));
  const sequences = new Map<string, Sequence>();
  const identitySeq = new Map<string, string>();
  const ownedBy = new Map<Oid, { table: string; column: string }>();
  for (const o of ownerRows) {
    const table = keyOf.get(o.rel);
    const seqKey = seqKeyOf.get(o.seq);
    if (!table || !seqKey) continue;
    ownedBy.set(o.seq, { table, column: await attNames.of(o.rel, o.attnum) });
    if (o.deptype === 'i') identitySeq.set(`${o.rel}:${o.attnum}`, seqKey);
  }
  for (const s of seqRows) {
    const key = qualifiedKey(s.schema, s.name);
    const owner = ownedBy.get(s.oid);
    sequences.set(key, { key, schema: s.schema, name: s.name, dataType: s.dtype, ...(owner ? { ownedBy: owner } : {}), location: liveLocation(key) });
  }
  return { sequences, identitySeq };
}

export function viewsOf(rows: ViewRow[]): Map<string, View> {
  const views = new Map<string, View>();
  for (const v of rows) {
    const key = qualifiedKey(v.schema, v.name);
    // a live view has no definition text here: the grouping is known by its table alone
    const keyGroupings = [...v.keyed].sort().map((table) => ({ table, qualifier: '', at: -1 }));
    views.set(key, { key, schema: v.schema, name: v.name, materialized: v.mat, reads: [...v.reads].sort(), location: liveLocation(key), ...(keyGroupings.length ? { keyGroupings } : {}) });
  }
  return views;
}

export function typesOf(rows: UserTypeRow[], resolver: TypeResolver): Map<string, TypeDef> {
  const types = new Map<string, TypeDef>();
  for (const t of rows) {
    const key = qualifiedKey(t.nspname, t.typname);
    const kind: TypeDef['kind'] = t.typtype === 'e' ? 'enum' : t.typtype === 'd' ? 'domain' : t.typtype === 'r' ? 'range' : 'composite';
    types.set(key, {
      key,
      schema: t.nspname,
      name: t.typname,
      kind,
      ...(kind === 'enum' ? { labels: t.labels ?? [] } : {}),
      ...(kind === 'domain' ? { baseType: resolver.ref(t.basetype, t.basedisplay ?? '') } : {}),
      location: liveLocation(key),
    });
  }
  return types;
}

/** Overloads share one entry; the last in name/argument order wins, as in a dump. */
export function functionsOf(rows: FunctionRow[]): Map<string, FunctionDef> {
  const functions = new Map<string, FunctionDef>();
  for (const f of rows) {
    const key = qualifiedKey(f.schema, f.name);
    functions.set(key, {
      key,
      volatility: f.provolatile === 'i' ? 'immutable' : f.provolatile === 's' ? 'stable' : 'volatile',
      language: f.lanname,
      returnsTrigger: f.rettrigger,
      location: liveLocation(key),
    });
  }
  return functions;
}

export function extensionsOf(rows: ExtensionRow[]): Extension[] {
  return rows.map((e) => ({ name: e.name, schema: e.schema, location: liveLocation(e.name) }));
}
