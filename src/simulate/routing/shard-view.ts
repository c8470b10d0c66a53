/**
 * A design's view for the router, with what only the shard map and the
 * schema know: which shard a distribution-column value hashes to (the
 * type's hash function, Citus's hash ranges), how many shards a table has,
 * and whether a column has a DEFAULT that fills it when an INSERT leaves it
 * out.
 */
import { partitionRoot } from '../../catalog/index.js';
import type { Catalog } from '../../catalog/model.js';
import { hashOfValue } from '../hash/index.js';
import { shardForHash, type Topology, type TopologyTable } from '../shards.js';
import { columnFacts } from './layout.js';
import type { DistributionView } from './types.js';

export function withShards(view: DistributionView, catalog: Catalog, topology: Topology): DistributionView {
  const byKey = new Map(topology.tables.map((t) => [t.key, t]));
  const table = (t: string): TopologyTable | undefined => byKey.get(partitionRoot(catalog, t));
  return {
    role: (t) => view.role(t),
    column: (t) => view.column(t),
    group: (t) => view.group(t),
    shardIndex: (t, value) => shardIndexOf(catalog, table(t), value),
    shardCount: (t) => table(t)?.shards.length,
    ...columnFacts((t) => catalog.tables[t]?.columns),
  };
}

/** The shard index a value of a distributed table's distribution column hashes to; undefined when its type has no known hash. */
export function shardIndexOf(catalog: Catalog, t: TopologyTable | undefined, value: string): number | undefined {
  if (!t || t.kind !== 'distributed' || !t.column) return undefined;
  const col = catalog.tables[t.key]?.columns.find((c) => c.name === t.column);
  const hash = col && hashOfValue(col.type, value);
  // a hash outside every range (after splits that left a gap) finds no shard
  return hash === undefined ? undefined : shardForHash(t, hash)?.index;
}
