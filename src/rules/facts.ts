/**
 * Prepared facts for the rules: per table the kind it ends up with under
 * Citus, its distribution column and its colocation group, computed the way
 * Citus computes them (citus-rules §1, §4 "Colocation in summary").
 */
import type { Catalog, Column, Table } from '../catalog/model.js';
import { DEFAULT_CITUS_VERSION, type Design, type TableDesign } from '../design/model.js';
import { parseCitusVersion, versionAtLeast, type CitusVersion } from '../design/version.js';
import type { CitusKind, RuleFacts, TableFacts } from './model.js';

/** The design's Citus version (the default when it names none); an error for one that is not a version. */
export function designCitusVersion(text: string | undefined): CitusVersion {
  const raw = (text ?? DEFAULT_CITUS_VERSION).trim();
  const v = parseCitusVersion(raw);
  if (!v) throw new Error(`not a Citus version: '${raw}' (expected e.g. "13.0" or "11.2.1")`);
  return v;
}

export function prepareFacts(catalog: Catalog, design: Design): RuleFacts {
  const citus = designCitusVersion(design.citus);
  const keys = Object.keys(catalog.tables).sort();
  // A partition the design does not list follows its distributed parent (Citus distributes partitions with it).
  const designOf = (key: string, seen: readonly string[] = []): TableDesign => {
    const own = design.tables[key];
    if (own) return own;
    const parent = catalog.tables[key]?.partitionOf?.parent;
    if (parent && !seen.includes(parent)) {
      const p = designOf(parent, [...seen, key]);
      if (p.kind === 'distributed' || p.kind === 'single-shard') {
        return { kind: p.kind, ...(p.column ? { column: p.column } : {}), colocateWith: parent };
      }
    }
    return { kind: 'local' };
  };

  const citusLocal = autoConvertedLocals(catalog, keys, (k) => designOf(k).kind);
  const groups = colocationGroups(catalog, design, keys, designOf, versionAtLeast(citus, 14));

  const tables: Record<string, TableFacts> = {};
  for (const key of keys) {
    const table = catalog.tables[key];
    const d = designOf(key);
    const kind: CitusKind = d.kind === 'local' && citusLocal.has(key) ? 'citus-local' : d.kind;
    const column = d.kind === 'distributed' && d.column ? table.columns.find((c) => c.name === d.column) : undefined;
    const g = groups.get(key);
    tables[key] = {
      table,
      designKind: d.kind,
      kind,
      ...(column ? { column } : {}),
      shardCount: g?.shardCount ?? (d.kind === 'distributed' ? d.shardCount ?? design.shardCount : 1),
      ...(g ? { colocationGroup: g.group } : {}),
    };
  }
  return { catalog, design, citus, tables };
}

/**
 * Local tables FK-linked (either direction) to a reference table become citus
 * local tables, and so does every local table FK-connected to one of those.
 */
function autoConvertedLocals(catalog: Catalog, keys: string[], kindOf: (k: string) => string): Set<string> {
  const neighbours = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    if (!neighbours.has(a)) neighbours.set(a, new Set());
    neighbours.get(a)!.add(b);
  };
  for (const key of keys) {
    for (const fk of catalog.tables[key].foreignKeys) {
      if (!catalog.tables[fk.refTable] || fk.refTable === key) continue;
      link(key, fk.refTable);
      link(fk.refTable, key);
    }
  }
  const out = new Set<string>();
  const queue: string[] = [];
  for (const key of keys) {
    if (kindOf(key) !== 'reference') continue;
    for (const n of neighbours.get(key) ?? []) {
      if (kindOf(n) === 'local' && !out.has(n)) {
        out.add(n);
        queue.push(n);
      }
    }
  }
  while (queue.length) {
    const cur = queue.shift()!;
    for (const n of [...(neighbours.get(cur) ?? [])].sort()) {
      if (kindOf(n) === 'local' && !out.has(n)) {
        out.add(n);
        queue.push(n);
      }
    }
  }
  return out;
}

interface Group {
  readonly group: string;
  readonly shardCount: number;
}

/** The identity Citus uses for a distribution column: type OID and (14.0+) its collation. */
export function columnTypeIdentity(column: Column, withCollation: boolean): string {
  const type = column.type.name + '[]'.repeat(column.type.arrayDims);
  return withCollation ? `${type} collate ${column.collation ?? 'default'}` : type;
}

function colocationGroups(
  catalog: Catalog,
  design: Design,
  keys: string[],
  designOf: (k: string) => TableDesign,
  collationMatters: boolean,
): Map<string, Group> {
  const out = new Map<string, Group>();
  const resolving = new Set<string>();
  const resolve = (key: string): Group | undefined => {
    if (out.has(key)) return out.get(key);
    const d = designOf(key);
    const table: Table | undefined = catalog.tables[key];
    if (!table || (d.kind !== 'distributed' && d.kind !== 'single-shard')) return undefined;
    if (resolving.has(key)) return undefined;
    resolving.add(key);
    let g: Group | undefined;
    if (d.colocateWith && d.colocateWith !== key) {
      const target = resolve(d.colocateWith);
      // Citus refuses colocate_with across different kinds or column types; such a table is not colocated.
      if (target && designOf(d.colocateWith).kind === d.kind && sameKeyType(catalog, key, d.colocateWith, designOf, collationMatters)) {
        g = target;
      }
    }
    if (!g) {
      if (d.kind === 'single-shard') {
        g = { group: d.colocateWith ? `single-shard:${key}` : 'single-shard:default', shardCount: 1 };
      } else {
        const column = table.columns.find((c) => c.name === d.column);
        const shardCount = d.shardCount ?? design.shardCount;
        g = column
          ? { group: `hash:${shardCount}:${columnTypeIdentity(column, collationMatters)}`, shardCount }
          : { group: `hash:${key}:no-column`, shardCount };
      }
    }
    resolving.delete(key);
    out.set(key, g);
    return g;
  };
  for (const key of keys) resolve(key);
  return out;
}

function sameKeyType(
  catalog: Catalog,
  a: string,
  b: string,
  designOf: (k: string) => TableDesign,
  collationMatters: boolean,
): boolean {
  const da = designOf(a);
  const db = designOf(b);
  if (da.kind === 'single-shard') return true;
  const ca = catalog.tables[a]?.columns.find((c) => c.name === da.column);
  const cb = catalog.tables[b]?.columns.find((c) => c.name === db.column);
  return !!ca && !!cb && columnTypeIdentity(ca, collationMatters) === columnTypeIdentity(cb, collationMatters);
}
