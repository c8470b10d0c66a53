-- Wrong choice: events distributed by event_id, then the FK to devices put back.
-- devices holds no event_id, so the FK cannot include events' distribution
-- column, and a bigint event_id does not share devices' (integer) colocation group.
-- (The FK devices -> device_types stays plain while device_types becomes a
-- reference table: with the setting on, Citus would make devices and events
-- citus local tables, and dropping events' FK would then fail on its identity column.)
SET citus.enable_local_reference_table_foreign_keys = off;
SELECT create_reference_table('device_types');
RESET citus.enable_local_reference_table_foreign_keys;
ALTER TABLE events DROP CONSTRAINT events_device_id_fkey;
SELECT create_distributed_table('devices', 'device_id');
SELECT create_distributed_table('events', 'event_id');
ALTER TABLE events ADD CONSTRAINT events_device_id_fkey
    FOREIGN KEY (device_id) REFERENCES devices (device_id);
