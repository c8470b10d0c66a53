/**
 * The Wide World Importers example: the generated migration follows the
 * order of the Microsoft Learn plan (device_types reference first, the FK
 * events -> devices out of the way and the composite primary key, devices
 * then events distributed on device_id and colocated, FKs back, local copies
 * truncated), every step is ok on the Citus model, and the scripts match
 * their reviewed goldens.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSchema } from '../../src/catalog/index.js';
import type { Catalog } from '../../src/catalog/model.js';
import { parseDesign } from '../../src/design/file.js';
import type { Design } from '../../src/design/model.js';
import { readScript } from '../../src/ingest/pg/index.js';
import { planMigration, renderMigration, renderRollback, type Migration } from '../../src/plan/index.js';
import { CitusCluster, runScript, tableDataFromSchema } from '../../src/simulate/citus/index.js';
import { repoRoot } from '../support/corpus.js';
import { expectGolden } from './golden.js';

const dir = join(repoRoot, 'examples', 'wide-world-importers');
let catalog: Catalog;
let data: ReturnType<typeof tableDataFromSchema>;
let design: Design;
let m: Migration;

beforeAll(async () => {
  const text = readFileSync(join(dir, 'schema.sql'), 'utf8');
  const read = await readSchema([{ file: 'schema.sql', text }]);
  catalog = read.catalog;
  data = tableDataFromSchema(read.catalog, read.scripts);
  const planFile = join(repoRoot, 'test', 'fixtures', 'plan', 'wwi', 'shardwise.plan.yaml');
  design = parseDesign(readFileSync(planFile, 'utf8'), 'shardwise.plan.yaml', catalog);
  m = planMigration(catalog, design);
});

/** Position of the first step whose SQL matches. */
function at(pattern: RegExp): number {
  const i = m.steps.findIndex((s) => pattern.test(s.sql));
  expect(i, `no step matches ${pattern}`).toBeGreaterThanOrEqual(0);
  return i;
}

describe('Wide World Importers', () => {
  it('follows the order of the plan: reference table, FK and key changes, devices then events colocated, FKs back, truncation', () => {
    const dropFk = at(/^ALTER TABLE events DROP CONSTRAINT events_device_id_fkey$/);
    const dropPk = at(/^ALTER TABLE events DROP CONSTRAINT events_pkey$/);
    const addPk = at(/^ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY \(device_id, event_id\)$/);
    const ref = at(/^SELECT create_reference_table\('public\.device_types'\)$/);
    const devices = at(/^SELECT create_distributed_table\('public\.devices', 'device_id'\)$/);
    const events = at(/^SELECT create_distributed_table\('public\.events', 'device_id', colocate_with => 'public\.devices'\)$/);
    const fkBack = at(/^ALTER TABLE events ADD CONSTRAINT events_device_id_fkey\s+FOREIGN KEY \(device_id\) REFERENCES devices \(device_id\)$/);
    const truncDevices = at(/truncate_local_data_after_distributing_table\('public\.devices'\)/);
    const truncEvents = at(/truncate_local_data_after_distributing_table\('public\.events'\)/);
    expect(dropFk).toBeLessThan(devices);
    expect(dropPk).toBeLessThan(addPk);
    expect(addPk).toBeLessThan(events);
    expect(ref).toBeLessThan(devices);
    expect(devices).toBeLessThan(events);
    expect(events).toBeLessThan(fkBack);
    expect(fkBack).toBeLessThan(truncDevices);
    expect(truncDevices).toBeLessThan(truncEvents);
    // devices -> device_types (distributed -> reference) is enforced by Citus and comes back too
    expect(at(/^ALTER TABLE devices ADD CONSTRAINT devices_device_type_id_fkey/)).toBeGreaterThan(devices);
    expect(m.notes.filter((n) => n.phase === 'restore')).toEqual([]);
  });

  it('runs step by step on the Citus model with the example data, then the rollback', () => {
    const cluster = new CitusCluster(catalog, { citus: m.citus, data });
    const forward = runScript(cluster, readScript('migration.sql', renderMigration(m)));
    expect(forward.steps.filter((s) => s.outcome === 'error')).toEqual([]);
    expect(forward.steps).toHaveLength(m.steps.length);
    const kinds = Object.fromEntries(forward.final.tables.map((t) => [t.table, t.kind]));
    expect(kinds).toEqual({ 'public.device_types': 'reference', 'public.devices': 'distributed', 'public.events': 'distributed' });
    expect(cluster.areColocated('public.devices', 'public.events')).toBe(true);
    const back = runScript(cluster, readScript('rollback.sql', renderRollback(m)));
    expect(back.steps.filter((s) => s.outcome === 'error')).toEqual([]);
    // events has an identity column: undistribute_table refuses it, and the rollback says so
    expect(cluster.kindOf('public.events')).toBe('distributed');
    expect(cluster.kindOf('public.devices')).toBe('local');
    expect(m.rollback.cannotUndo.join('\n')).toMatch(/events .*identity column/);
  });

  it('matches the reviewed scripts', () => {
    expectGolden('examples/wide-world-importers/migration.sql', renderMigration(m));
    expectGolden('test/fixtures/plan/wwi/rollback.sql', renderRollback(m));
  });
});
