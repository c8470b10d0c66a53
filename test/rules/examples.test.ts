/**
 * Every example of every rule (rules/*.yml) through the real pipeline: the
 * example SQL read into a Catalog, its design, runRules with every rule; then
 * the rule alone. Valid examples give no finding of that rule; invalid ones
 * give exactly the listed findings (rule, table, column, line, fix, and for
 * the rule alone its messageId). Every example schema must also load into a
 * real PostgreSQL, so the examples are schemas PostgreSQL accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog/index.js';
import { loadParser } from '../../src/ingest/pg/index.js';
import { displayName } from '../../src/ingest/pg/names.js';
import { loadRuleDocs } from '../../src/rules/docs.js';
import { EXAMPLE_FILE, exampleDesign } from '../../src/rules/examples.js';
import { prepareFacts } from '../../src/rules/facts.js';
import type { RuleDoc, RuleExample } from '../../src/rules/model.js';
import { registry } from '../../src/rules/registry.js';
import { checkRule, runRulesDetailed, applyOptionDefaults, type RuleResult } from '../../src/rules/runner.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const docs = loadRuleDocs();

interface Shape {
  rule: string;
  table: string | undefined;
  column: string | undefined;
  line: number;
  fix: string | undefined;
  messageId?: string;
}

function shape(r: RuleResult, withMessageId: boolean): Shape {
  const f = r.finding;
  return {
    rule: f.ruleId,
    table: f.table === undefined ? undefined : displayName(f.table),
    column: f.column,
    line: f.location.line,
    fix: f.fix?.sql,
    ...(withMessageId ? { messageId: r.messageId } : {}),
  };
}

function expected(doc: RuleDoc, ex: RuleExample, withMessageId: boolean, rule?: string): Shape[] {
  return (ex.findings ?? [])
    .filter((f) => rule === undefined || (f.rule ?? doc.id) === rule)
    .map((f) => ({
      rule: f.rule ?? doc.id,
      table: f.table,
      column: f.column,
      line: f.line,
      fix: f.fix?.trim(),
      ...(withMessageId ? { messageId: f.messageId } : {}),
    }));
}

const order = (a: Shape, b: Shape) => JSON.stringify(a).localeCompare(JSON.stringify(b));

function run(doc: RuleDoc, ex: RuleExample) {
  const { catalog } = buildCatalog([{ file: EXAMPLE_FILE, text: ex.schema }]);
  const design = exampleDesign(ex);
  const ruleOptions = ex.options ? { [doc.id]: ex.options } : undefined;
  const all = runRulesDetailed(catalog, design, { docs, ...(ruleOptions ? { ruleOptions } : {}) });
  const rule = registry.find((r) => r.id === doc.id);
  if (!rule) throw new Error(`${doc.id} is not in the registry`);
  const alone = checkRule(rule, doc, prepareFacts(catalog, design), { options: applyOptionDefaults(doc, ex.options ?? {}) });
  return { catalog, all, alone };
}

beforeAll(async () => {
  await loadParser();
});

describe('rule examples', () => {
  for (const doc of docs) {
    describe(`${doc.id} ${doc.name}`, () => {
      doc.examples.valid.forEach((ex, i) => {
        it(`valid #${i + 1}: ${ex.title}`, () => {
          const { catalog, all, alone } = run(doc, ex);
          expect(catalog.diagnostics).toEqual([]);
          expect(all.filter((r) => r.finding.ruleId === 'internal-error').map((r) => r.finding.message)).toEqual([]);
          expect(all.filter((r) => r.finding.ruleId === doc.id).map((r) => shape(r, false))).toEqual([]);
          expect(alone.map((r) => shape(r, true))).toEqual([]);
        });
      });
      doc.examples.invalid.forEach((ex, i) => {
        it(`invalid #${i + 1}: ${ex.title}`, () => {
          const { catalog, all, alone } = run(doc, ex);
          expect(catalog.diagnostics).toEqual([]);
          expect(all.filter((r) => r.finding.ruleId === 'internal-error').map((r) => r.finding.message)).toEqual([]);
          const rulesListed = new Set([doc.id, ...(ex.findings ?? []).map((f) => f.rule ?? doc.id)]);
          for (const rule of rulesListed) {
            expect(all.filter((r) => r.finding.ruleId === rule).map((r) => shape(r, false)).sort(order), `findings of ${rule}`).toEqual(
              expected(doc, ex, false, rule).sort(order),
            );
          }
          expect(alone.map((r) => shape(r, true)).sort(order)).toEqual(expected(doc, ex, true, doc.id).sort(order));
          for (const r of alone) {
            expect(r.finding.message).not.toMatch(/\{\{|\}\}/);
            expect(r.finding.severity).toBe(doc.severity);
            expect(r.finding.url).toBe(`https://github.com/shardwise/shardwise/blob/main/docs/rules/${doc.id}.md`);
            expect(r.finding.location.file).toBe(EXAMPLE_FILE);
          }
        });
      });
    });
  }
});

describe('every example schema loads into PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('rules');
  });
  afterAll(async () => {
    await db?.drop();
  });
  for (const doc of docs) {
    const all = [...doc.examples.valid.map((e, i) => ['valid', i, e] as const), ...doc.examples.invalid.map((e, i) => ['invalid', i, e] as const)];
    for (const [kind, i, ex] of all) {
      it(`${doc.id} ${kind} #${i + 1}`, async () => {
        await db.client.query('BEGIN');
        try {
          await db.client.query(ex.schema);
        } finally {
          await db.client.query('ROLLBACK');
        }
      });
    }
  }
});
