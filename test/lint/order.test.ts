/** Migration order: as the frameworks apply them, never as plain text sorts them. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandMigrationArgs, isDownMigration, migrationVersion, sortMigrations } from '../../src/lint/files.js';

describe('sortMigrations', () => {
  it('Flyway versions compare numerically, part by part; repeatables last', () => {
    const names = ['R__views.sql', 'V10__c.sql', 'V2__b.sql', 'V1_1__a2.sql', 'V1__a.sql', 'V1.10__a4.sql', 'V1.2__a3.sql'];
    expect(sortMigrations(names)).toEqual(['V1__a.sql', 'V1_1__a2.sql', 'V1.2__a3.sql', 'V1.10__a4.sql', 'V2__b.sql', 'V10__c.sql', 'R__views.sql']);
  });

  it('golang-migrate, Rails-style timestamps and Django-style numbers', () => {
    expect(sortMigrations(['000010_x.up.sql', '000002_y.up.sql', '000001_z.up.sql'])).toEqual(['000001_z.up.sql', '000002_y.up.sql', '000010_x.up.sql']);
    expect(sortMigrations(['20240301000000_b.sql', '9_early.sql', '20231231235959_a.sql'])).toEqual(['9_early.sql', '20231231235959_a.sql', '20240301000000_b.sql']);
    expect(sortMigrations(['0002_auto.sql', '0001_initial.sql', 'notes.sql'])).toEqual(['0001_initial.sql', '0002_auto.sql', 'notes.sql']);
  });

  it('versions and down migrations', () => {
    expect(migrationVersion('db/V1_2__x.sql')).toEqual(['1', '2']);
    expect(migrationVersion('000003_x.up.sql')).toEqual(['000003']);
    expect(migrationVersion('schema.sql')).toBeUndefined();
    expect(isDownMigration('000001_x.down.sql')).toBe(true);
    expect(isDownMigration('U2__undo.sql')).toBe(true);
    expect(isDownMigration('000001_x.up.sql')).toBe(false);
  });
});

describe('expandMigrationArgs', () => {
  const root = mkdtempSync(join(tmpdir(), 'shardwise-order-'));
  mkdirSync(join(root, 'db'));
  for (const n of ['V10__c.sql', 'V2__b.sql', 'V1__a.sql', 'README.md', '000001_x.down.sql']) writeFileSync(join(root, 'db', n), 'SELECT 1;\n');

  it('a directory gives its .sql files in framework order, down migrations left out', () => {
    expect(expandMigrationArgs(['db'], root).map((p) => p.slice(root.length + 1))).toEqual(['db/V1__a.sql', 'db/V2__b.sql', 'db/V10__c.sql']);
  });

  it('a glob is sorted the same way; explicit files keep the order given', () => {
    expect(expandMigrationArgs(['db/V*.sql'], root).map((p) => p.slice(root.length + 1))).toEqual(['db/V1__a.sql', 'db/V2__b.sql', 'db/V10__c.sql']);
    expect(expandMigrationArgs(['db/V10__c.sql', 'db/V1__a.sql', 'db/README.md'], root).map((p) => p.slice(root.length + 1))).toEqual(['db/V10__c.sql', 'db/V1__a.sql', 'db/README.md']);
  });

  it('a missing path or a glob matching nothing is an error', () => {
    expect(() => expandMigrationArgs(['nope'], root)).toThrow(/no such file or directory/);
    expect(() => expandMigrationArgs(['db/*.rb'], root)).toThrow(/no file matches/);
  });
});
