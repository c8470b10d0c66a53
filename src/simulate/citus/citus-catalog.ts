/**
 * The relations and sequences the citus extension keeps in pg_catalog
 * (citus--*.sql creates them in schema citus and moves them there): its
 * metadata. A statement may name them like any relation; the model keeps
 * the metadata itself, not these tables' rows.
 */
import type { RangeVar } from '../../ingest/pg/ast.js';

const METADATA_TABLES: ReadonlySet<string> = new Set([
  'pg_dist_authinfo',
  'pg_dist_background_job',
  'pg_dist_background_task',
  'pg_dist_background_task_depend',
  'pg_dist_cleanup',
  'pg_dist_colocation',
  'pg_dist_local_group',
  'pg_dist_node',
  'pg_dist_node_metadata',
  'pg_dist_object',
  'pg_dist_partition',
  'pg_dist_placement',
  'pg_dist_poolinfo',
  'pg_dist_rebalance_strategy',
  'pg_dist_schema',
  'pg_dist_shard',
  'pg_dist_shard_placement',
  'pg_dist_transaction',
]);

/** Its id sequences (the placement one renamed from pg_dist_shard_placement_placementid_seq). */
const METADATA_SEQUENCES: ReadonlySet<string> = new Set([
  'pg_dist_cleanup_recordid_seq',
  'pg_dist_colocationid_seq',
  'pg_dist_groupid_seq',
  'pg_dist_jobid_seq',
  'pg_dist_node_nodeid_seq',
  'pg_dist_operationid_seq',
  'pg_dist_placement_placementid_seq',
  'pg_dist_shardid_seq',
]);

/** pg_catalog comes first in every search_path: an unqualified name finds these before any other. */
const inCatalog = (rv: RangeVar | undefined, names: ReadonlySet<string>) => !!rv && names.has(rv.relname ?? '') && (rv.schemaname ?? 'pg_catalog') === 'pg_catalog';

export const isMetadataTable = (rv: RangeVar | undefined): boolean => inCatalog(rv, METADATA_TABLES);
export const isMetadataSequence = (rv: RangeVar | undefined): boolean => inCatalog(rv, METADATA_SEQUENCES);
