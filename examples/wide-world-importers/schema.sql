-- Wide World Importers sensor data, as it lives on one PostgreSQL node.
CREATE TABLE device_types (
    device_type_id integer PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE devices (
    device_id integer PRIMARY KEY,
    device_type_id integer NOT NULL REFERENCES device_types (device_type_id),
    name text NOT NULL
);

CREATE TABLE events (
    event_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id integer NOT NULL REFERENCES devices (device_id),
    payload jsonb
);

COPY device_types (device_type_id, name) FROM stdin;
1	thermometer
2	hygrometer
\.

COPY devices (device_id, device_type_id, name) FROM stdin;
97	1	device97
98	2	device98
\.

INSERT INTO events (device_id, payload) VALUES
    (97, '{"temp": 21.5}'),
    (98, '{"humidity": 40}');
