/**
 * Where the rows of a database would land on a Citus cluster: rows and bytes
 * per shard and per worker, skew, the hottest distribution values, and what
 * isolating the hottest value into its own shard would change. Data comes
 * streamed from a dump's COPY blocks and INSERT statements, or from one CSV
 * file per table; nothing here holds a table in memory.
 */
import { isAbsolute, resolve } from 'node:path';
import { partitionRoot } from '../catalog/index.js';
import type { Catalog } from '../catalog/model.js';
import { readSourceRows, type Row } from '../ingest/copy.js';
import { openCsvTable, type CsvOptions } from '../ingest/csv-data.js';
import { hashabilityOf, type TextHash } from './hash/index.js';
import { shardForHash, type Topology, type TopologyTable } from './shards.js';

export interface ShardLoad {
  readonly shardId: number;
  readonly name: string;
  readonly index: number;
  /** First placement's worker id. */
  readonly node: string;
  readonly rows: number;
  /** Size of the rows in COPY text form (bytes per line, newline included). */
  readonly bytes: number;
}

export interface HotValue {
  /** The distribution value in text form. */
  readonly value: string;
  readonly rows: number;
  /** Share of the table's placed rows. */
  readonly share: number;
  readonly shardId: number;
}

export interface Isolation {
  readonly value: string;
  readonly shardId: number;
  /** Largest shard's share of rows now, and once the value has a shard of its own (isolate_tenant_to_new_shard). */
  readonly maxShardShareBefore: number;
  readonly maxShardShareAfter: number;
  /** Share of the rows left in the split shard's other ranges. */
  readonly remainderShare: number;
  /** The value's own shard's share: the floor no shard layout can go under while it is one value. */
  readonly isolatedShare: number;
}

export type PlacementStatus =
  /** Rows hashed to shards. */
  | 'placed'
  /** A reference or single-shard table: every row in its one shard. */
  | 'whole'
  /** The distribution column's type hashes by OID (enum): placement differs per node, not computed. */
  | 'node-dependent'
  /** The column's type has no hash here (jsonb, arrays, composites, ...). */
  | 'unsupported-type'
  /** The data does not carry the distribution column. */
  | 'missing-column';

export interface TablePlacement {
  readonly table: string;
  readonly kind: TopologyTable['kind'];
  readonly column?: string;
  readonly type?: string;
  readonly status: PlacementStatus;
  /** Rows read. */
  readonly rows: number;
  readonly bytes: number;
  /** Rows with NULL in the distribution column: Citus rejects them. */
  readonly nullRows: number;
  /** Values the column's type would reject. */
  readonly invalidRows: number;
  readonly shards: ShardLoad[];
  /** (max - min) / max of rows over the table's shards; 0 for one shard or no rows. */
  readonly imbalance: number;
  readonly hottest: HotValue[];
  /** True when the value counts are lower bounds (more distinct values than were tracked). */
  readonly hottestApproximate: boolean;
  readonly isolation?: Isolation;
}

export interface NodeLoad {
  readonly node: string;
  readonly rows: number;
  readonly bytes: number;
  readonly shards: number;
}

export interface DataPlacement {
  readonly tables: TablePlacement[];
  /** Per worker, in topology order; reference tables count on every worker. */
  readonly nodes: NodeLoad[];
  /** (max - min) / max of rows over the workers. */
  readonly nodeImbalance: number;
}

export interface PlacementOptions {
  /** How many hottest values to report per table (default 10). */
  readonly topN?: number;
  /** Most distinct values counted exactly per table before counts turn approximate (default 1,000,000). */
  readonly maxTrackedValues?: number;
  /** Directory the catalog's relative data file names are relative to (the run's working directory). */
  readonly cwd?: string;
}

/** Bytes of a row in COPY text form (an approximation of its size: escapes not counted). */
export function rowBytes(row: Row): number {
  let n = row.length; // tabs and the newline
  for (const v of row) n += v === null ? 2 : Buffer.byteLength(v, 'utf8');
  return n;
}

/**
 * Counts rows per shard for one table. Made per table per run; feed it rows
 * with `add`, then read `result()`.
 */
export class TableAccumulator {
  private readonly shardRows: number[];
  private readonly shardBytes: number[];
  private counts = new Map<string, number>();
  private approximate = false;
  private rows = 0;
  private bytes = 0;
  private nullRows = 0;
  private invalidRows = 0;
  private missing = false;

  constructor(
    private readonly table: TopologyTable,
    private readonly hash: TextHash | undefined,
    private readonly status: PlacementStatus,
    private readonly type: string | undefined,
    private readonly options: PlacementOptions = {},
  ) {
    this.shardRows = new Array<number>(table.shards.length).fill(0);
    this.shardBytes = new Array<number>(table.shards.length).fill(0);
  }

  /** One row; `columnIndex` is the distribution column's position in it (-1 when absent). */
  add(row: Row, columnIndex: number): void {
    const bytes = rowBytes(row);
    this.rows++;
    this.bytes += bytes;
    if (this.status === 'whole') {
      this.shardRows[0]++;
      this.shardBytes[0] += bytes;
      return;
    }
    if (this.status !== 'placed') return;
    if (columnIndex < 0 || columnIndex >= row.length) {
      this.missing = true;
      return;
    }
    const value = row[columnIndex];
    if (value === null) {
      this.nullRows++;
      return;
    }
    let h: number;
    try {
      h = this.hash!(value);
    } catch {
      this.invalidRows++;
      return;
    }
    const shard = shardForHash(this.table, h);
    const i = this.table.shards.indexOf(shard);
    this.shardRows[i]++;
    this.shardBytes[i] += bytes;
    this.count(value);
  }

  private count(value: string): void {
    const c = this.counts.get(value);
    if (c !== undefined) {
      this.counts.set(value, c + 1);
      return;
    }
    const cap = this.options.maxTrackedValues ?? 1_000_000;
    if (this.counts.size >= cap) {
      // Misra-Gries: take one from every counter (the new value's too), keep the ones above zero.
      // A new map rather than deletes in place: V8 maps stay slow after mass deletion.
      this.approximate = true;
      const kept = new Map<string, number>();
      for (const [k, n] of this.counts) if (n > 1) kept.set(k, n - 1);
      this.counts = kept;
      return;
    }
    this.counts.set(value, 1);
  }

  result(): TablePlacement {
    const t = this.table;
    const status: PlacementStatus = this.missing && this.status === 'placed' && this.placedRows() === 0 ? 'missing-column' : this.status;
    const shards: ShardLoad[] = t.shards.map((s, i) => ({
      shardId: s.shardId,
      name: s.name,
      index: s.index,
      node: s.placements[0],
      rows: this.shardRows[i],
      bytes: this.shardBytes[i],
    }));
    const placed = this.placedRows();
    const hotShard = new Map<string, number>();
    const top = [...this.counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, this.options.topN ?? 10);
    const hottest: HotValue[] = top.map(([value, rows]) => {
      const shard = shardForHash(t, this.hash!(value));
      hotShard.set(value, shard.shardId);
      return { value, rows, share: placed ? rows / placed : 0, shardId: shard.shardId };
    });
    let isolation: Isolation | undefined;
    if (status === 'placed' && hottest.length && placed > 0 && t.shards.length > 0) {
      const hot = hottest[0];
      const i = t.shards.findIndex((s) => s.shardId === hot.shardId);
      const others = this.shardRows.filter((_, j) => j !== i);
      const remainder = this.shardRows[i] - hot.rows;
      const before = Math.max(...this.shardRows) / placed;
      const after = Math.max(hot.rows, remainder, ...others) / placed;
      isolation = {
        value: hot.value,
        shardId: hot.shardId,
        maxShardShareBefore: before,
        maxShardShareAfter: after,
        remainderShare: remainder / placed,
        isolatedShare: hot.rows / placed,
      };
    }
    return {
      table: t.key,
      kind: t.kind,
      ...(t.column ? { column: t.column } : {}),
      ...(this.type ? { type: this.type } : {}),
      status,
      rows: this.rows,
      bytes: this.bytes,
      nullRows: this.nullRows,
      invalidRows: this.invalidRows,
      shards,
      imbalance: imbalance(this.shardRows),
      hottest,
      hottestApproximate: this.approximate,
      ...(isolation ? { isolation } : {}),
    };
  }

  private placedRows(): number {
    let n = 0;
    for (const r of this.shardRows) n += r;
    return n;
  }
}

/** (max - min) / max; 0 when there is nothing or one value. */
export function imbalance(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const max = Math.max(...values);
  const min = Math.min(...values);
  return max === 0 ? 0 : (max - min) / max;
}

/** The accumulator for a table of the topology, with the hash of its distribution column's type from the catalog. */
export function accumulatorFor(catalog: Catalog, table: TopologyTable, options: PlacementOptions = {}): TableAccumulator {
  if (table.kind !== 'distributed') return new TableAccumulator(table, undefined, 'whole', undefined, options);
  const col = catalog.tables[table.key]?.columns.find((c) => c.name === table.column);
  if (!col) return new TableAccumulator(table, undefined, 'missing-column', undefined, options);
  const h = hashabilityOf(col.type);
  if (!h.ok) return new TableAccumulator(table, undefined, h.reason === 'node-dependent' ? 'node-dependent' : 'unsupported-type', col.type.display, options);
  return new TableAccumulator(table, h.hash, 'placed', col.type.display, options);
}

/** Per-worker totals of table placements (reference tables on every worker). */
export function nodeLoads(topology: Topology, tables: readonly TablePlacement[]): { nodes: NodeLoad[]; nodeImbalance: number } {
  const rows = new Map<string, number>();
  const bytes = new Map<string, number>();
  const shards = new Map<string, number>();
  for (const n of topology.nodes) {
    rows.set(n.id, 0);
    bytes.set(n.id, 0);
    shards.set(n.id, 0);
  }
  const byKey = new Map(topology.tables.map((t) => [t.key, t]));
  for (const tp of tables) {
    const t = byKey.get(tp.table);
    if (!t) continue;
    tp.shards.forEach((s, i) => {
      for (const node of t.shards[i].placements) {
        rows.set(node, (rows.get(node) ?? 0) + s.rows);
        bytes.set(node, (bytes.get(node) ?? 0) + s.bytes);
        shards.set(node, (shards.get(node) ?? 0) + 1);
      }
    });
  }
  const nodes = topology.nodes.map((n) => ({ node: n.id, rows: rows.get(n.id)!, bytes: bytes.get(n.id)!, shards: shards.get(n.id)! }));
  return { nodes, nodeImbalance: imbalance(nodes.map((n) => n.rows)) };
}

/**
 * Placement of the data a dump carries (the catalog's COPY blocks and INSERT
 * statements), read from the files the catalog names. INSERT statements need
 * the parser loaded (`loadParser()`).
 */
export async function placeDumpData(catalog: Catalog, topology: Topology, options: PlacementOptions = {}): Promise<DataPlacement> {
  const accumulators = new Map<string, TableAccumulator>();
  for (const t of topology.tables) accumulators.set(t.key, accumulatorFor(catalog, t, options));
  for (const source of catalog.data) {
    const key = owningTable(catalog, topology, source.table);
    const acc = key ? accumulators.get(key) : undefined;
    const t = topology.tables.find((x) => x.key === key);
    if (!acc || !t) continue;
    const index = t.column ? source.columns.indexOf(t.column) : -1;
    const file = isAbsolute(source.file) || !options.cwd ? source.file : resolve(options.cwd, source.file);
    for await (const row of readSourceRows({ ...source, file })) acc.add(row, index);
  }
  return finish(topology, accumulators);
}

/** The topology table whose shards hold a table's rows: itself, or for a partition the partitioned table at its top. */
function owningTable(catalog: Catalog, topology: Topology, table: string): string | undefined {
  const root = partitionRoot(catalog, table);
  return topology.tables.some((t) => t.key === root) ? root : undefined;
}

/** Placement of data given as one CSV file (with a header row) per table. */
export async function placeCsvData(
  catalog: Catalog,
  topology: Topology,
  files: ReadonlyArray<{ readonly table: string; readonly path: string }>,
  options: PlacementOptions & CsvOptions = {},
): Promise<DataPlacement> {
  const accumulators = new Map<string, TableAccumulator>();
  for (const t of topology.tables) accumulators.set(t.key, accumulatorFor(catalog, t, options));
  for (const f of files) {
    const acc = accumulators.get(f.table);
    const t = topology.tables.find((x) => x.key === f.table);
    if (!acc || !t) continue;
    const csv = await openCsvTable(f.path, options);
    const index = t.column ? csv.columns.indexOf(t.column) : -1;
    for await (const row of csv.rows) acc.add(row, index);
  }
  return finish(topology, accumulators);
}

/**
 * Placement of sampled rows (each row by column name, values in text form),
 * per table key; a partition's rows count for the table whose shards hold
 * them. `sampled` names the topology tables the sample covers (an empty
 * table sampled is covered: it has no rows).
 */
export async function placeSampleData(
  catalog: Catalog,
  topology: Topology,
  sample: Readonly<Record<string, ReadonlyArray<Readonly<Record<string, string | null>>>>>,
  options: PlacementOptions = {},
): Promise<{ placement: DataPlacement; sampled: Set<string> }> {
  const accumulators = new Map<string, TableAccumulator>();
  for (const t of topology.tables) accumulators.set(t.key, accumulatorFor(catalog, t, options));
  const sampled = new Set<string>();
  for (const table of Object.keys(sample).sort()) {
    const key = owningTable(catalog, topology, table);
    const acc = key ? accumulators.get(key) : undefined;
    const t = topology.tables.find((x) => x.key === key);
    if (!key || !acc || !t) continue;
    sampled.add(key);
    const rows = sample[table];
    if (!rows.length) continue;
    const columns = Object.keys(rows[0]);
    const index = t.column ? columns.indexOf(t.column) : -1;
    for (const r of rows) acc.add(columns.map((c) => r[c] ?? null), index);
  }
  return { placement: finish(topology, accumulators), sampled };
}

function finish(topology: Topology, accumulators: Map<string, TableAccumulator>): DataPlacement {
  const tables = topology.tables.map((t) => accumulators.get(t.key)!.result());
  return { tables, ...nodeLoads(topology, tables) };
}
