import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/catalog/index.js';
import { formatJson, formatText } from '../../../src/cli/commands/simulate.js';
import { loadParser, readScript } from '../../../src/ingest/pg/index.js';
import type { Design } from '../../../src/design/model.js';
import { planMigration, renderMigration } from '../../../src/plan/index.js';
import { CitusCluster, runScript, simulateScript, tableDataFromSchema, type Simulation, type SimulateOptions } from '../../../src/simulate/citus/index.js';
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

describe('citus.shard_count', () => {
  it('gives the next distributed tables their shard count and colocation group', () => {
    const { catalog } = buildCatalog([{ file: 's.sql', text: 'CREATE TABLE a (k int); CREATE TABLE b (k int); CREATE TABLE c (k int); CREATE TABLE d (k int); CREATE TABLE e (k int);' }]);
    const cluster = new CitusCluster(catalog);
    const script = readScript(
      'm.sql',
      "SET citus.shard_count = 8;\nSELECT create_distributed_table('a', 'k');\nSELECT create_distributed_table('b', 'k');\nSET citus.shard_count = 0;\n" +
        "RESET citus.shard_count;\nSELECT create_distributed_table('c', 'k');\nSET citus.shard_count TO 8;\nSELECT create_distributed_table('d', 'k', colocate_with => 'c');\n" +
        "SELECT create_distributed_table('e', 'k', colocate_with => 'none');",
    );
    const errors = script.statements.map((s) => cluster.execute(script, s).error?.message);
    expect(errors.filter(Boolean)).toEqual(['0 is outside the valid range for parameter "citus.shard_count" (1 .. 64000)']);
    expect(cluster.colocationGroupOf('a')?.shardCount).toBe(8);
    expect(cluster.areColocated('a', 'b')).toBe(true);
    expect(cluster.colocationGroupOf('c')?.shardCount).toBe(32);
    expect(cluster.areColocated('a', 'c')).toBe(false);
    // colocate_with a table takes its group and shard count, whatever citus.shard_count says
    expect(cluster.colocationGroupOf('d')?.shardCount).toBe(32);
    expect(cluster.areColocated('c', 'd')).toBe(true);
    // 'none': a new group with citus.shard_count shards
    expect(cluster.colocationGroupOf('e')?.shardCount).toBe(8);
    expect(cluster.areColocated('a', 'e')).toBe(false);
  });
});

describe('psql \\c: a new session', () => {
  const shardCounts = (script: string) => {
    const sim = run('CREATE TABLE a (k int); CREATE TABLE b (k int); CREATE TABLE c (k int);', script, { settings: { 'citus.shard_count': 4 } });
    expect(sim.steps.filter((s) => s.outcome === 'error')).toEqual([]);
    return Object.fromEntries(sim.final.colocationGroups.map((g) => [g.id, g.shardCount]));
  };

  it("starts with the server's settings: a SET of the session before it is gone, RESET goes back to the server's value", () => {
    const counts = shardCounts(
      "SET citus.shard_count TO 2;\nSELECT create_distributed_table('a', 'k');\n\\c - - - :master_port\nSELECT create_distributed_table('b', 'k', colocate_with => 'none');\n" +
        "SET citus.shard_count TO 8;\nRESET citus.shard_count;\nSELECT create_distributed_table('c', 'k', colocate_with => 'none');",
    );
    expect(Object.values(counts)).toEqual([2, 4, 4]);
  });
});

describe('psql ON_ERROR_STOP', () => {
  it('stops at the first error: the rest is not run, an open transaction block is rolled back', () => {
    const sim = run(
      'CREATE TABLE a (k int); CREATE TABLE b (k json);',
      "\\set ON_ERROR_STOP on\nBEGIN;\nSELECT create_distributed_table('a', 'k');\nSELECT create_distributed_table('b', 'k');\nCOMMIT;\nSELECT 1;",
    );
    expect(sim.steps.map((s) => s.outcome)).toEqual(['ok', 'ok', 'error']);
    expect(sim.stopped).toEqual({ step: 3, notRun: 2 });
    expect(sim.final.tables.map((t) => t.kind)).toEqual(['local', 'local']);
  });

  it('without it every statement runs and nothing is marked stopped', () => {
    const sim = run('CREATE TABLE b (k json);', "SELECT create_distributed_table('b', 'k');\nSELECT 1;");
    expect(sim.steps.map((s) => s.outcome)).toEqual(['error', 'ok']);
    expect(sim.stopped).toBeUndefined();
  });
});

describe('a planned backfill on the example data (src/plan)', () => {
  const schema = `CREATE TABLE orders (order_id int PRIMARY KEY, tenant_id int NOT NULL);
CREATE TABLE lines (order_id int NOT NULL REFERENCES orders (order_id), line_no int NOT NULL, note text, PRIMARY KEY (order_id, line_no));
CREATE TABLE notes (note_id int PRIMARY KEY, order_id int REFERENCES orders (order_id), body text);
INSERT INTO orders VALUES (1, 10), (2, 20), (3, 10);
INSERT INTO lines VALUES (1, 1, 'a'), (1, 2, NULL), (2, 1, 'b'), (3, 1, 'c');
`;
  const design: Design = {
    citus: '14.0',
    shardCount: 32,
    tables: {
      'public.orders': { kind: 'distributed', column: 'tenant_id' },
      'public.lines': { kind: 'distributed', column: 'tenant_id', colocateWith: 'public.orders', backfill: { from: 'public.orders', join: ['order_id'] } },
      'public.notes': { kind: 'distributed', column: 'tenant_id', colocateWith: 'public.orders', backfill: { from: 'public.orders', join: ['order_id'] } },
    },
  };
  const simulate = (notesRows: string) => {
    const { catalog, scripts } = buildCatalog([{ file: 'schema.sql', text: schema + notesRows }]);
    const m = planMigration(catalog, design);
    const cluster = new CitusCluster(catalog, { citus: m.citus, data: tableDataFromSchema(catalog, scripts) });
    return runScript(cluster, readScript('migration.sql', renderMigration(m)));
  };

  it('the fill procedures count as filling: every step is ok', () => {
    const s = simulate("INSERT INTO notes VALUES (1, 1, 'x'), (2, 3, 'y');");
    expect(s.steps.filter((x) => x.sql.startsWith('CALL')).length).toBe(2);
    expect(s.steps.filter((x) => x.outcome === 'error').map((x) => `${x.sql}: ${x.error?.message}`)).toEqual([]);
  });

  it('a row with no path to a value (NULL FK column) makes SET NOT NULL fail, as on PostgreSQL', () => {
    const s = simulate("INSERT INTO notes VALUES (1, 1, 'x'), (2, NULL, 'orphan');");
    const failed = s.steps.filter((x) => x.outcome === 'error');
    expect(failed[0]).toMatchObject({ sql: 'ALTER TABLE notes ALTER COLUMN tenant_id SET NOT NULL', error: { message: 'column "tenant_id" of relation "notes" contains null values' } });
  });
});

describe('examples/wide-world-importers', () => {
  const dir = join(root, 'examples/wide-world-importers');
  const schema = readFileSync(join(dir, 'schema.sql'), 'utf8');
  const sim = (f: string) => run(schema, readFileSync(join(dir, f), 'utf8'), {}, f);

  // The seed's order as written: create_reference_table auto-converts devices and events
  // (citus-rules.md §1, §2.1); dropping events -> devices then makes Citus undistribute events,
  // which has an identity column (utility_hook.c UndistributeDisconnectedCitusLocalTables, §2.3).
  it('plan.sql as written: Citus refuses it from step 2 on (auto-converted tables, identity column)', () => {
    const s = sim('plan.sql');
    expect(s.steps[0].notices.filter((n) => n.startsWith('local tables that are added to metadata automatically'))).toHaveLength(3);
    const IDENTITY = { message: 'cannot complete operation on a table with identity column' };
    expect(s.steps.filter((x) => x.outcome === 'error').map((x) => [x.index, x.error])).toEqual([
      [2, IDENTITY],
      [5, { message: 'cannot create foreign key constraint since foreign keys from reference tables and local tables to distributed tables are not supported', detail: 'Reference tables and local tables can only have foreign keys to reference tables and local tables' }],
      [6, IDENTITY],
      [7, { message: 'constraint "events_device_id_fkey" for relation "events" already exists' }],
    ]);
    expect(s.steps[1].notices).toEqual(['removing table public.events from metadata as it is not connected to any reference tables via foreign keys']);
    const kinds = Object.fromEntries(s.final.tables.map((t) => [t.table, t.kind]));
    expect(kinds).toEqual({ 'public.device_types': 'reference', 'public.devices': 'citus-local', 'public.events': 'citus-local' });
  });

  it('plan.sql as written, on a cluster whose coordinator is not in the metadata (no auto-conversion): every step ok', () => {
    const s = run(schema, readFileSync(join(dir, 'plan.sql'), 'utf8'), { coordinatorInMetadata: false }, 'plan.sql');
    expect(s.steps.filter((x) => x.outcome === 'error')).toEqual([]);
    const kinds = Object.fromEntries(s.final.tables.map((t) => [t.table, t.kind]));
    expect(kinds).toEqual({ 'public.device_types': 'reference', 'public.devices': 'distributed', 'public.events': 'distributed' });
  });

  it('plan.sql with create_reference_table between SET citus.enable_local_reference_table_foreign_keys = off and RESET: every step ok, devices and events colocated', () => {
    const text = readFileSync(join(dir, 'plan.sql'), 'utf8').replace(
      "SELECT create_reference_table('device_types');",
      "SET citus.enable_local_reference_table_foreign_keys = off;\nSELECT create_reference_table('device_types');\nRESET citus.enable_local_reference_table_foreign_keys;",
    );
    const s = run(schema, text, {}, 'plan.sql');
    expect(s.steps).toHaveLength(11);
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
    expect(s.steps.map((x) => x.outcome)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'error']);
    expect(s.steps[6].error).toEqual({
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

describe('ON_ERROR_STOP in the report', () => {
  it('JSON and text say where psql stops and how many statements it does not run', () => {
    const s = run('CREATE TABLE t (k json);', "\\set ON_ERROR_STOP on\nSELECT create_distributed_table('t', 'k');\nSELECT 1;\nSELECT 2;");
    const doc = JSON.parse(formatJson(s));
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    const validate = ajv.compile(JSON.parse(readFileSync(join(root, 'schemas/simulation.schema.json'), 'utf8')));
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.stopped).toEqual({ step: 1, notRun: 2 });
    expect(doc.steps).toHaveLength(1);
    expect(formatText(s)).toContain('ON_ERROR_STOP is on: psql stops at step 1; 2 later statements are not run');
  });
});
