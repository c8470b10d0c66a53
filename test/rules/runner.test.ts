/**
 * runRules: selection by id / name / group / glob, severity overrides, rule
 * options validated against the rule's schema, sorted output, and a rule
 * that throws reported as an internal-error finding while the others run.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog/index.js';
import type { Catalog } from '../../src/catalog/model.js';
import type { Design } from '../../src/design/model.js';
import { loadParser } from '../../src/ingest/pg/index.js';
import { compareFindings } from '../../src/rules/finding.js';
import { defineRule } from '../../src/rules/model.js';
import { registry } from '../../src/rules/registry.js';
import { RuleOptionsError, runRules } from '../../src/rules/runner.js';

// citus-rules §5 and §6: FK01 (E1, countries left local), UQ01 (PK without the key), DC05 (nullable key), TB01 absent (PK present).
const SCHEMA = `CREATE TABLE countries (code text PRIMARY KEY);
CREATE TABLE customers (
  id bigint PRIMARY KEY,
  region bigint,
  country text REFERENCES countries (code)
);
`;
const design: Design = { citus: '14.0', shardCount: 32, tables: { 'public.customers': { kind: 'distributed', column: 'region' } } };
let catalog: Catalog;

beforeAll(async () => {
  await loadParser();
  catalog = buildCatalog([{ file: 'schema.sql', text: SCHEMA }]).catalog;
});

const ids = (fs: { ruleId: string }[]) => fs.map((f) => f.ruleId);

describe('runRules', () => {
  it('gives the findings Citus facts predict, sorted', () => {
    const out = runRules(catalog, design);
    expect(ids(out)).toEqual(['UQ01', 'DC05', 'FK01']);
    expect(out.map((f) => f.location.line)).toEqual([3, 4, 5]);
    expect([...out].sort(compareFindings)).toEqual(out);
  });

  it('disables by id, name, group and glob; enable wins over disable', () => {
    expect(ids(runRules(catalog, design, { disable: ['FK01'] }))).toEqual(['UQ01', 'DC05']);
    expect(ids(runRules(catalog, design, { disable: ['unique.missing-distribution-column'] }))).toEqual(['DC05', 'FK01']);
    expect(ids(runRules(catalog, design, { disable: ['distribution-column'] }))).toEqual(['UQ01', 'FK01']);
    expect(ids(runRules(catalog, design, { disable: ['*'], enable: ['foreign-key.*'] }))).toEqual(['FK01']);
  });

  it('overrides severity, the most specific selector winning', () => {
    const out = runRules(catalog, design, { severity: { 'foreign-key': 'info', FK01: 'warning', DC05: 'off' } });
    expect(out.map((f) => [f.ruleId, f.severity])).toEqual([
      ['UQ01', 'error'],
      ['FK01', 'warning'],
    ]);
  });

  it('rejects selectors that match nothing and invalid rule options', () => {
    expect(() => runRules(catalog, design, { disable: ['NOPE99'] })).toThrow(RuleOptionsError);
    expect(() => runRules(catalog, design, { ruleOptions: { DC08: { types: { bool: 'two' } } } })).toThrow(/DC08.*types\/bool.*"two"/);
    expect(() => runRules(catalog, design, { ruleOptions: { DC08: { colours: 1 } } })).toThrow(RuleOptionsError);
  });

  it('passes rule options: DC08 flags a bigint key declared low-cardinality', () => {
    const out = runRules(catalog, design, { ruleOptions: { 'distribution-column.low-cardinality': { types: { int8: 3 } } } });
    expect(out.filter((f) => f.ruleId === 'DC08').map((f) => [f.table, f.column])).toEqual([['public.customers', 'region']]);
  });

  it('turns a rule that throws into an internal-error finding and runs the others', () => {
    const broken = defineRule({
      id: 'FK01',
      needs: [],
      check() {
        throw new Error('boom');
      },
    });
    const rules = [...registry.filter((r) => r.id !== 'FK01'), broken];
    const out = runRules(catalog, design, { rules });
    expect(ids(out).sort()).toEqual(['DC05', 'UQ01', 'internal-error']);
    expect(out.find((f) => f.ruleId === 'internal-error')?.message).toMatch(/FK01.*boom/);
  });

  it('an unknown message id is an internal error, not a crash', () => {
    const wrong = defineRule({
      id: 'FK01',
      needs: [],
      check(ctx) {
        ctx.report({ messageId: 'nope', at: { file: 'schema.sql', line: 1, column: 1 } });
      },
    });
    const out = runRules(catalog, design, { rules: [wrong] });
    expect(out.map((f) => [f.ruleId, f.message])).toEqual([['internal-error', "rule FK01 failed: rule FK01 reported unknown messageId 'nope'"]]);
  });
});
