/**
 * The rule files stay in step: every src/rules/<ID>.ts has a rules/<ID>.yml,
 * is in the sorted registry under its own id, reports only message ids its
 * document declares and uses every one of them; docs/rules/ is what
 * scripts/gen-rule-docs.ts generates; a broken rule document is reported with
 * its file, line, path and bad value.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuleDocs, packageRoot, parseRuleDoc, RuleDocError } from '../../src/rules/docs.js';
import { registry } from '../../src/rules/registry.js';
import { renderRuleDocs } from '../../src/rules/render.js';
import { BUILTIN_RULES } from '../../src/report/model.js';
import { addToRegistry } from '../../scripts/new-rule.js';

const root = packageRoot();
const docs = loadRuleDocs();
const ruleIdRe = /^[A-Z]{2,4}[0-9]{2}$/;
const tsIds = readdirSync(join(root, 'src', 'rules'))
  .filter((f) => f.endsWith('.ts') && ruleIdRe.test(f.slice(0, -3)))
  .map((f) => f.slice(0, -3))
  .sort();
const ymlIds = readdirSync(join(root, 'rules'))
  .filter((f) => f.endsWith('.yml'))
  .map((f) => f.slice(0, -4))
  .sort();

describe('rule files in step', () => {
  it('every check has a document and every document a check', () => {
    expect(tsIds.length).toBeGreaterThan(0);
    expect(ymlIds).toEqual(tsIds);
    expect(docs.map((d) => d.id)).toEqual(tsIds);
  });

  it('the registry lists every check once, sorted, each under its file id', () => {
    expect(registry.map((r) => r.id)).toEqual(tsIds);
    const source = readFileSync(join(root, 'src', 'rules', 'registry.ts'), 'utf8');
    for (const id of tsIds) expect(source).toContain(`import ${id} from './${id}.js';`);
  });

  it('names and ids are unique, names start with the group', () => {
    expect(new Set(docs.map((d) => d.name)).size).toBe(docs.length);
    for (const d of docs) expect(d.name.startsWith(`${d.group}.`)).toBe(true);
  });

  for (const id of tsIds) {
    it(`${id}: the check names every message id of its document and holds no message text`, () => {
      const doc = docs.find((d) => d.id === id)!;
      const src = readFileSync(join(root, 'src', 'rules', `${id}.ts`), 'utf8');
      const literals = [...src.matchAll(/'((?:[^'\\\n]|\\.)*)'/g)].map((m) => m[1]);
      // Reporting an undeclared id fails at run time (an internal-error finding the examples test rejects).
      expect(Object.keys(doc.messages).filter((m) => !literals.includes(m))).toEqual([]);
      // No sentences in checks: messages live in the YAML.
      expect(literals.filter((l) => l.trim().split(/\s+/).filter((w) => /^[A-Za-z]+$/.test(w)).length >= 4)).toEqual([]);
    });
  }

  it('docs/rules is generated from the documents (run: npx tsx scripts/gen-rule-docs.ts)', () => {
    const files = renderRuleDocs(docs, BUILTIN_RULES);
    const dir = join(root, 'docs', 'rules');
    expect(readdirSync(dir).filter((f) => f.endsWith('.md')).sort()).toEqual(Object.keys(files).sort());
    for (const [name, text] of Object.entries(files)) expect(readFileSync(join(dir, name), 'utf8'), name).toBe(text);
  });
});

describe('rule document validation', () => {
  const good = readFileSync(join(root, 'rules', `${tsIds[0]}.yml`), 'utf8');

  it('names the file, the line, the path and the bad value', () => {
    const bad = good.replace(/^severity: \w+$/m, 'severity: fatal');
    const line = bad.split('\n').findIndex((l) => l.startsWith('severity:')) + 1;
    let err: unknown;
    try {
      parseRuleDoc('rules/X.yml', bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RuleDocError);
    const p = (err as RuleDocError).problems;
    expect(p).toEqual([expect.objectContaining({ path: '/severity', line, value: '"fatal"' })]);
    expect((err as Error).message).toContain(`rules/X.yml:${line}: /severity`);
  });

  it('reports a missing property, an unknown one and an undeclared messageId', () => {
    const bad = good.replace(/^help: /m, 'helpp: ').replace(/- messageId: (\w+)/, '- messageId: noSuchMessage');
    let err: RuleDocError | undefined;
    try {
      parseRuleDoc('rules/X.yml', bad);
    } catch (e) {
      err = e as RuleDocError;
    }
    const paths = (err?.problems ?? []).map((p) => p.path).sort();
    expect(paths).toEqual(['/help', '/helpp']);
    const bad2 = good.replace(/- messageId: (\w+)/, '- messageId: noSuchMessage');
    expect(() => parseRuleDoc('rules/X.yml', bad2)).toThrow(/\/examples\/invalid\/0\/findings\/0\/messageId.*noSuchMessage/);
  });

  it('the scaffold adds a registry entry in sorted order', () => {
    const reg = readFileSync(join(root, 'src', 'rules', 'registry.ts'), 'utf8');
    const out = addToRegistry(reg, 'AA00');
    expect(out.indexOf("import AA00 from './AA00.js';")).toBeLessThan(out.indexOf(`import ${tsIds[0]} from`));
    expect(out).toMatch(/\n {2}AA00,\n/);
    expect(() => addToRegistry(out, 'AA00')).toThrow(/already/);
  });
});
