-- Wrong choice: events distributed by event_id, then the FK to devices put back.
-- devices holds no event_id, so the FK cannot include events' distribution
-- column, and a bigint event_id does not share devices' (integer) colocation group.
SELECT create_reference_table('device_types');
ALTER TABLE events DROP CONSTRAINT events_device_id_fkey;
SELECT create_distributed_table('devices', 'device_id');
SELECT create_distributed_table('events', 'event_id');
ALTER TABLE events ADD CONSTRAINT events_device_id_fkey
    FOREIGN KEY (device_id) REFERENCES devices (device_id);
