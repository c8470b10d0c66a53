/**
 * The shard map Citus builds for a design (citus-rules.md §4): hash ranges per
 * shard, shard ids and names, and the worker each shard is placed on. A
 * `Topology` is a plain value; everything here is a pure function of the
 * design, the worker list and the shard count.
 */
import type { Design, TableKind } from '../design/model.js';
import { qualifiedKey, splitKey } from '../ingest/pg/index.js';

export const HASH_TOKEN_COUNT = 4294967296;
export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
/** First value of `pg_dist_shardid_seq` on a fresh install. */
export const FIRST_SHARD_ID = 102008;
export const DEFAULT_WORKER_PORT = 5432;

export interface HashRange {
  /** Inclusive int32 bounds, as in `pg_dist_shard.shardminvalue` / `shardmaxvalue`. */
  readonly min: number;
  readonly max: number;
}

/** `floor(2^32 / shardCount)`: the width of every shard's range but the last. */
export function hashIncrement(shardCount: number): number {
  assertShardCount(shardCount);
  return Math.floor(HASH_TOKEN_COUNT / shardCount);
}

/** The uniform ranges of a new hash-distributed table; the last shard absorbs the remainder. */
export function shardRanges(shardCount: number): HashRange[] {
  const inc = hashIncrement(shardCount);
  const out: HashRange[] = [];
  for (let i = 0; i < shardCount; i++) {
    const min = INT32_MIN + i * inc;
    out.push({ min, max: i === shardCount - 1 ? INT32_MAX : min + inc - 1 });
  }
  return out;
}

/** Index of the shard whose range holds `hash` in the uniform layout (Citus's CalculateUniformHashRangeIndex). */
export function shardIndexForHash(hash: number, shardCount: number): number {
  const idx = Math.floor((hash - INT32_MIN) / Math.floor(HASH_TOKEN_COUNT / shardCount));
  return idx >= shardCount ? shardCount - 1 : idx;
}

/** Index of the range holding `hash` in sorted, non-overlapping ranges (the layout after splits); -1 when none does. */
export function findRangeIndex(ranges: readonly HashRange[], hash: number): number {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid];
    if (hash < r.min) hi = mid - 1;
    else if (hash > r.max) lo = mid + 1;
    else return mid;
  }
  return -1;
}

function assertShardCount(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 64000) throw new RangeError(`shard count must be an integer from 1 to 64000, got ${n}`);
}

// ---------------------------------------------------------------- topology

export interface WorkerNode {
  readonly name: string;
  readonly port: number;
  /** `name:port` */
  readonly id: string;
}

export interface Shard {
  readonly shardId: number;
  /** `<table>_<shardid>`, in the table's schema. */
  readonly name: string;
  /** Schema-qualified key of the shard table, `schema.<table>_<shardid>`. */
  readonly key: string;
  readonly table: string;
  /** 0-based position in the table's shards ordered by min value. */
  readonly index: number;
  /** Hash range; absent for reference and single-shard tables. */
  readonly range?: HashRange;
  /** Worker ids (`name:port`) holding a placement, in placement order. */
  readonly placements: string[];
}

export interface TopologyTable {
  readonly key: string;
  readonly kind: Exclude<TableKind, 'local'>;
  readonly column?: string;
  readonly colocationId: number;
  /** The table whose shards this table's shards follow (explicit colocate_with), if any. */
  readonly colocatedWith?: string;
  readonly shardCount: number;
  readonly shards: Shard[];
}

export interface Topology {
  /** Workers sorted as Citus sorts them: by name (strcmp), then port. */
  readonly nodes: WorkerNode[];
  readonly shardCount: number;
  /** Tables with shards, in creation order. Local tables are not listed. */
  readonly tables: TopologyTable[];
}

export interface TopologyOptions {
  /** A worker count (workers `worker-1:5432`, `worker-2:5432`, ...) or the workers themselves. */
  readonly nodes: number | ReadonlyArray<{ readonly name: string; readonly port?: number }>;
  /** Default shard count; the design's when absent. */
  readonly shardCount?: number;
  /** Creation order of the tables (catalog keys); the design's key order when absent. */
  readonly order?: readonly string[];
}

function strcmp(a: string, b: string): number {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return Buffer.compare(x, y);
}

/** The worker list in Citus's order (by name with strcmp, then port). */
export function sortedNodes(nodes: TopologyOptions['nodes']): WorkerNode[] {
  const list =
    typeof nodes === 'number'
      ? Array.from({ length: nodes }, (_, i) => ({ name: `worker-${i + 1}`, port: DEFAULT_WORKER_PORT }))
      : nodes.map((n) => ({ name: n.name, port: n.port ?? DEFAULT_WORKER_PORT }));
  if (list.length < 1) throw new RangeError('a topology needs at least one worker');
  return list
    .map((n) => ({ name: n.name, port: n.port, id: `${n.name}:${n.port}` }))
    .sort((a, b) => strcmp(a.name, b.name) || a.port - b.port);
}

/**
 * The shard map of a design on a cluster. Tables are created in `order` (a
 * table named in `colocateWith` is created before the tables that follow
 * it). Shard ids run from 102008 in creation order, shard by shard; shard i of
 * a new hash table goes to `nodes[i % n]`; a colocated table copies its
 * source's ranges and placements; a reference table has one shard placed on
 * every worker; a single-shard table's shard goes to `nodes[colocationId % n]`.
 *
 * Colocation ids are counted from 1 per new group in creation order: every
 * reference table shares one group; a distributed table without
 * `colocateWith` starts a new group. (Citus's 'default' colocation would also
 * group tables whose column types and shard counts match; placement is the
 * same either way, only the ids — and so single-shard placement — differ.)
 */
export function buildTopology(design: Design, options: TopologyOptions): Topology {
  const nodes = sortedNodes(options.nodes);
  const shardCount = options.shardCount ?? design.shardCount;
  assertShardCount(shardCount);
  const order = [...(options.order ?? Object.keys(design.tables))];
  for (const key of Object.keys(design.tables)) if (!order.includes(key)) order.push(key);

  const built = new Map<string, TopologyTable>();
  const tables: TopologyTable[] = [];
  let nextShardId = FIRST_SHARD_ID;
  let nextColocationId = 1;
  let referenceGroup: number | undefined;
  const inProgress = new Set<string>();

  const shardName = (table: string, shardId: number): { name: string; key: string } => {
    const { schema, name } = splitKey(table);
    const shard = `${name}_${shardId}`;
    return { name: shard, key: schema ? qualifiedKey(schema, shard) : shard };
  };

  const create = (key: string): void => {
    if (built.has(key) || inProgress.has(key)) return;
    const td = design.tables[key];
    if (!td || td.kind === 'local') return;
    inProgress.add(key);
    let table: TopologyTable;
    if (td.kind === 'reference') {
      referenceGroup ??= nextColocationId++;
      const shardId = nextShardId++;
      table = {
        key,
        kind: 'reference',
        colocationId: referenceGroup,
        shardCount: 1,
        shards: [{ shardId, ...shardName(key, shardId), table: key, index: 0, placements: nodes.map((n) => n.id) }],
      };
    } else if (td.kind === 'single-shard') {
      const source = td.colocateWith ? (create(td.colocateWith), built.get(td.colocateWith)) : undefined;
      const colocationId = source?.kind === 'single-shard' ? source.colocationId : nextColocationId++;
      const shardId = nextShardId++;
      const placements = source?.kind === 'single-shard' ? [...source.shards[0].placements] : [nodes[colocationId % nodes.length].id];
      table = {
        key,
        kind: 'single-shard',
        colocationId,
        ...(source?.kind === 'single-shard' ? { colocatedWith: source.key } : {}),
        shardCount: 1,
        shards: [{ shardId, ...shardName(key, shardId), table: key, index: 0, placements }],
      };
    } else {
      const source = td.colocateWith ? (create(td.colocateWith), built.get(td.colocateWith)) : undefined;
      if (source && source.kind === 'distributed') {
        table = {
          key,
          kind: 'distributed',
          ...(td.column ? { column: td.column } : {}),
          colocationId: source.colocationId,
          colocatedWith: source.key,
          shardCount: source.shardCount,
          shards: source.shards.map((s) => {
            const shardId = nextShardId++;
            return { shardId, ...shardName(key, shardId), table: key, index: s.index, ...(s.range ? { range: s.range } : {}), placements: [...s.placements] };
          }),
        };
      } else {
        const count = td.shardCount ?? shardCount;
        const ranges = shardRanges(count);
        table = {
          key,
          kind: 'distributed',
          ...(td.column ? { column: td.column } : {}),
          colocationId: nextColocationId++,
          shardCount: count,
          shards: ranges.map((range, index) => {
            const shardId = nextShardId++;
            return { shardId, ...shardName(key, shardId), table: key, index, range, placements: [nodes[index % nodes.length].id] };
          }),
        };
      }
    }
    inProgress.delete(key);
    built.set(key, table);
    tables.push(table);
  };

  for (const key of order) create(key);
  return { nodes, shardCount, tables };
}

/** The table's entry in a topology. */
export function topologyTable(topology: Topology, table: string): TopologyTable | undefined {
  return topology.tables.find((t) => t.key === table);
}

/** The shard of `table` that holds rows whose distribution value hashes to `hash`. */
export function shardForHash(table: TopologyTable, hash: number): Shard {
  if (table.kind !== 'distributed') return table.shards[0];
  const uniform = table.shards.length === table.shardCount;
  const idx = uniform ? shardIndexForHash(hash, table.shardCount) : findRangeIndex(table.shards.map((s) => s.range!), hash);
  return table.shards[idx];
}
