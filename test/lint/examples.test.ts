/**
 * Every rule's invalid examples (rules/*.yml), run as migrations: an empty
 * schema, the example's design, and one migration holding the example SQL
 * followed by the design's distribution calls. Each must give a finding of
 * that rule at one of the example's listed lines; each valid example none.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog/index.js';
import { loadParser } from '../../src/ingest/pg/parser.js';
import { lintMigrations } from '../../src/lint/lint.js';
import { loadRuleDocs } from '../../src/rules/docs.js';
import { exampleDesign } from '../../src/rules/examples.js';
import { distributionCalls } from '../../src/rules/MIG01.js';
import type { RuleDoc, RuleExample } from '../../src/rules/model.js';

const docs = loadRuleDocs();

beforeAll(async () => {
  await loadParser();
});

function lintExample(doc: RuleDoc, ex: RuleExample) {
  const design = exampleDesign(ex);
  // The calls the design implies, for the schema the example creates.
  const { catalog: after } = buildCatalog([{ file: 'x.sql', text: ex.schema }]);
  const calls = distributionCalls(after, design).map((c) => c.sql);
  const text = ex.schema.replace(/\n*$/, '\n') + calls.join('\n') + '\n';
  const { catalog } = buildCatalog([]);
  return lintMigrations({
    catalog,
    design,
    migrations: [{ file: 'migrations/001_example.sql', content: Buffer.from(text) }],
    docs,
    ruleSetting: (d) => ({ enabled: true, severity: d.severity, options: d.id === doc.id ? ex.options ?? {} : {} }),
  });
}

describe('rule examples as migrations', () => {
  for (const doc of docs) {
    doc.examples.invalid.forEach((ex, i) => {
      it(`${doc.id} invalid #${i + 1}: ${ex.title}`, () => {
        const result = lintExample(doc, ex);
        const lines = new Set((ex.findings ?? []).filter((f) => (f.rule ?? doc.id) === doc.id).map((f) => f.line));
        const own = result.findings.filter((f) => f.ruleId === doc.id);
        expect(own.length, JSON.stringify(result.findings.map((f) => `${f.location.line} ${f.ruleId} ${f.message}`), null, 1)).toBeGreaterThan(0);
        for (const f of own) expect(f.location.file).toBe('migrations/001_example.sql');
        // MIG01 reports at the rejected statement (the distribution call after the example SQL).
        if (doc.id !== 'MIG01') expect(own.some((f) => lines.has(f.location.line))).toBe(true);
        expect(result.findings.filter((f) => f.ruleId === 'internal-error' || f.ruleId === 'syntax-error')).toEqual([]);
      });
    });
    doc.examples.valid.forEach((ex, i) => {
      it(`${doc.id} valid #${i + 1}: ${ex.title}`, () => {
        const result = lintExample(doc, ex);
        expect(result.findings.filter((f) => f.ruleId === doc.id).map((f) => f.message)).toEqual([]);
      });
    });
  }
});
