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
  it('gives back the documents it was written from', () => {
    const docs = loadRuleDocs(rules);
    writeRuleCatalogue(docs, path, rules);
    expect(readRuleCatalogue(path, rules)).toEqual(docs);
  });

  it('is not used when a rule file changed, was added or removed, or when it is missing or damaged', () => {
    expect(readRuleCatalogue(path, rules)).toBeUndefined();
    writeRuleCatalogue(loadRuleDocs(rules), path, rules);
    const first = readdirSync(rules).filter((f) => f.endsWith('.yml')).sort()[0];
    appendFileSync(join(rules, first), '\n');
    expect(readRuleCatalogue(path, rules)).toBeUndefined();
    writeRuleCatalogue(loadRuleDocs(rules), path, rules);
    rmSync(join(rules, first));
    expect(readRuleCatalogue(path, rules)).toBeUndefined();
    writeFileSync(path, '{"digest":');
    expect(readRuleCatalogue(path, rules)).toBeUndefined();
  });
});
