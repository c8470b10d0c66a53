/**
 * Citus's settings as Citus registers them (shared_library_init.c
 * RegisterCitusConfigVariables): their defaults, the integer ranges, and the
 * version that added each one (citus-rules.md §5, §8, §12).
 */
import type { CitusSettings } from './model.js';

export const DEFAULT_SETTINGS: CitusSettings = {
  'citus.shard_count': 32,
  'citus.shard_replication_factor': 1,
  'citus.enable_repartition_joins': false,
  'citus.enable_non_colocated_router_query_pushdown': false,
  'citus.enable_unsafe_triggers': false,
  'citus.allow_unsafe_constraints': false,
  'citus.enable_schema_based_sharding': false,
  'citus.enable_local_reference_table_foreign_keys': true,
  'citus.enable_ddl_propagation': true,
};

/**
 * Settings that a Citus version does not define: there `SET citus.x` only
 * creates a placeholder (PostgreSQL 13/14; on 15 the reserved "citus" prefix
 * makes it an error) and has no effect.
 */
export const SETTING_SINCE: Partial<Record<keyof CitusSettings, readonly [number, number, number]>> = {
  'citus.enable_unsafe_triggers': [11, 0, 2],
  'citus.enable_non_colocated_router_query_pushdown': [11, 3, 0],
  'citus.allow_unsafe_constraints': [11, 0, 7],
  'citus.enable_schema_based_sharding': [12, 0, 0],
};

/** Integer settings: their valid range (DefineCustomIntVariable). */
export const SETTING_RANGE: Partial<Record<keyof CitusSettings, readonly [number, number]>> = {
  'citus.shard_count': [1, 64000],
  'citus.shard_replication_factor': [1, 100],
};
