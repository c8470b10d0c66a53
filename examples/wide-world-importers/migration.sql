-- shardwise migration: 3 tables onto Citus 14.0, 32 shards.
-- Review it before running. Run it with psql as one session, not wrapped in one transaction:
--   psql -v ON_ERROR_STOP=1 -f migration.sql
-- Steps marked [not in a transaction block] cannot run inside BEGIN ... COMMIT.

-- ============================================================================
-- Phase 1, preflight: stop before anything changes unless the cluster is ready
-- ============================================================================

-- Stop before anything changes unless the citus extension (14.0 or later) is installed.
DO $preflight$
DECLARE
  v text;
BEGIN
  SELECT extversion INTO v FROM pg_extension WHERE extname = 'citus';
  IF v IS NULL THEN
    RAISE EXCEPTION 'shardwise: the citus extension is not installed in database %', current_database()
      USING HINT = 'Run CREATE EXTENSION citus; on the coordinator (citus must be in shared_preload_libraries).';
  END IF;
  IF string_to_array(split_part(v, '-', 1), '.')::int[] < '{14,0}'::int[] THEN
    RAISE EXCEPTION 'shardwise: this migration was checked for Citus 14.0; the database has Citus %', v
      USING HINT = 'Upgrade Citus, or generate the migration again with --citus set to this version.';
  END IF;
END
$preflight$;

-- Shards are placed on the active workers: without one, every table would land on the coordinator.
DO $preflight$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM citus_get_active_worker_nodes()) THEN
    RAISE EXCEPTION 'shardwise: no active worker node is registered with this coordinator'
      USING HINT = 'Add the workers first: SELECT citus_add_node(''worker-host'', 5432);';
  END IF;
END
$preflight$;

-- The 3 tables the design changes must exist and must not be Citus tables yet (pg_dist_partition).
DO $preflight$
DECLARE
  missing text;
  done text;
BEGIN
  SELECT string_agg(t, ', ') INTO missing FROM unnest(ARRAY['public.device_types', 'public.devices', 'public.events']) AS t WHERE to_regclass(t) IS NULL;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'shardwise: the migration expects these tables, which this database does not have: %', missing;
  END IF;
  SELECT string_agg(logicalrelid::text, ', ' ORDER BY logicalrelid::text) INTO done FROM pg_dist_partition
    WHERE logicalrelid = ANY (ARRAY['public.device_types', 'public.devices', 'public.events']::regclass[]) AND NOT (partmethod = 'n' AND colocationid = 0);
  IF done IS NOT NULL THEN
    RAISE EXCEPTION 'shardwise: already distributed or reference tables: %', done
      USING HINT = 'This migration starts from plain PostgreSQL tables; has it run already?';
  END IF;
END
$preflight$;

-- ============================================================================
-- Phase 2, prepare: distribution columns, settings and fixes the tables need first
-- ============================================================================

-- nothing to do

-- ============================================================================
-- Phase 3, reference: reference tables first, so that foreign keys to them can stay
-- ============================================================================

-- The foreign key devices -> device_types stays in place, from a table that becomes a Citus table
-- only later. With this setting on (the default) and the coordinator in the metadata,
-- create_reference_table would turn devices, and every table FK-linked to it, into citus local
-- tables, which create_distributed_table then copies back into plain tables first (and refuses for
-- tables with identity columns). Off for these calls, it stays a plain table until it becomes a
-- Citus table, when Citus checks the foreign keys like any other to a reference table.
SET citus.enable_local_reference_table_foreign_keys = off;

-- device_types becomes a reference table: one copy on every node, joinable with any distributed
-- table. The foreign key to it (devices_device_type_id_fkey on devices) stays in place: Citus
-- accepts a distributed table referencing a reference table.
SELECT create_reference_table('public.device_types');

-- Back to the default: a foreign key between a plain table and a reference table makes the plain
-- table a citus local table.
RESET citus.enable_local_reference_table_foreign_keys;

-- ============================================================================
-- Phase 4, constraints: foreign keys out of the way, keys that include the distribution column
-- ============================================================================

-- events -> devices: out of the way while the tables change kind: between the distribution of
-- devices and of events, a plain table would reference a distributed one, which Citus accepts but
-- does not enforce on deletes and create_distributed_table_concurrently refuses; it comes back once
-- both are distributed.
ALTER TABLE events DROP CONSTRAINT events_device_id_fkey;

-- events is distributed on device_id: Citus only allows PRIMARY KEY / UNIQUE that include it. Drop
-- events_pkey ...
ALTER TABLE events DROP CONSTRAINT events_pkey;

-- ... and make it again, same name, with device_id first. Uniqueness lost: (event_id) is then
-- unique only per device_id: two rows with different device_id may share it.
ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (device_id, event_id);

-- ============================================================================
-- Phase 5, distribute: single-shard tables, then each colocation group, anchor first
-- ============================================================================

-- devices is distributed on device_id, first of its colocation group (devices, events).
SELECT create_distributed_table('public.devices', 'device_id');

-- events is distributed on device_id, colocated with devices: same shard for the same device_id, so
-- joins and foreign keys on it stay on one node.
SELECT create_distributed_table('public.events', 'device_id', colocate_with => 'public.devices');

-- ============================================================================
-- Phase 6, restore: the foreign keys Citus enforces under this design
-- ============================================================================

-- events -> devices (distributed -> distributed): a foreign key Citus enforces.
ALTER TABLE events ADD CONSTRAINT events_device_id_fkey
    FOREIGN KEY (device_id) REFERENCES devices (device_id);

-- ============================================================================
-- Phase 7, cleanup: the local copies left on the coordinator
-- ============================================================================

-- The rows of device_types were copied into its shards; the copy left on the coordinator is
-- invisible but still on disk. Remove it (nothing to do for an empty table).
SELECT truncate_local_data_after_distributing_table('public.device_types');

-- The rows of devices were copied into its shards; the copy left on the coordinator is invisible
-- but still on disk. Remove it (nothing to do for an empty table).
SELECT truncate_local_data_after_distributing_table('public.devices');

-- The rows of events were copied into its shards; the copy left on the coordinator is invisible but
-- still on disk. Remove it (nothing to do for an empty table).
SELECT truncate_local_data_after_distributing_table('public.events');
