/**
 * dist/rules.catalogue.json, what `shardwise rules` reads instead of the
 * YAML: the same documents loadRuleDocs gives, and never used once a rule
 * file differs from what it was written from.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRuleCatalogue, writeRuleCatalogue } from '../../src/rules/catalogue.js';
import { defaultRulesDir, loadRuleDocs } from '../../src/rules/docs.js';
import { applyOptionDefaults, optionsValidator, runRules } from '../../src/rules/runner.js';
import { buildCatalog } from '../../src/catalog/index.js';
import { loadParser } from '../../src/ingest/pg/index.js';

let dir: string;
let rules: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shardwise-catalogue-'));
  rules = join(dir, 'rules');
  path = join(dir, 'rules.catalogue.json');
  mkdirSync(rules);
  for (const f of readdirSync(defaultRulesDir())) copyFileSync(join(defaultRulesDir(), f), join(rules, f));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the rule catalogue', () => {
  const defaults = (() => {
    const ajv = optionsValidator();
    return (doc: Parameters<typeof applyOptionDefaults>[0]) => applyOptionDefaults(doc, {}, ajv);
  })();

  it('gives back the documents it was written from, with their options\' defaults', () => {
    const docs = loadRuleDocs(rules);
    writeRuleCatalogue(docs, defaults, path, rules);
    const read = readRuleCatalogue(path, rules)!;
    expect(read.map(({ defaults: _, ...d }) => d)).toEqual(docs);
    expect(read.map((d) => d.defaults)).toEqual(docs.map((d) => applyOptionDefaults(d, {})));
    // some rule has options with defaults, so the field is not trivially empty
    expect(read.some((d) => Object.keys(d.defaults ?? {}).length > 0)).toBe(true);
  });

  it('a run over the catalogue\'s documents finds what a run over the rule files finds', async () => {
    await loadParser();
    const { catalog } = buildCatalog([{ file: 'schema.sql', text: 'CREATE TABLE a (id bigint PRIMARY KEY, email text UNIQUE);\nCREATE TABLE b (id bigint PRIMARY KEY, a_id bigint REFERENCES a (id));\n' }]);
    const design = { citus: '13.2', shardCount: 32, tables: { 'public.a': { kind: 'distributed' as const, column: 'id' }, 'public.b': { kind: 'distributed' as const, column: 'id' } } };
    const docs = loadRuleDocs(rules);
    writeRuleCatalogue(docs, defaults, path, rules);
    const fromFiles = runRules(catalog, design, { docs });
    expect(fromFiles.length).toBeGreaterThan(0);
    expect(runRules(catalog, design, { docs: readRuleCatalogue(path, rules)! })).toEqual(fromFiles);
  });

  it('is not used when a rule file changed, was added or removed, or when it is missing or damaged', () => {
    expect(readRuleCatalogue(path, rules)).toBeUndefined();
    writeRuleCatalogue(loadRuleDocs(rules), defaults, path, rules);
    const first = readdirSync(rules).filter((f) => f.endsWith('.yml')).sort()[0];
    appendFileSync(join(rules, first), '\n');
    expect(readRuleCatalogue(path, rules)).toBeUndefined();
    writeRuleCatalogue(loadRuleDocs(rules), defaults, path, rules);
    rmSync(join(rules, first));
    expect(readRuleCatalogue(path, rules)).toBeUndefined();
    writeFileSync(path, '{"digest":');
    expect(readRuleCatalogue(path, rules)).toBeUndefined();
  });
});
