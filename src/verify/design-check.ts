/**
 * The design file against the cluster's metadata, table by table: kind,
 * distribution column, colocation (tables the design puts in one group share
 * a colocation id, tables it keeps apart do not), shard count, and tables
 * that are in one and not the other. Pure.
 */
import { partitionRoot } from '../catalog/index.js';
import type { Catalog } from '../catalog/model.js';
import type { Design, TableKind } from '../design/model.js';
import { displayName } from '../ingest/pg/index.js';
import { buildTopology } from '../simulate/shards.js';
import type { ClusterKind, ClusterMetadata, ClusterTable } from './metadata.js';

export type DriftKind = 'missing' | 'kind' | 'column' | 'colocation' | 'shard-count' | 'not-in-design';

export interface TableDrift {
  readonly kind: DriftKind;
  readonly message: string;
}

export interface TableCheck {
  /** Catalog key. */
  readonly table: string;
  /** What the design asks for; absent for a Citus table the design does not name. */
  readonly design?: { readonly kind: TableKind; readonly column?: string; readonly group?: number; readonly shards?: number };
  /** What the cluster has; absent when the table does not exist there. */
  readonly cluster?: { readonly kind: ClusterKind; readonly column?: string; readonly colocationId?: number; readonly shards?: number };
  /** Empty when the table is as designed. */
  readonly drift: TableDrift[];
}

function describe(kind: string, column?: string): string {
  return column ? `${kind} on ${column}` : kind;
}

/** A design's `local` is met by a plain table and by a citus local table (Citus adds local tables linked to reference tables to its metadata). */
function kindMatches(design: TableKind, cluster: ClusterKind): boolean {
  return design === 'local' ? cluster === 'local' || cluster === 'citus-local' : design === cluster;
}

export function checkDesign(design: Design, catalog: Catalog, cluster: ClusterMetadata): TableCheck[] {
  const topology = buildTopology(design, { nodes: Math.max(1, cluster.workers.length) });
  const planned = new Map(topology.tables.map((t) => [t.key, t]));
  const real = new Map(cluster.tables.map((t) => [t.key, t]));
  const checks = new Map<string, { design?: TableCheck['design']; cluster?: TableCheck['cluster']; drift: TableDrift[] }>();

  const clusterView = (key: string): TableCheck['cluster'] | undefined => {
    if (!catalog.tables[key]) return undefined;
    const t = real.get(key);
    if (!t) return { kind: 'local' };
    return { kind: t.kind, ...(t.column ? { column: t.column } : {}), ...(t.kind !== 'local' ? { colocationId: t.colocationId, shards: t.shards } : {}) };
  };

  for (const [key, td] of Object.entries(design.tables)) {
    const p = planned.get(key);
    const want = {
      kind: td.kind,
      ...(td.kind === 'distributed' && td.column ? { column: td.column } : {}),
      ...(p && p.kind !== 'reference' ? { group: p.colocationId } : {}),
      ...(p ? { shards: p.shardCount } : {}),
    };
    const have = clusterView(key);
    const drift: TableDrift[] = [];
    if (!have) drift.push({ kind: 'missing', message: `${displayName(key)} does not exist on the cluster` });
    else if (!kindMatches(td.kind, have.kind)) drift.push({ kind: 'kind', message: `the design makes ${displayName(key)} ${describe(td.kind, want.column)}; the cluster has it ${describe(have.kind, have.column)}` });
    else if (td.kind === 'distributed' && want.column !== have.column) {
      drift.push({ kind: 'column', message: `${displayName(key)} is distributed on ${have.column ?? '?'}; the design distributes it on ${want.column}` });
    } else if (td.kind === 'distributed' && want.shards !== undefined && have.shards !== want.shards) {
      drift.push({ kind: 'shard-count', message: `${displayName(key)} has ${have.shards} shards; the design gives it ${want.shards}` });
    }
    checks.set(key, { design: want, ...(have ? { cluster: have } : {}), drift });
  }

  // Citus tables the design does not name (a partition follows its parent's design).
  for (const t of cluster.tables) {
    if (checks.has(t.key)) continue;
    const root = partitionRoot(catalog, t.key);
    if (root !== t.key && design.tables[root]) {
      const parent = real.get(root);
      if (parent && parent.kind === t.kind && parent.column === t.column) continue;
    }
    if (t.kind === 'citus-local') continue;
    checks.set(t.key, {
      cluster: clusterView(t.key) ?? { kind: t.kind },
      drift: [{ kind: 'not-in-design', message: `${displayName(t.key)} is a ${describe(t.kind, t.column)} table on the cluster; the design does not name it (it would stay local)` }],
    });
  }

  colocationDrift(design, planned, real, checks);
  return [...checks.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([table, c]) => ({ table, ...(c.design ? { design: c.design } : {}), ...(c.cluster ? { cluster: c.cluster } : {}), drift: c.drift }));
}

/**
 * Groups of the design (tables colocated through colocate_with; the others
 * each apart) against Citus's colocation ids, for the tables whose kind
 * already matches: one design group on several ids, or one id holding
 * several design groups, is drift on every table concerned.
 */
function colocationDrift(
  design: Design,
  planned: ReadonlyMap<string, { readonly colocationId: number; readonly kind: string }>,
  real: ReadonlyMap<string, ClusterTable>,
  checks: Map<string, { drift: TableDrift[] }>,
): void {
  const sharded = Object.keys(design.tables).filter((k) => {
    const p = planned.get(k);
    const r = real.get(k);
    return p && r && (p.kind === 'distributed' || p.kind === 'single-shard') && r.kind === p.kind && !checks.get(k)?.drift.length;
  });
  const byPlan = new Map<number, string[]>();
  const byReal = new Map<number, string[]>();
  for (const k of sharded) {
    byPlan.set(planned.get(k)!.colocationId, [...(byPlan.get(planned.get(k)!.colocationId) ?? []), k]);
    byReal.set(real.get(k)!.colocationId, [...(byReal.get(real.get(k)!.colocationId) ?? []), k]);
  }
  for (const members of byPlan.values()) {
    const ids = [...new Set(members.map((k) => real.get(k)!.colocationId))].sort((a, b) => a - b);
    if (ids.length < 2) continue;
    const names = members.map(displayName).sort().join(', ');
    for (const k of members) {
      checks.get(k)!.drift.push({ kind: 'colocation', message: `the design colocates ${names}; the cluster has them in colocation groups ${ids.join(', ')} (${displayName(k)} in ${real.get(k)!.colocationId})` });
    }
  }
  for (const [id, members] of byReal) {
    const groups = new Set(members.map((k) => planned.get(k)!.colocationId));
    if (groups.size < 2) continue;
    const names = members.map(displayName).sort().join(', ');
    for (const k of members) {
      checks.get(k)!.drift.push({ kind: 'colocation', message: `the cluster colocates ${names} (group ${id}); the design keeps them in ${groups.size} separate groups` });
    }
  }
}
