import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/catalog/index.js';
import { formatJson, formatText } from '../../../src/cli/commands/simulate.js';
import { loadParser, readScript } from '../../../src/ingest/pg/index.js';
import { CitusCluster, simulateScript, tableDataFromSchema, type Simulation, type SimulateOptions } from '../../../src/simulate/citus/index.js';
import { CASES } from './cases.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

beforeAll(async () => {
  await loadParser();
});

function run(schema: string, script: string, options: SimulateOptions = {}, file = 'migration.sql'): Simulation {
  const { catalog, scripts } = buildCatalog([{ file: 'schema.sql', text: schema }]);
  return simulateScript(catalog, readScript(file, script), { data: tableDataFromSchema(catalog, scripts), ...options });
}

describe('Citus behaviour (citus-rules.md)', () => {
  it('has at least 100 cases with unique names', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const sim = run(c.schema, c.script, c.options);
    const got = sim.steps.map((s) => ({ error: s.error, notices: s.notices }));
    const want = c.expect.map((e) => (e === 'ok' ? { error: undefined, notices: [] } : { error: e.error, notices: e.notices ?? [] }));
    expect(got).toEqual(want);
  });
});

describe('state queries', () => {
  it('reports kinds, distribution columns and colocation', () => {
    const { catalog } = buildCatalog([{ file: 's.sql', text: 'CREATE TABLE a (k int); CREATE TABLE b (k int); CREATE TABLE c (k bigint); CREATE TABLE r (id int);' }]);
    const cluster = new CitusCluster(catalog);
    const script = readScript('m.sql', "SELECT create_distributed_table('a','k'); SELECT create_distributed_table('b','k'); SELECT create_distributed_table('c','k'); SELECT create_reference_table('r');");
    for (const s of script.statements) expect(cluster.execute(script, s).error).toBeUndefined();
    expect(cluster.kindOf('a')).toBe('distributed');
    expect(cluster.kindOf('r')).toBe('reference');
    expect(cluster.distributionColumn('public.b')).toBe('k');
    expect(cluster.areColocated('a', 'b')).toBe(true);
    expect(cluster.areColocated('a', 'c')).toBe(false);
    expect(cluster.colocationGroupOf('a')).toMatchObject({ shardCount: 32, replicationFactor: 1, columnType: 'int4' });
  });

  it('a statement that fails changes nothing, and later ones still run', () => {
    const sim = run('CREATE TABLE t (k json, id int);', "SELECT create_distributed_table('t', 'k');\nSELECT create_distributed_table('t', 'id');");
    expect(sim.steps.map((s) => s.outcome)).toEqual(['error', 'ok']);
    expect(sim.final.tables).toEqual([expect.objectContaining({ table: 'public.t', kind: 'distributed', column: 'id' })]);
  });
});

describe('examples/wide-world-importers', () => {
  const dir = join(root, 'examples/wide-world-importers');
  const schema = readFileSync(join(dir, 'schema.sql'), 'utf8');
  const sim = (f: string) => run(schema, readFileSync(join(dir, f), 'utf8'), {}, f);

  it('plan.sql: every step ok, devices and events colocated', () => {
    const s = sim('plan.sql');
    expect(s.steps.filter((x) => x.outcome === 'error')).toEqual([]);
    const kinds = Object.fromEntries(s.final.tables.map((t) => [t.table, t.kind]));
    expect(kinds).toEqual({ 'public.device_types': 'reference', 'public.devices': 'distributed', 'public.events': 'distributed' });
    const ids = s.final.tables.filter((t) => t.kind === 'distributed').map((t) => t.colocationId);
    expect(ids[0]).toBe(ids[1]);
  });

  it('wrong-order.sql: distributing events before devices fails with E1', () => {
    const s = sim('wrong-order.sql');
    expect(s.steps.map((x) => x.outcome)).toEqual(['ok', 'ok', 'error']);
    expect(s.steps[2].error).toEqual({
      message: 'referenced table "devices" must be a distributed table or a reference table',
      detail: 'To enforce foreign keys, the referencing and referenced rows need to be stored on the same node.',
      hint: "You could use SELECT create_reference_table('devices') to replicate the referenced table to all nodes or consider dropping the foreign key",
    });
  });

  it('wrong-choice.sql: events by event_id cannot keep its FK to devices', () => {
    const s = sim('wrong-choice.sql');
    expect(s.steps.map((x) => x.outcome)).toEqual(['ok', 'ok', 'ok', 'ok', 'error']);
    expect(s.steps[4].error).toEqual({
      message: 'cannot create foreign key constraint since relations are not colocated or not referencing a reference table',
      detail: 'A distributed table can only have foreign keys if it is referencing another colocated hash distributed table or a reference table',
    });
  });
});

describe('report formats', () => {
  const s = run('CREATE TABLE t (k json);', "SELECT create_distributed_table('t', 'k');\nSELECT 1;");

  it('JSON validates against schemas/simulation.schema.json', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    const validate = ajv.compile(JSON.parse(readFileSync(join(root, 'schemas/simulation.schema.json'), 'utf8')));
    const doc = JSON.parse(formatJson(s));
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.steps[0]).toEqual({
      index: 1,
      sql: "SELECT create_distributed_table('t', 'k')",
      location: { file: 'migration.sql', line: 1, column: 1 },
      outcome: 'error',
      error: { message: 'data type json has no default operator class for specified partition method', detail: 'Partition column types must have a default operator class defined.' },
      notices: [],
    });
    doc.steps[1].error = { message: 'x' };
    expect(validate(doc)).toBe(false);
  });

  it('text prints the server messages as psql does', () => {
    const text = formatText(s);
    expect(text).toContain('migration.sql:1:1: step 1: SELECT create_distributed_table');
    expect(text).toContain('ERROR:  data type json has no default operator class for specified partition method\nDETAIL:  Partition column types must have a default operator class defined.\n');
    expect(text).toContain('migration.sql:2:1: step 2: SELECT 1\nok\n');
  });
});

describe('queries inside a migration (citus-rules.md §10-11)', () => {
  const schema = `CREATE TABLE devices (device_id bigint PRIMARY KEY, name text);
CREATE TABLE events (device_id bigint NOT NULL, event_id bigint NOT NULL, payload text, PRIMARY KEY (device_id, event_id));
CREATE TABLE readings (reading_id bigint PRIMARY KEY, device_id bigint);`;
  const script = `SELECT create_distributed_table('devices', 'device_id');
SELECT create_distributed_table('events', 'device_id', colocate_with => 'devices');
SELECT create_distributed_table('readings', 'reading_id', colocate_with => 'none');
SELECT payload FROM events WHERE device_id = 5;
SELECT count(*) FROM events;
SELECT e.payload FROM events e JOIN devices d ON d.device_id = e.device_id;
SELECT r.reading_id FROM readings r JOIN events e ON e.device_id = r.device_id;
UPDATE events SET device_id = 7 WHERE event_id = 1;
SET citus.enable_repartition_joins TO on;
SELECT r.reading_id FROM readings r JOIN events e ON e.device_id = r.device_id;`;

  it('carry the class and the shards they reach; a query Citus refuses fails with its error', () => {
    const s = run(schema, script);
    const at = (i: number) => ({ outcome: s.steps[i].outcome, class: s.steps[i].class, shards: s.steps[i].shards });
    expect(s.steps.slice(0, 3).map((x) => x.class)).toEqual([undefined, undefined, undefined]);
    expect(at(3)).toEqual({ outcome: 'ok', class: 'router', shards: 1 });
    expect(at(4)).toEqual({ outcome: 'ok', class: 'multi-shard', shards: 32 });
    expect(at(5)).toEqual({ outcome: 'ok', class: 'multi-shard', shards: 32 });
    expect(at(6)).toEqual({ outcome: 'error', class: 'error', shards: 0 });
    expect(s.steps[6].error).toEqual({ message: 'the query contains a join that requires repartitioning', hint: 'Set citus.enable_repartition_joins to on to enable repartitioning' });
    expect(s.steps[7].outcome).toBe('error');
    expect(s.steps[7].error?.message).toBe('modifying the partition value of rows is not allowed');
    expect(at(9)).toEqual({ outcome: 'ok', class: 'repartition', shards: 32 });
    const doc = JSON.parse(formatJson(s));
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    const validate = ajv.compile(JSON.parse(readFileSync(join(root, 'schemas/simulation.schema.json'), 'utf8')));
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.steps[3]).toMatchObject({ class: 'router', shards: 1 });
    expect(formatText(s)).toContain('ok (router, 1 shard)');
  });
});
