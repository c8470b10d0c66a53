/** Findings by who acts on them, read from the migration of the same design. */
import { describe, expect, it } from 'vitest';
import { readSchema } from '../../src/catalog/index.js';
import { configuredRules } from '../../src/cli/rules-config.js';
import type { Design } from '../../src/design/model.js';
import { planMigration } from '../../src/plan/index.js';
import { renderTriage, triageFindings } from '../../src/report/triage.js';

const schema = `
CREATE TABLE tenants (id bigint PRIMARY KEY);
CREATE TABLE notes (id bigint PRIMARY KEY);
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  tenant_id bigint REFERENCES tenants (id),
  note_id bigint,
  CONSTRAINT orders_note FOREIGN KEY (note_id) REFERENCES notes (id)
);
`;

const design: Design = {
  citus: '13.0',
  shardCount: 32,
  tables: {
    'public.tenants': { kind: 'distributed', column: 'id' },
    'public.orders': { kind: 'distributed', column: 'tenant_id', colocateWith: 'public.tenants' },
    // notes in a group of their own: orders' key to them cannot be enforced
    'public.notes': { kind: 'distributed', column: 'id' },
  },
};

describe('triageFindings', () => {
  it('what the migration rewrites is its own; a foreign key it drops is a person’s decision', async () => {
    const { catalog } = await readSchema([{ file: 'schema.sql', text: schema }]);
    const rules = configuredRules(undefined);
    const findings = rules.run(catalog, design);
    const t = triageFindings(findings, catalog, planMigration(catalog, design), rules.meta);
    const by = Object.fromEntries(t.byRule.map((r) => [r.ruleId, r]));
    // orders.tenant_id accepts NULL: checked and made NOT NULL by the migration
    expect(by.DC05).toMatchObject({ migrate: 1, person: 0 });
    // orders' primary key lacks tenant_id: made again with it
    expect(by.UQ01).toMatchObject({ migrate: 1, person: 0 });
    // orders -> notes crosses colocation groups: dropped, a person decides
    const fk = t.findings.find((f) => f.ruleId.startsWith('FK'));
    expect(fk).toMatchObject({ disposition: 'person' });
    expect(fk!.how).toMatch(/drops orders_note for good/);
    // the choice it shares with every foreign key dropped: one decision, however many keys
    expect(fk!.choice).toMatch(/^the migration drops the foreign key for good: /);
    expect(fk!.choice).not.toContain('orders_note');
    expect(t.migrate + t.person).toBe(findings.filter((f) => f.severity !== 'info').length);
    const text = renderTriage(t);
    expect(text).toMatch(new RegExp(`^Of these findings, shardwise migrate takes care of ${t.migrate} and ${t.person} need`));
    expect(text).toMatch(new RegExp(`decide +${fk!.ruleId}`));
  });

  it('a foreign key of a row that belongs to one of several parents: a person adds a shared key or lets the application check it', async () => {
    const text = `
CREATE TABLE groups (id bigint PRIMARY KEY);
CREATE TABLE projects (id bigint PRIMARY KEY);
CREATE TABLE boards (
  id bigint PRIMARY KEY,
  group_id bigint REFERENCES groups (id) ON DELETE CASCADE,
  project_id bigint,
  CONSTRAINT boards_project FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE,
  CONSTRAINT boards_one_parent CHECK (num_nonnulls(group_id, project_id) = 1)
);
`;
    const { catalog } = await readSchema([{ file: 'schema.sql', text }]);
    const eitherOr: Design = {
      citus: '13.0',
      shardCount: 32,
      tables: {
        'public.groups': { kind: 'distributed', column: 'id' },
        'public.projects': { kind: 'distributed', column: 'id' },
        'public.boards': { kind: 'distributed', column: 'id' },
      },
    };
    const rules = configuredRules(undefined);
    const t = triageFindings(rules.run(catalog, eitherOr), catalog, planMigration(catalog, eitherOr), rules.meta);
    const fks = t.findings.filter((f) => f.ruleId.startsWith('FK') && f.table === 'public.boards');
    expect(fks.length).toBe(2);
    for (const f of fks) {
      expect(f.disposition).toBe('person');
      expect(f.how).toMatch(/^rows of boards belong to one of group_id, project_id/);
      expect(f.choice).toMatch(/^the rows belong to one of several parents .*add a key all of them share/);
    }
    // distributed on one of the parents by hand: the migration's check for NULLs would stop on the others' rows
    const onProject: Design = { ...eitherOr, tables: { ...eitherOr.tables, 'public.boards': { kind: 'distributed', column: 'project_id', colocateWith: 'public.projects' } } };
    const byHand = triageFindings(rules.run(catalog, onProject), catalog, planMigration(catalog, onProject), rules.meta);
    expect(byHand.findings.find((f) => f.ruleId === 'DC05')).toMatchObject({ disposition: 'person', how: expect.stringMatching(/^CHECK boards_one_parent leaves project_id NULL by design/) });
  });

  it('without a migration (the design cannot be planned), every finding needs a person', async () => {
    const { catalog } = await readSchema([{ file: 'schema.sql', text: schema }]);
    const rules = configuredRules(undefined);
    const findings = rules.run(catalog, design);
    const t = triageFindings(findings, catalog, undefined, rules.meta);
    expect(t.migrate).toBe(0);
    expect(t.person).toBe(findings.filter((f) => f.severity !== 'info').length);
  });
});
