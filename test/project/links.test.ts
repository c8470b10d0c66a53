/**
 * Every link shardwise prints or ships resolves: the project's own pages are
 * made from one base (src/project.ts, equal to package.json `repository`),
 * every rule and every finding without a rule file has a page in docs/rules/,
 * the schemas are known by their URL in the repository, and no output of any
 * command nor any file of the package names a host other than the project's
 * own and the references the rules cite.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadParser } from '../../src/ingest/pg/parser.js';
import { ISSUES, REPOSITORY, ruleDocUrl, schemaUrl } from '../../src/project.js';
import { BUILTIN_RULES } from '../../src/report/model.js';
import { loadRuleDocs } from '../../src/rules/docs.js';
import { runCli } from '../lint/support.js';
import { repoRoot } from '../support/corpus.js';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  files: string[];
  homepage: string;
  repository: { url: string };
  bugs: { url: string };
};

/** Hosts (and, on github.com, owners) a shipped file or an output may name besides the project. */
const REFERENCES = [
  'https://docs.citusdata.com/',
  'https://citusdata.com/',
  'https://www.postgresql.org/',
  'https://github.com/citusdata/',
  'https://github.com/postgres/postgres/',
  // JSON Schema and SVG identifiers, and the SARIF schema: names, not pages shardwise links to
  'https://json-schema.org/',
  'http://json-schema.org/',
  'http://www.w3.org/2000/svg',
  'https://json.schemastore.org/sarif-2.1.0.json',
];

const URL_RE = /https?:\/\/[^\s"'<>`)\]\\|,]+/g;

function foreignLinks(text: string): string[] {
  const own = (u: string) => u === REPOSITORY || /^[/#.]/.test(u.slice(REPOSITORY.length)) && u.startsWith(REPOSITORY);
  return [...new Set([...text.matchAll(URL_RE)].map((m) => m[0].replace(/[.:;]+$/, '')))].filter((u) => !own(u) && !REFERENCES.some((r) => u.startsWith(r))).sort();
}

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((e) => filesUnder(join(path, e)));
}

describe('the project base', () => {
  it('is package.json repository, homepage and bugs', () => {
    expect(REPOSITORY).toMatch(/^https:\/\/github\.com\/[\w.-]+\/shardwise$/);
    expect(pkg.repository.url).toBe(`git+${REPOSITORY}.git`);
    expect(pkg.homepage).toBe(`${REPOSITORY}#readme`);
    expect(pkg.bugs.url).toBe(ISSUES);
  });

  it('gives every rule a page that exists: docs/rules/<ID>.md, findings without a rule file a section of docs/rules/README.md', () => {
    const index = readFileSync(join(repoRoot, 'docs', 'rules', 'README.md'), 'utf8');
    for (const doc of loadRuleDocs()) {
      expect(ruleDocUrl(doc.id)).toBe(`${REPOSITORY}/blob/main/docs/rules/${doc.id}.md`);
      expect(existsSync(join(repoRoot, 'docs', 'rules', `${doc.id}.md`)), doc.id).toBe(true);
    }
    expect(BUILTIN_RULES.length).toBeGreaterThan(0);
    for (const b of BUILTIN_RULES) {
      expect(ruleDocUrl(b.id)).toBe(`${REPOSITORY}/blob/main/docs/rules/README.md#${b.id}`);
      expect(index, b.id).toContain(`\n### ${b.id}\n`);
    }
  });

  it('names each schema by its file in the repository', () => {
    const names = readdirSync(join(repoRoot, 'schemas')).filter((f) => f.endsWith('.json'));
    expect(names.length).toBeGreaterThan(3);
    for (const name of names) {
      const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', name), 'utf8')) as { $id: string };
      expect(schema.$id, name).toBe(schemaUrl(name));
      expect(schema.$id).toBe(`${REPOSITORY}/raw/main/schemas/${name}`);
    }
  });
});

describe('links in the package', () => {
  it('no file the package ships (package.json files, README, the sources dist/ is built from) names another host', () => {
    const shipped = [...pkg.files.filter((f) => f !== 'dist' && !f.startsWith('!')), 'src', 'README.md', 'package.json'].flatMap((f) => filesUnder(join(repoRoot, f)));
    expect(shipped.length).toBeGreaterThan(50);
    const bad = shipped
      .filter((f) => !/\.(png|jpe?g|gif|ico|wasm)$/.test(f))
      .flatMap((f) => foreignLinks(readFileSync(f, 'utf8')).map((u) => `${relative(repoRoot, f)}: ${u}`));
    expect(bad).toEqual([]);
  });
});

describe('links in what the commands print', () => {
  const wwi = join(repoRoot, 'examples', 'wide-world-importers');
  const lint = join(repoRoot, 'fixtures', 'lint');
  let tmp: string;
  beforeAll(async () => {
    await loadParser();
    tmp = mkdtempSync(join(tmpdir(), 'shardwise-links-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const lintArgs = ['--schema', 'schema.sql', '--plan', 'shardwise.plan.yaml', '--', 'migrations/flyway', 'migrations/golang'];
  const runs: Array<[string, string[], () => string]> = [
    ['--help', ['--help'], () => wwi],
    ['analyze text', ['analyze', 'schema.sql'], () => wwi],
    ['analyze json', ['analyze', 'schema.sql', '--format', 'json'], () => wwi],
    ['analyze html', ['analyze', 'schema.sql', '--format', 'html'], () => wwi],
    ['migrate', ['migrate', 'schema.sql'], () => wwi],
    ['migrate json', ['migrate', 'schema.sql', '--format', 'json'], () => wwi],
    ['simulate html', ['simulate', 'schema.sql', '--format', 'html'], () => wwi],
    ['simulate', ['simulate', 'schema.sql'], () => wwi],
    ['simulate --migration', ['simulate', 'schema.sql', '--migration', 'plan.sql'], () => wwi],
    ['simulate --migration json', ['simulate', 'schema.sql', '--migration', 'wrong-choice.sql', '--format', 'json'], () => wwi],
    ...(['text', 'json', 'sarif', 'github', 'markdown', 'html'] as const).map((f): [string, string[], () => string] => [`lint ${f}`, ['lint', '--format', f, ...lintArgs], () => lint]),
    ['rules', ['rules'], () => wwi],
    ['rules json', ['rules', '--format', 'json'], () => wwi],
    ['rules FK01', ['rules', 'FK01'], () => wwi],
  ];
  for (const [title, argv, cwd] of runs) {
    it(`${title}: only the project's and the cited hosts`, async () => {
      const run = await runCli(argv, cwd());
      expect(run.code, run.stderr).toBeLessThan(2);
      expect(run.stdout.length).toBeGreaterThan(0);
      expect(foreignLinks(run.stdout + run.stderr)).toEqual([]);
    });
  }

  it('text findings name the page and the offline command', async () => {
    const run = await runCli(['lint', ...lintArgs], lint);
    expect(run.stdout).toMatch(/^ {2}docs: https:\/\/github\.com\/[\w.-]+\/shardwise\/blob\/main\/docs\/rules\/(\w+)\.md \(offline: shardwise rules \1\)$/m);
  });

  it('the plan file written by analyze points its schema header at the repository', async () => {
    const out = join(tmp, 'plan.yaml');
    const run = await runCli(['analyze', join(wwi, 'schema.sql'), '--write-plan', '--plan-out', out], tmp);
    expect(run.code, run.stderr).toBeLessThan(2);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe(`# yaml-language-server: $schema=${REPOSITORY}/raw/main/schemas/design.schema.json`);
  });
});
