/**
 * The design as a graph, before layout: one cluster per colocation group,
 * one for the reference tables, one for the local tables (and one each for
 * single-shard and lone distributed tables), one node per table, and the
 * foreign keys as edges marked kept, rewritten or dropped by the migration
 * plan, with the hops of backfill paths marked. Big schemas stay readable:
 * past a size, big clusters collapse into one node that counts its tables
 * and the foreign keys inside it, and edges between collapsed nodes are
 * merged with a count.
 */
import { partitionRoot } from '../catalog/index.js';
import type { Catalog } from '../catalog/model.js';
import type { Design, TableKind } from '../design/model.js';
import { displayName } from '../ingest/pg/names.js';
import { planMigration } from '../plan/index.js';
import { cmp } from './model.js';

export type FkState = 'kept' | 'rewritten' | 'dropped';
export const FK_STATES: readonly FkState[] = ['kept', 'rewritten', 'dropped'];
export type ClusterKind = 'group' | 'distributed' | 'single-shard' | 'reference' | 'local';

export interface GraphCluster {
  readonly id: string;
  readonly kind: ClusterKind;
  readonly title: string;
  readonly subtitle: string;
  /** Table keys, sorted. */
  readonly tables: readonly string[];
  /** Drawn as one node standing for all its tables. */
  readonly collapsed: boolean;
  /** Foreign keys between two tables of the cluster, per state (what a collapsed node hides). */
  readonly inside: Readonly<Record<FkState, number>>;
}

export interface GraphNode {
  readonly id: string;
  readonly label: string;
  readonly cluster: string;
  /** The table key for a table node; absent for a collapsed cluster. */
  readonly table?: string;
  readonly kind: TableKind | ClusterKind;
  /** Tables the node stands for. */
  readonly tables: number;
  /** The table's distribution column gets filled along a backfill path. */
  readonly backfilled: boolean;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly state: FkState;
  /** Foreign keys merged into this edge. */
  readonly count: number;
  /** At least one of them is a hop of a backfill path. */
  readonly backfill: boolean;
}

export interface DesignGraph {
  readonly clusters: readonly GraphCluster[];
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** Tables in the design, and whether some cluster was collapsed. */
  readonly tables: number;
  readonly collapsed: boolean;
  /** The plan could not be made: foreign keys are drawn without their fate (as kept). */
  readonly planError?: string;
}

export interface GraphLimits {
  /** Up to this many tables every table is a node. */
  readonly fullUpTo: number;
  /** Past `fullUpTo`, a cluster with more tables than this collapses. */
  readonly collapseOver: number;
}

export const DEFAULT_LIMITS: GraphLimits = { fullUpTo: 150, collapseOver: 20 };

const NONE: Record<FkState, number> = { kept: 0, rewritten: 0, dropped: 0 };

interface RawCluster {
  readonly id: string;
  readonly kind: ClusterKind;
  readonly title: string;
  readonly subtitle: string;
  readonly tables: string[];
}

/** The table a distributed table colocates with, followed to the end of the chain. */
function anchorOf(design: Design, key: string): string {
  const seen = new Set([key]);
  let cur = key;
  for (;;) {
    const next = design.tables[cur]?.colocateWith;
    if (!next || seen.has(next) || design.tables[next]?.kind !== 'distributed') return cur;
    seen.add(next);
    cur = next;
  }
}

function rawClusters(design: Design): RawCluster[] {
  const keys = Object.keys(design.tables).sort(cmp);
  const byAnchor = new Map<string, string[]>();
  for (const k of keys) {
    if (design.tables[k].kind !== 'distributed') continue;
    const a = anchorOf(design, k);
    byAnchor.set(a, [...(byAnchor.get(a) ?? []), k]);
  }
  const out: RawCluster[] = [];
  const lone: string[] = [];
  let n = 0;
  for (const [anchor, tables] of [...byAnchor].sort((a, b) => cmp(a[0], b[0]))) {
    if (tables.length < 2) {
      lone.push(...tables);
      continue;
    }
    out.push({ id: `g${++n}`, kind: 'group', title: `colocated on ${design.tables[anchor].column ?? '?'}`, subtitle: `anchor ${displayName(anchor)}`, tables });
  }
  if (lone.length) out.push({ id: 'distributed', kind: 'distributed', title: 'distributed, not colocated', subtitle: 'each its own group', tables: lone.sort(cmp) });
  const byKind = (kind: TableKind) => keys.filter((k) => design.tables[k].kind === kind);
  const single = byKind('single-shard');
  if (single.length) out.push({ id: 'single-shard', kind: 'single-shard', title: 'single-shard tables', subtitle: 'one shard each', tables: single });
  const refs = byKind('reference');
  if (refs.length) out.push({ id: 'reference', kind: 'reference', title: 'reference tables', subtitle: 'a replica on every node', tables: refs });
  const locals = byKind('local');
  if (locals.length) out.push({ id: 'local', kind: 'local', title: 'local tables', subtitle: 'on the coordinator', tables: locals });
  return out;
}

/** The fate of each foreign key under the migration plan, by `table\0name`. */
function fkStates(catalog: Catalog, design: Design): { states: Map<string, FkState>; error?: string } {
  const states = new Map<string, FkState>();
  try {
    const m = planMigration(catalog, design);
    for (const r of m.foreignKeys.rewritten) states.set(`${r.table}\u0000${r.name}`, 'rewritten');
    for (const d of m.foreignKeys.dropped) states.set(`${d.table}\u0000${d.name}`, 'dropped');
    return { states };
  } catch (err) {
    return { states, error: err instanceof Error ? err.message : String(err) };
  }
}

/** The FK hops of every backfill path, as `table\0columns\0refTable`. */
function backfillHops(design: Design): Set<string> {
  const hops = new Set<string>();
  for (const [table, d] of Object.entries(design.tables)) {
    if (!d.backfill) continue;
    const path = d.backfill.path ?? [{ table, columns: d.backfill.join, refTable: d.backfill.from }];
    for (const h of path) hops.add(`${h.table}\u0000${h.columns.join(',')}\u0000${h.refTable}`);
  }
  return hops;
}

/** The design of a catalog as a graph of clusters, nodes and foreign-key edges. */
export function buildDesignGraph(design: Design, catalog: Catalog, limits: GraphLimits = DEFAULT_LIMITS): DesignGraph {
  const raw = rawClusters(design);
  const total = raw.reduce((n, c) => n + c.tables.length, 0);
  const clusterOf = new Map<string, string>();
  for (const c of raw) for (const t of c.tables) clusterOf.set(t, c.id);
  const collapse = new Set(total > limits.fullUpTo ? raw.filter((c) => c.tables.length > limits.collapseOver).map((c) => c.id) : []);
  const nodeOf = (table: string): string | undefined => {
    const c = clusterOf.get(table);
    if (!c) return undefined;
    return collapse.has(c) ? `c:${c}` : `t:${table}`;
  };

  const { states, error } = fkStates(catalog, design);
  const hops = backfillHops(design);
  const inside = new Map<string, Record<FkState, number>>(raw.map((c) => [c.id, { ...NONE }]));
  const merged = new Map<string, { from: string; to: string; state: FkState; count: number; backfill: boolean }>();
  const seen = new Set<string>();
  for (const t of Object.values(catalog.tables).sort((a, b) => cmp(a.key, b.key))) {
    const fromTable = partitionRoot(catalog, t.key);
    for (const fk of t.foreignKeys) {
      const toTable = partitionRoot(catalog, fk.refTable);
      const state = states.get(`${t.key}\u0000${fk.name}`) ?? 'kept';
      // a partitioned table's FK is cloned on each partition: count it once
      const once = `${fromTable}\u0000${toTable}\u0000${fk.columns.join(',')}\u0000${state}`;
      if (seen.has(once)) continue;
      seen.add(once);
      const from = nodeOf(fromTable);
      const to = nodeOf(toTable);
      if (!from || !to) continue;
      const backfill = hops.has(`${t.key}\u0000${fk.columns.join(',')}\u0000${fk.refTable}`) || hops.has(`${fromTable}\u0000${fk.columns.join(',')}\u0000${toTable}`);
      if (from === to && from.startsWith('c:')) {
        inside.get(from.slice(2))![state]++;
        continue;
      }
      const key = `${from}\u0000${to}\u0000${state}`;
      const e = merged.get(key);
      if (e) {
        e.count++;
        e.backfill ||= backfill;
      } else merged.set(key, { from, to, state, count: 1, backfill });
    }
  }

  const clusters: GraphCluster[] = raw.map((c) => ({ ...c, collapsed: collapse.has(c.id), inside: inside.get(c.id)! }));
  const backfilled = new Set(Object.keys(design.tables).filter((k) => design.tables[k].backfill));
  const nodes: GraphNode[] = [];
  for (const c of clusters) {
    if (c.collapsed) {
      nodes.push({ id: `c:${c.id}`, label: c.title, cluster: c.id, kind: c.kind, tables: c.tables.length, backfilled: c.tables.some((t) => backfilled.has(t)) });
      continue;
    }
    for (const t of c.tables) nodes.push({ id: `t:${t}`, label: displayName(t), cluster: c.id, table: t, kind: design.tables[t].kind, tables: 1, backfilled: backfilled.has(t) });
  }
  const edges = [...merged.values()].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || FK_STATES.indexOf(a.state) - FK_STATES.indexOf(b.state));
  return { clusters, nodes, edges, tables: total, collapsed: collapse.size > 0, ...(error ? { planError: error } : {}) };
}
