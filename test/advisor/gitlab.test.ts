/**
 * The advisor on the largest schema of the corpus, GitLab's (969 tables,
 * 2,315 foreign keys, many more kept by the application), from the schema
 * alone: it follows ownership, not any link.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildJoinGraph, inferredReferences, polymorphic as polymorphicColumn } from '../../src/advisor/graph.js';
import { optionalKeyOf, partitionsByRoot } from '../../src/advisor/optional.js';
import type { Table } from '../../src/catalog/model.js';
import { analyzeInputs, type Analysis } from '../../src/cli/pipeline.js';
import { quoteIdent, sqlName } from '../../src/ingest/pg/index.js';
import { planMigration } from '../../src/plan/index.js';
import type { Migration } from '../../src/plan/model.js';
import { partitionRoot } from '../../src/catalog/index.js';
import { corpusDir, repoRoot } from '../support/corpus.js';

let a: Analysis;
let migration: Migration;

beforeAll(async () => {
  a = await analyzeInputs({ schema: [join(corpusDir(), 'gitlab', 'schema.sql')], cwd: repoRoot });
  migration = planMigration(a.catalog, a.advice.design);
}, 120_000);

/** The CHECK (the table's or a partition's) that leaves the column NULL by design. */
const optionalIn = (t: Table, column: string) => optionalKeyOf(t, column, partitionsByRoot(a.catalog).get(t.key));

const notNullCheck = (t: Table, column: string) => t.checks.find((c) => new RegExp(`^\\(*"?${column}"?\\s+IS\\s+NOT\\s+NULL\\)*$`, 'i').test(c.expression.trim()));

describe('gitlab, from its schema alone', () => {
  it('distributes no table on an optional link: a nullable column is a key only under the name its group keys on', () => {
    const offenders: string[] = [];
    for (const g of a.advice.groups) {
      // the key's own name in the group: the name most of its distribution columns have
      const counts = new Map<string, number>();
      for (const t of g.tables) {
        const c = a.advice.design.tables[t].column!;
        counts.set(c, (counts.get(c) ?? 0) + 1);
      }
      const own = [...counts].sort((x, y) => y[1] - x[1])[0][0];
      for (const t of g.tables) {
        const d = a.advice.design.tables[t];
        const table = a.catalog.tables[t];
        const col = table.columns.find((c) => c.name === d.column);
        if (!col || d.backfill || col.notNull || table.primaryKey?.columns.includes(col.name) || notNullCheck(table, col.name)) continue;
        if (col.name !== own) offenders.push(`${t}.${col.name} (the group keys on ${own})`);
      }
    }
    expect(offenders).toEqual([]);
    expect(a.advice.design.tables['public.namespaces'].column).not.toBe('file_template_project_id');
  });

  it('sizes notes and events, polymorphic annotations of every kind of row, as large: distributed, never replicated, and says why', () => {
    for (const k of ['public.notes', 'public.events']) {
      const t = a.advice.tables[k];
      expect(t.rowsEstimated, k).toBe(true);
      expect(t.rowsReason, k).toMatch(/polymorphic reference (noteable_id|target_id)/);
      expect(t.kind, k).toBe('distributed');
      expect(t.reasons.join('\n'), k).toMatch(/large by its inferred size .* makes its parents an either-or/);
    }
    // every table inferred large (a million rows or more) is distributed; the reference tables are the small ones
    const largest = Math.max(...Object.values(a.advice.tables).map((t) => t.rows ?? 0));
    const replicated = Object.values(a.advice.tables).filter((t) => t.kind === 'reference');
    expect(replicated.length).toBeGreaterThan(0);
    for (const t of replicated) expect(t.rows! / largest, t.table).toBeLessThanOrEqual(0.02);
    // the partitions of a partitioned table share its rows: those of issue_search_data add up to it
    const builds = a.stats.tables['public.issue_search_data'];
    const parts = Object.values(a.catalog.tables).filter((t) => t.partitionOf?.parent === 'public.issue_search_data');
    expect(parts.length).toBeGreaterThan(0);
    expect(Math.abs(parts.reduce((n, p) => n + a.stats.tables[p.key].rows, 0) - builds.rows)).toBeLessThanOrEqual(parts.length);
  });

  it('makes no partitioned table a reference table', () => {
    const partitioned = Object.entries(a.advice.design.tables).filter(([k, d]) => d.kind === 'reference' && a.catalog.tables[k].relkind === 'partitioned');
    expect(partitioned.map(([k]) => k)).toEqual([]);
  });

  it('distributes no table on a column a CHECK leaves NULL by design or ON DELETE SET NULL empties, backfills along none, and says why not', () => {
    const optional: string[] = [];
    for (const [k, d] of Object.entries(a.advice.design.tables)) {
      if (d.kind !== 'distributed') continue;
      if (!d.backfill && optionalIn(a.catalog.tables[k], d.column!)) optional.push(`${k}.${d.column}`);
      for (const hop of d.backfill?.path ?? []) for (const c of hop.columns) if (optionalIn(a.catalog.tables[hop.table], c)) optional.push(`${k}: hop ${hop.table}.${c}`);
    }
    expect(optional).toEqual([]);
    // nor on a nullable column whose foreign key is ON DELETE SET NULL: the row outlives that parent
    const outlives = Object.entries(a.advice.design.tables).filter(([k, d]) => {
      const t = a.catalog.tables[k];
      if (d.kind !== 'distributed' || d.backfill || t.columns.find((c) => c.name === d.column)?.notNull || notNullCheck(t, d.column!)) return false;
      return t.foreignKeys.some((fk) => fk.onDelete === 'set null' && fk.columns.includes(d.column!));
    });
    expect(outlives.map(([k, d]) => `${k}.${d.column}`)).toEqual([]);
    // each table whose project_id a CHECK leaves NULL while another parent is set names that CHECK among its reasons
    const eitherOr = Object.values(a.catalog.tables).filter((t) => !t.partitionOf && a.advice.tables[t.key] && optionalIn(t, 'project_id')?.others.length);
    expect(eitherOr.length).toBeGreaterThan(40);
    for (const t of eitherOr) {
      const check = optionalIn(t, 'project_id')!.check.name;
      expect(a.advice.tables[t.key].reasons.some((r) => r.includes(`CHECK ${check}`) && r.includes('one of several parents')), t.key).toBe(true);
    }
  });

  it('distributes 90% or more of the tables keyed by project_id on it, or on a key backfilled along their ownership path', () => {
    // keyed by it: a project_id no CHECK leaves NULL by design (a row that may belong to a group instead is not keyed by it)
    const carrying = Object.values(a.catalog.tables).filter((t) => !t.partitionOf && t.columns.some((c) => c.name === 'project_id') && !optionalIn(t, 'project_id'));
    expect(carrying.length).toBeGreaterThan(400);
    const on = carrying.filter((t) => {
      const d = a.advice.design.tables[t.key];
      return d.kind === 'distributed' && (d.column === 'project_id' || !!d.backfill);
    });
    expect(on.length / carrying.length).toBeGreaterThanOrEqual(0.9);
    expect(a.advice.design.tables['public.projects']).toMatchObject({ kind: 'distributed', column: 'id' });
  });

  it('distributes no table a project owns on its own id: a backfill hop costs a share of the schema, not a fixed amount that adds up over hundreds of tables', () => {
    // owned: a foreign key to projects, ON DELETE CASCADE, from a column that leads an index and no CHECK leaves NULL
    const projects = 'public.projects';
    const ownerColumn = (t: Table) =>
      t.foreignKeys.find((fk) => fk.columns.length === 1 && partitionRoot(a.catalog, fk.refTable) === projects && fk.onDelete === 'cascade' && t.indexes.some((i) => i.columns[0] === fk.columns[0]) && !optionalIn(t, fk.columns[0]))?.columns[0];
    const onOwnId = Object.values(a.catalog.tables).filter((t) => {
      const d = a.advice.design.tables[t.key];
      const owner = !t.partitionOf && d.kind === 'distributed' && !d.backfill ? ownerColumn(t) : undefined;
      return owner && d.column !== owner && t.primaryKey?.columns.length === 1 && t.primaryKey.columns[0] === d.column;
    });
    expect(onOwnId.map((t) => t.key)).toEqual([]);
    // issues, for one: on project_id with projects, and the tables that hang off it by a NOT NULL issue_id come along
    const group = a.advice.tables[projects].group;
    expect(a.advice.tables['public.issues']).toMatchObject({ kind: 'distributed', column: 'project_id', group });
    const children = Object.values(a.catalog.tables).filter((t) => !t.partitionOf && t.foreignKeys.some((fk) => fk.refTable === 'public.issues' && fk.onDelete === 'cascade' && fk.columns.every((c) => t.columns.find((x) => x.name === c)?.notNull)));
    expect(children.length).toBeGreaterThan(20);
    const withIssues = children.filter((t) => a.advice.tables[t.key].group === group);
    expect(withIssues.length / children.length).toBeGreaterThanOrEqual(0.8);
  });

  it('leaves no partitioned table that distributed tables reference local: every key class gets its turn, so no foreign key points from a distributed table at a local one', () => {
    // Citus refuses a partitioned reference table, and a distributed table's foreign key to a local one (FK01)
    const design = a.advice.design.tables;
    const kind = (k: string) => design[partitionRoot(a.catalog, k)]?.kind ?? 'local';
    const toLocal = Object.values(a.catalog.tables).flatMap((t) =>
      kind(t.key) === 'distributed' ? t.foreignKeys.filter((fk) => kind(fk.refTable) === 'local').map((fk) => `${t.key} ${fk.name} -> ${fk.refTable}`) : [],
    );
    expect(toLocal).toEqual([]);
    // ci_runners, for one (partitioned by runner_type; ci_runner_projects and ci_runner_namespaces reference its partitions)
    expect(design['public.ci_runners']).toMatchObject({ kind: 'distributed', column: 'id' });
    expect(a.advice.tables['public.ci_runner_machines']).toMatchObject({ kind: 'distributed', column: 'runner_id', group: a.advice.tables['public.ci_runners'].group });
  });

  it('reads a role name the schema declares as a user link (author_id -> users) as one, and a polymorphic id as no shared key', () => {
    const graph = buildJoinGraph(a.catalog, undefined, inferredReferences(a.catalog));
    const tables = Object.values(a.catalog.tables).filter((t) => !t.partitionOf);
    // author_id has a foreign key to users.id in some tables: where it has none, it is in users' key class all the same
    const declared = tables.filter((t) => t.foreignKeys.some((fk) => fk.columns.length === 1 && fk.columns[0] === 'author_id'));
    expect(declared.length).toBeGreaterThan(1);
    expect(new Set(declared.flatMap((t) => t.foreignKeys.filter((fk) => fk.columns[0] === 'author_id').map((fk) => fk.refTable)))).toEqual(new Set(['public.users']));
    const undeclared = tables.filter((t) => t.columns.some((c) => c.name === 'author_id') && !declared.includes(t) && !t.columns.some((c) => c.name === 'author_type'));
    expect(undeclared.length).toBeGreaterThan(10);
    for (const t of undeclared) expect(graph.classOf[`${t.key}.author_id`], t.key).toBe(graph.classOf['public.users.id']);
    // target_id beside a text target_type points at whichever table target_type names: no key shared by name
    const polymorphic = tables.flatMap((t) => t.columns.filter((c) => polymorphicColumn(t, c.name)).map((c) => ({ t, c: c.name })));
    expect(polymorphic.length).toBeGreaterThan(10);
    const shared = polymorphic.filter(({ t, c }) => graph.edges.some((e) => e.kind === 'inferred' && e.weight < 0.4 && ((e.a.table === t.key && e.a.column === c) || (e.b.table === t.key && e.b.column === c))));
    expect(shared.map(({ t, c }) => `${t.key}.${c}`)).toEqual([]);
    // notes and events, for two: their rows belong to a project, a group or a namespace (a CHECK says which may be NULL), never to their author
    for (const k of ['public.notes', 'public.events']) expect(a.advice.design.tables[k].column, k).not.toBe('author_id');
  });

  it('makes no reference table of rows a NOT NULL foreign key ties to the key of a distributed group, and backfills no table keyed by its owner along another link', () => {
    const design = a.advice.design.tables;
    const notNull = (t: Table, c: string) => !!t.columns.find((x) => x.name === c)?.notNull || !!notNullCheck(t, c);
    // target_project_id bigint NOT NULL REFERENCES projects: the rows are a project's, whatever the column's name
    const tiedToKey = (t: Table) =>
      t.foreignKeys.filter((fk) => {
        const ref = design[partitionRoot(a.catalog, fk.refTable)];
        return fk.columns.length === 1 && notNull(t, fk.columns[0]) && ref?.kind === 'distributed' && !ref.backfill && ref.column === fk.refColumns[0];
      });
    const replicated = Object.values(a.catalog.tables).filter((t) => design[t.key]?.kind === 'reference' && tiedToKey(t).length);
    expect(replicated.map((t) => `${t.key}: ${tiedToKey(t).map((fk) => fk.columns[0]).join(', ')}`)).toEqual([]);
    // merge_requests and sprints, for two: with the project's and the group's tables
    expect(a.advice.tables['public.merge_requests']).toMatchObject({ kind: 'distributed', column: 'target_project_id', group: a.advice.tables['public.projects'].group });
    expect(a.advice.tables['public.sprints']).toMatchObject({ kind: 'distributed', column: 'group_id', group: a.advice.tables['public.namespaces'].group });
    // PRIMARY KEY (group_id, iid), group_id NOT NULL REFERENCES namespaces: keyed by its group, it takes no project_id along package_file_id
    const ownerKeyed = Object.values(a.catalog.tables).filter((t) => {
      const lead = t.primaryKey && t.primaryKey.columns.length > 1 ? t.primaryKey.columns[0] : undefined;
      return !t.partitionOf && lead && notNull(t, lead) && t.foreignKeys.some((fk) => fk.columns.length === 1 && fk.columns[0] === lead);
    });
    expect(ownerKeyed.length).toBeGreaterThan(10);
    const elsewhere = ownerKeyed.filter((t) => {
      const hop = a.advice.design.tables[t.key].backfill?.path?.[0];
      return hop && hop.columns[0] !== t.primaryKey!.columns[0];
    });
    expect(elsewhere.map((t) => t.key)).toEqual([]);
    expect(design['public.virtual_registries_packages_maven_cache_local_entries']).toMatchObject({ kind: 'distributed', column: 'group_id' });
  });

  it('backfills only along NOT NULL foreign keys', () => {
    for (const t of Object.values(a.advice.tables)) {
      for (const hop of t.backfill?.path ?? []) {
        const table = a.catalog.tables[hop.table];
        for (const c of hop.columns) expect(table.columns.find((x) => x.name === c)?.notNull || !!notNullCheck(table, c), `${hop.table}.${c}`).toBe(true);
      }
    }
  });

  it('the migration makes each nullable distribution column NOT NULL, validating a staged CHECK (x IS NOT NULL) NOT VALID instead of scanning', () => {
    const sql = migration.steps.map((s) => s.sql);
    let staged = 0;
    for (const [k, d] of Object.entries(a.advice.design.tables)) {
      const t = a.catalog.tables[k];
      if (d.kind !== 'distributed' || t.partitionOf || d.backfill) continue;
      const col = t.columns.find((c) => c.name === d.column)!;
      if (col.notNull || t.primaryKey?.columns.includes(col.name)) continue;
      const setNotNull = sql.findIndex((s) => s === `ALTER TABLE ${sqlName(k)} ALTER COLUMN ${quoteIdent(col.name)} SET NOT NULL`);
      expect(setNotNull, `${k}.${col.name}`).toBeGreaterThan(-1);
      const check = notNullCheck(t, col.name);
      if (check?.notValid) {
        staged++;
        const validate = sql.indexOf(`ALTER TABLE ${sqlName(k)} VALIDATE CONSTRAINT ${quoteIdent(check.name)}`);
        expect(validate, `${k}: ${check.name} validated first`).toBeGreaterThan(-1);
        expect(validate).toBeLessThan(setNotNull);
      } else if (!check) {
        expect(sql[setNotNull - 1], `${k}: checked for NULLs first`).toContain(`IF EXISTS (SELECT 1 FROM ${sqlName(k)} WHERE ${quoteIdent(col.name)} IS NULL)`);
      }
    }
    expect(staged).toBeGreaterThan(0);
  });

  it('ends with what migrate takes care of and what needs a person', async () => {
    const { triageFindings } = await import('../../src/report/triage.js');
    const { configuredRules, loadRulesConfig } = await import('../../src/cli/rules-config.js');
    const rules = configuredRules(loadRulesConfig({ cwd: repoRoot }));
    const findings = rules.run(a.catalog, a.advice.design);
    const t = triageFindings(findings, a.catalog, migration, rules.meta);
    expect(t.migrate + t.person).toBe(findings.filter((f) => f.severity !== 'info').length);
    expect(t.migrate).toBeGreaterThan(t.person);
    // a nullable key is the migration's to fix, never a person's
    expect(t.byRule.find((r) => r.ruleId === 'DC05')?.person ?? 0).toBe(0);
    // a foreign key of a row that belongs to one of several parents is a person's: add a shared key, or let the application check it
    const several = t.findings.filter((f) => f.choice.startsWith('the rows belong to one of several parents'));
    expect(several.length).toBeGreaterThan(0);
    for (const f of several) expect(f.disposition).toBe('person');
    expect(t.byRule.find((r) => r.ruleId === 'TB02')).toBeUndefined();
  });
});
