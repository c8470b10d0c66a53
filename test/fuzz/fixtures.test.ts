/**
 * Every failure the fuzz suite found, kept as a fixture under
 * test/fixtures/fuzz/<name>/ (case.json: command line, files, the exit code
 * and the messages expected): each runs through main() as the CLI runs it
 * and must give its located error, and pass every check of the fuzz oracle.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadParser } from '../../src/ingest/pg/parser.js';
import { runCase } from './exec.js';
import { fixtureCase, loadFixtures } from './fixture.js';
import { judge } from './oracle.js';

beforeAll(async () => {
  await loadParser();
});

describe('fuzz fixtures', () => {
  const fixtures = loadFixtures();
  it('there are fixtures', () => expect(fixtures.length).toBeGreaterThan(0));
  for (const { name, spec } of fixtures) {
    it(`${name}: ${spec.about}`, async () => {
      const c = fixtureCase(name, spec);
      const result = await runCase({
        id: c.id,
        argv: c.argv,
        files: Object.fromEntries(Object.entries(c.files).map(([k, v]) => [k, v.toString('base64')])),
        ...(c.dirs ? { dirs: c.dirs } : {}),
        ...(c.links ? { links: c.links } : {}),
      });
      const verdict = judge(c, { kind: 'done', result, rssMb: 0 });
      expect(verdict.failure, `${result.stderr}\n${result.stdout.slice(0, 2000)}`).toBeUndefined();
      expect(result.code, result.stderr).toBe(spec.code);
      for (const p of spec.stderr ?? []) expect(result.stderr).toMatch(new RegExp(p, 'm'));
      for (const p of spec.stdout ?? []) expect(result.stdout).toMatch(new RegExp(p, 'm'));
    });
  }
});
