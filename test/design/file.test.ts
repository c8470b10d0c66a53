import { beforeAll, describe, expect, it } from 'vitest';
import { readSchema } from '../../src/catalog/index.js';
import type { Catalog } from '../../src/catalog/model.js';
import { DesignFileError, parseDesign, writeDesign } from '../../src/design/file.js';

let catalog: Catalog;
beforeAll(async () => {
  ({ catalog } = await readSchema([
    {
      file: 's.sql',
      text: `CREATE TABLE device_types (id int PRIMARY KEY);
CREATE TABLE devices (device_id bigint PRIMARY KEY, type_id int REFERENCES device_types);
CREATE TABLE events (event_id bigint PRIMARY KEY, device_id bigint REFERENCES devices);
CREATE SCHEMA audit; CREATE TABLE audit."Log Entries" (id int, event_id bigint);`,
    },
  ]));
});

const problems = (text: string) => {
  try {
    parseDesign(text, 'plan.yaml', catalog);
  } catch (e) {
    if (e instanceof DesignFileError) return e.problems.map((p) => `${p.line}:${p.column} ${p.message}${p.hint ? ` | ${p.hint}` : ''}`);
    throw e;
  }
  return [];
};

describe('design file', () => {
  it('reads the format of the design document, keys qualified for public', () => {
    const d = parseDesign(
      `citus: "13.0"\nshard_count: 32\ntables:\n  device_types: { kind: reference }\n  devices: { kind: distributed, column: device_id, colocate_with: events }\n  events: { kind: distributed, column: device_id }\n`,
      'plan.yaml',
      catalog,
    );
    expect(d).toEqual({
      citus: '13.0',
      shardCount: 32,
      tables: {
        'public.device_types': { kind: 'reference' },
        'public.devices': { kind: 'distributed', column: 'device_id', colocateWith: 'public.events' },
        'public.events': { kind: 'distributed', column: 'device_id' },
      },
    });
  });

  it('writes what it reads, byte for byte stable, with quoted odd names', () => {
    const d = parseDesign(
      `tables:\n  "audit.Log Entries": { kind: distributed, column: device_id, backfill: { from: events, join: [event_id] } }\n  events: { kind: distributed, column: device_id }\n  devices: { kind: distributed, column: device_id, colocate_with: events }\n`,
      'plan.yaml',
      catalog,
    );
    const text = writeDesign(d);
    expect(parseDesign(text, 'again.yaml', catalog)).toEqual(d);
    expect(writeDesign(parseDesign(text, 'again.yaml', catalog))).toBe(text);
    expect(text).toContain('"audit.Log Entries": { kind: distributed, column: device_id, backfill: { from: events, join: [event_id] } }');
  });

  it('points schema errors at the YAML line and column, with a hint', () => {
    expect(problems(`tables:\n  devices: { kind: distributd, column: device_id }\n`)).toEqual([
      '2:20 tables.devices.kind: "distributd" is not allowed | use one of: distributed, reference, local, single-shard',
    ]);
    expect(problems(`tables:\n  events:\n    kind: distributed\n`)).toEqual(['3:5 tables.events: missing "column" | a distributed table needs its distribution column']);
    expect(problems(`shard_count: 0\ntables: {}\n`)[0]).toMatch(/^1:14 shard_count: must be >= 1/);
    expect(problems(`tables:\n  events: { kind: local, colour: red }\n`)[0]).toMatch(/^2:26 unknown key "colour" in tables.events \| allowed keys: kind, column, colocate_with, shard_count, backfill$/);
  });

  it('checks names against the schema', () => {
    expect(problems(`tables:\n  evnts: { kind: reference }\n`)).toEqual(['2:3 table evnts is not in the schema | remove it, or check the name (schema.table outside public)']);
    expect(problems(`tables:\n  events: { kind: distributed, column: tenant_id }\n`)[0]).toMatch(/^2:40 table events has no column tenant_id \| add a backfill/);
    expect(problems(`tables:\n  events: { kind: distributed, column: device_id, colocate_with: devices }\n`)[0]).toMatch(/colocates with devices, which the design does not distribute/);
  });

  it('reports YAML syntax errors with their position', () => {
    expect(problems(`tables:\n  events: { kind: local\n`)[0]).toMatch(/^\d+:\d+ YAML: /);
  });
});
