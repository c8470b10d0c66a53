-- Wrong order: events is distributed, FK kept, while the table its FK points
-- to (devices) is still a plain PostgreSQL table.
ALTER TABLE events DROP CONSTRAINT events_pkey;
ALTER TABLE events ADD PRIMARY KEY (device_id, event_id);
SELECT create_distributed_table('events', 'device_id');
