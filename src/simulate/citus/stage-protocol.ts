/**
 * master_create_empty_shard (operations/stage_protocol.c): a new, empty
 * shard of an append or range table, its minimum and maximum values NULL.
 * Other Citus tables are refused by kind, plain tables as not distributed.
 * The model counts an append or range table's shards; their ranges (set by
 * UPDATE pg_dist_shard) it does not know.
 */
import { CitusError, rel } from './errors.js';
import type { ClusterState } from './state.js';

/** master_create_empty_shard(table_name text): `name` as written, which its errors repeat. */
export function masterCreateEmptyShard(s: ClusterState, name: string): void {
  // a table the model never saw may come from an earlier script: not this statement's error
  const key = s.resolve(name);
  if (!s.builder.peekTable(key)) return;
  const info = s.citus.get(key);
  // CheckDistributedTable
  if (!info) throw new CitusError(`relation "${rel(key)}" is not a distributed table`);
  const refuse = (what: string, plural: string) => new CitusError(`relation "${name}" is a ${what}`, `We currently don't support creating shards on ${plural}`);
  if (info.kind === 'distributed') throw refuse('hash partitioned table', 'hash-partitioned tables');
  if (info.kind === 'single-shard') throw refuse('single shard table', 'single shard tables');
  if (info.kind === 'reference') throw refuse('reference table', 'reference tables');
  if (info.kind === 'citus-local') throw refuse('local table', 'local tables');
  info.shardCount = (info.shardCount ?? 0) + 1;
}
