-- The recommended order: reference table first, then the FK out of the way,
-- a composite primary key that includes the distribution column, the two
-- distributed tables colocated on device_id, the FK back, the local copies gone.

-- device_types is small and joined everywhere: one replica on every node.
SELECT create_reference_table('device_types');

-- The FK events -> devices must not be there while the tables change kind.
ALTER TABLE events DROP CONSTRAINT events_device_id_fkey;

-- A primary key on a distributed table must include the distribution column.
ALTER TABLE events DROP CONSTRAINT events_pkey;
ALTER TABLE events ADD PRIMARY KEY (device_id, event_id);

-- devices and events on device_id: same type, same shard count, one colocation group.
SELECT create_distributed_table('devices', 'device_id');
SELECT create_distributed_table('events', 'device_id', colocate_with => 'devices');

-- Between colocated tables, on the distribution column: Citus enforces it.
ALTER TABLE events ADD CONSTRAINT events_device_id_fkey
    FOREIGN KEY (device_id) REFERENCES devices (device_id);

-- The rows were copied into the shards; drop the hidden local copies.
SELECT truncate_local_data_after_distributing_table($$public.devices$$);
SELECT truncate_local_data_after_distributing_table($$public.events$$);
