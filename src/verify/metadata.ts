/**
 * What a real Citus cluster says of its tables, read from the coordinator's
 * metadata (pg_dist_partition, pg_dist_shard, pg_dist_node) in the
 * read-only session.
 */
import { LiveError, type LiveSession } from '../ingest/live/index.js';
import { qualifiedKey } from '../ingest/pg/index.js';

/** A table's kind as Citus has it (citus-rules.md §1); `local` tables are not in the metadata. */
export type ClusterKind = 'distributed' | 'reference' | 'single-shard' | 'citus-local' | 'append' | 'range' | 'local';

export interface ClusterTable {
  readonly key: string;
  readonly kind: ClusterKind;
  /** Distribution column (hash, append and range tables). */
  readonly column?: string;
  /** `pg_dist_partition.colocationid` (0 for citus local tables). */
  readonly colocationId: number;
  /** Shards in pg_dist_shard. */
  readonly shards: number;
  /** Citus added the table to its metadata itself (a local table linked to a reference table). */
  readonly autoConverted: boolean;
  /** The table is a partition. */
  readonly partition: boolean;
}

export interface ClusterMetadata {
  /** `extversion` of the citus extension, e.g. `13.2-1`. */
  readonly citusVersion: string;
  /** `host:port` of the coordinator when it is in pg_dist_node. */
  readonly coordinator?: string;
  /** Active primary nodes that hold shards, `host:port`, in Citus's order (name, then port). */
  readonly workers: string[];
  /** Every table in pg_dist_partition, sorted by key. */
  readonly tables: ClusterTable[];
  /** `citus.enable_repartition_joins` of the session: the planner repartitions joins it would otherwise refuse. */
  readonly enableRepartitionJoins: boolean;
}

interface PartitionRow extends Record<string, unknown> {
  schema: string;
  name: string;
  partmethod: string;
  repmodel: string;
  colocationid: number;
  column: string | null;
  autoconverted: string | null;
  shards: number;
  partition: boolean;
}

interface NodeRow extends Record<string, unknown> {
  groupid: number;
  nodename: string;
  nodeport: number;
  shouldhaveshards: boolean;
}

export function clusterKind(partmethod: string, repmodel: string, colocationId: number): ClusterKind {
  switch (partmethod) {
    case 'h':
      return 'distributed';
    case 'a':
      return 'append';
    case 'r':
      return 'range';
    case 'n':
      if (repmodel === 't') return 'reference';
      return colocationId === 0 ? 'citus-local' : 'single-shard';
    default:
      return 'local';
  }
}

/** Read the cluster's tables and nodes; a database without Citus, or a worker, is the user's to fix. */
export async function readClusterMetadata(session: LiveSession): Promise<ClusterMetadata> {
  const ext = await session.query<{ v: string }>(`SELECT extversion AS v FROM pg_catalog.pg_extension WHERE extname = 'citus'`);
  if (!ext.length) {
    throw new LiveError('extension', `the citus extension is not installed in database ${session.database}`, 'verify reads a Citus cluster after the migration: connect it to the coordinator of that cluster');
  }
  const group = await session.query<{ g: number }>('SELECT groupid AS g FROM pg_catalog.pg_dist_local_group');
  if (group.length && Number(group[0].g) !== 0) {
    throw new LiveError('usage', `database ${session.database} is on a Citus worker (group ${group[0].g}), not the coordinator`, 'connect verify to the coordinator, where the metadata and the planner are');
  }
  const rows = await session.query<PartitionRow>(
    `SELECT n.nspname AS schema, c.relname AS name, p.partmethod::text AS partmethod, p.repmodel::text AS repmodel,
            p.colocationid::int AS colocationid,
            CASE WHEN p.partkey IS NOT NULL THEN pg_catalog.column_to_column_name(p.logicalrelid, p.partkey) END AS column,
            pg_catalog.to_jsonb(p) ->> 'autoconverted' AS autoconverted,
            (SELECT count(*) FROM pg_catalog.pg_dist_shard s WHERE s.logicalrelid = p.logicalrelid)::int AS shards,
            c.relispartition AS partition
       FROM pg_catalog.pg_dist_partition p
       JOIN pg_catalog.pg_class c ON c.oid = p.logicalrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace`,
  );
  const nodes = await session.query<NodeRow>(
    `SELECT groupid::int AS groupid, nodename, nodeport::int AS nodeport, shouldhaveshards
       FROM pg_catalog.pg_dist_node WHERE isactive AND noderole = 'primary'`,
  );
  const coordinator = nodes.find((n) => Number(n.groupid) === 0);
  const workers = nodes
    .filter((n) => Number(n.groupid) !== 0 && n.shouldhaveshards)
    .sort((a, b) => Buffer.compare(Buffer.from(a.nodename), Buffer.from(b.nodename)) || a.nodeport - b.nodeport)
    .map((n) => `${n.nodename}:${n.nodeport}`);
  const tables = rows
    .map((r) => {
      const colocationId = Number(r.colocationid);
      const kind = clusterKind(r.partmethod, r.repmodel, colocationId);
      return {
        key: qualifiedKey(r.schema, r.name),
        kind,
        ...(r.column && kind !== 'reference' && kind !== 'single-shard' && kind !== 'citus-local' ? { column: r.column } : {}),
        colocationId,
        shards: Number(r.shards),
        autoConverted: r.autoconverted === 'true',
        partition: !!r.partition,
      };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const repartition = await session.query<{ on: boolean }>(`SELECT pg_catalog.current_setting('citus.enable_repartition_joins', true) = 'on' AS on`);
  return {
    citusVersion: ext[0].v,
    ...(coordinator ? { coordinator: `${coordinator.nodename}:${coordinator.nodeport}` } : {}),
    workers,
    tables,
    enableRepartitionJoins: repartition[0]?.on === true,
  };
}
