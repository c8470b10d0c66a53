/**
 * The files of Citus's regression suite that cover what the model does, by
 * topic. Each runs on a fresh model with the suite's own settings
 * (pg_regress_multi.pl: citus.shard_count = 4, citus.shard_replication_factor = 2).
 */
export const REGRESS_FILES: Readonly<Record<string, readonly string[]>> = {
  'table kinds': ['multi_create_table', 'multi_create_table_constraints', 'create_single_shard_table', 'create_distributed_table_concurrently', 'create_ref_dist_from_citus_local', 'citus_local_tables', 'create_citus_local_table_cascade', 'auto_undist_citus_local', 'multi_reference_table', 'single_shard_table_udfs'],
  colocation: ['multi_colocation_utils', 'update_colocation_mx'],
  'foreign keys': ['multi_foreign_key', 'foreign_key_to_reference_table', 'fkeys_between_local_ref', 'ref_citus_local_fkeys', 'multi_foreign_key_relation_graph', 'foreign_key_restriction_enforcement', 'multi_alter_table_add_foreign_key_without_name'],
  constraints: ['multi_alter_table_add_constraints', 'multi_alter_table_add_constraints_without_name', 'validate_constraint', 'multi_index_statements'],
  'sequences and identity': ['sequences', 'multi_sequence_default', 'sequences_with_different_types', 'generated_identity', 'sequences_owned_by'],
  'alter table': ['alter_table_add_column', 'multi_alter_table_statements', 'multi_table_ddl', 'multi_name_lengths', 'multi_schema_support'],
  triggers: ['citus_table_triggers', 'citus_local_table_triggers', 'distributed_triggers'],
  partitioning: ['multi_partitioning', 'drop_column_partitioned_table', 'partitioning_issue_3970', 'drop_partitioned_table'],
  'undistribute and alter_distributed_table': ['undistribute_table', 'undistribute_table_cascade', 'alter_distributed_table', 'alter_table_single_shard_table'],
  'truncate and drop': ['multi_truncate', 'multi_transactional_drop_shards'],
  'schema-based sharding': ['schema_based_sharding', 'citus_schema_distribute_undistribute'],
  routing: ['multi_router_planner', 'multi_router_planner_fast_path', 'fast_path_router_modify', 'multi_hash_pruning', 'multi_shard_update_delete', 'multi_modifications', 'multi_upsert', 'subqueries_not_supported', 'non_colocated_subquery_joins', 'unsupported_lateral_subqueries', 'multi_subquery', 'multi_insert_select', 'multi_outer_join', 'with_modifying'],
};

/** citus_tests/run_test.py's base_schedule: the files that leave tables behind for the tests that name it. */
const BASE_SCHEDULE = ['multi_create_table', 'multi_behavioral_analytics_create_table', 'multi_load_data'];

/**
 * Files that Citus's schedules (multi_1_schedule, multi_schedule) run before a
 * chosen file and whose tables it reads, as citus_tests/run_test.py's DEPS
 * declares them where it does. The harness runs them first on the same model,
 * each as its own psql session, and compares the chosen file alone.
 */
export const SETUP: Readonly<Record<string, readonly string[]>> = {
  alter_distributed_table: ['multi_behavioral_analytics_create_table'],
  multi_index_statements: ['multi_create_table'],
  multi_insert_select: BASE_SCHEDULE,
  multi_partitioning: BASE_SCHEDULE,
  multi_sequence_default: ['multi_table_ddl'],
  sequences: ['sequences_create'],
  with_modifying: ['multi_behavioral_analytics_create_table'],
};
