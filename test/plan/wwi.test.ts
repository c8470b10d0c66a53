/**
 * The Wide World Importers example: the generated migration has every step
 * of the seed's plan (examples/wide-world-importers/plan.sql, the Microsoft
 * Learn order) in the seed's order: device_types a reference table first, the
 * FK events -> devices out of the way and the composite primary key, devices
 * then events distributed on device_id and colocated, the FK back, the local
 * copies truncated; the FK devices -> device_types stays in place throughout.
 * Every step is ok on the Citus model, and the scripts match their goldens.
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

/**
 * What a statement does, the same whichever way it is written: the seed's
 * plan.sql writes `create_reference_table('device_types')` and `ADD PRIMARY
 * KEY`, the migration `'public.device_types'` and `ADD CONSTRAINT events_pkey`.
 */
function action(sql: string): string | undefined {
  const s = sql
    .replace(/\s+/g, ' ')
    .replace(/\$\$|'/g, '')
    .replace(/\bpublic\./g, '')
    .trim();
  let x: RegExpExecArray | null;
  if ((x = /^SELECT create_reference_table\((\w+)\)$/.exec(s))) return `reference ${x[1]}`;
  if ((x = /^SELECT create_distributed_table\((\w+), (\w+)(?:, colocate_with => (\w+))?\)$/.exec(s))) return `distribute ${x[1]} on ${x[2]}${x[3] ? ` with ${x[3]}` : ''}`;
  if ((x = /^ALTER TABLE (\w+) DROP CONSTRAINT (\w+)$/.exec(s))) return `drop ${x[1]}.${x[2]}`;
  if ((x = /^ALTER TABLE (\w+) ADD (?:CONSTRAINT \w+ )?PRIMARY KEY \(([\w, ]+)\)$/.exec(s))) return `primary key ${x[1]} (${x[2]})`;
  if ((x = /^ALTER TABLE (\w+) ADD CONSTRAINT (\w+) FOREIGN KEY \(([\w, ]+)\) REFERENCES (\w+) \(([\w, ]+)\)$/.exec(s))) return `foreign key ${x[1]}.${x[2]} (${x[3]}) -> ${x[4]} (${x[5]})`;
  if ((x = /^SELECT truncate_local_data_after_distributing_table\((\w+)\)$/.exec(s))) return `truncate ${x[1]}`;
  if ((x = /^SET ([\w.]+) = (\w+)$/.exec(s))) return `set ${x[1]} ${x[2]}`;
  if ((x = /^RESET ([\w.]+)$/.exec(s))) return `reset ${x[1]}`;
  return undefined;
}

/** The seed's plan (examples/wide-world-importers/plan.sql), step by step. */
function seedSteps(): string[] {
  const script = readScript('plan.sql', readFileSync(join(dir, 'plan.sql'), 'utf8'));
  return script.statements.map((st) => {
    const a = action(st.sql);
    expect(a, `plan.sql: ${st.sql}`).toBeDefined();
    return a!;
  });
}

describe('Wide World Importers', () => {
  it('the seed plan is the one of the issue: reference table, FK and key changes, devices then events colocated, FK back, truncation', () => {
    expect(seedSteps()).toEqual([
      'reference device_types',
      'drop events.events_device_id_fkey',
      'drop events.events_pkey',
      'primary key events (device_id, event_id)',
      'distribute devices on device_id',
      'distribute events on device_id with devices',
      'foreign key events.events_device_id_fkey (device_id) -> devices (device_id)',
      'truncate devices',
      'truncate events',
    ]);
  });

  it("follows the seed's order, step for step; what it adds is named", () => {
    const seed = seedSteps();
    const ours = m.steps.filter((s) => s.phase !== 'preflight').map((s) => action(s.sql) ?? s.sql);
    // every step of the seed, in the seed's order, and nothing of the seed twice
    expect(ours.filter((a) => seed.includes(a))).toEqual(seed);
    // the rest: device_types made a reference table without turning devices into a citus local
    // table (devices -> device_types stays in place: an FK to a reference table made first does
    // not block create_distributed_table, §6), and the reference table's hidden local copy removed
    expect(ours.filter((a) => !seed.includes(a))).toEqual([
      'set citus.enable_local_reference_table_foreign_keys off',
      'reset citus.enable_local_reference_table_foreign_keys',
      'truncate device_types',
    ]);
    expect(ours.slice(0, 3)).toEqual(['set citus.enable_local_reference_table_foreign_keys off', 'reference device_types', 'reset citus.enable_local_reference_table_foreign_keys']);
    expect(ours[ours.length - 3]).toBe('truncate device_types');
    // only the FK that blocks is dropped: events -> devices (a plain table referencing a distributed
    // one between the two create_distributed_table calls); devices -> device_types never is
    expect(ours.filter((a) => a.startsWith('drop ') && a.endsWith('_fkey'))).toEqual(['drop events.events_device_id_fkey']);
    expect(m.steps.some((s) => /devices_device_type_id_fkey/.test(s.sql))).toBe(false);
    expect(m.foreignKeys).toEqual({ rewritten: [], dropped: [] });
    expect(m.notes.filter((n) => n.phase === 'restore')).toEqual([]);
    // the phases the steps sit in
    expect(m.steps.filter((s) => s.phase !== 'preflight').map((s) => s.phase)).toEqual([
      'reference', 'reference', 'reference',
      'constraints', 'constraints', 'constraints',
      'distribute', 'distribute',
      'restore',
      'cleanup', 'cleanup', 'cleanup',
    ]);
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

  it('makes device_types a reference table without turning devices or events into citus local tables', () => {
    for (const coordinatorInMetadata of [true, false]) {
      const cluster = new CitusCluster(catalog, { citus: m.citus, data, coordinatorInMetadata });
      const upTo = m.steps.findIndex((s) => s.sql.startsWith('RESET citus.enable_local_reference_table_foreign_keys'));
      const head = runScript(cluster, readScript('head.sql', m.steps.slice(0, upTo + 1).map((s) => `${s.sql};`).join('\n')));
      expect(head.steps.filter((s) => s.outcome === 'error')).toEqual([]);
      expect(cluster.kindOf('public.device_types')).toBe('reference');
      expect(cluster.kindOf('public.devices')).toBe('local');
      expect(cluster.kindOf('public.events')).toBe('local');
      const rest = runScript(cluster, readScript('rest.sql', m.steps.slice(upTo + 1).map((s) => `${s.sql};`).join('\n')));
      expect(rest.steps.filter((s) => s.outcome === 'error'), `coordinator in metadata: ${coordinatorInMetadata}`).toEqual([]);
      expect(cluster.areColocated('public.devices', 'public.events')).toBe(true);
    }
  });

  it('matches the reviewed scripts', () => {
    expectGolden('examples/wide-world-importers/migration.sql', renderMigration(m));
    expectGolden('test/fixtures/plan/wwi/rollback.sql', renderRollback(m));
  });
});
