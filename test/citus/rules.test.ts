/**
 * Every rule's examples, and every fix the rules print, on the real cluster.
 *
 * - A valid example's design runs clean, applied the way a user applies it:
 *   the migration `shardwise migrate` writes.
 * - An invalid example's design, applied by the distribution calls themselves,
 *   gives what its `on_citus` says: Citus's first ERROR (and DETAIL) verbatim,
 *   after the `then` statements where the consequence shows later, or `ok`
 *   where Citus accepts it and the rule is about what follows. That ERROR is
 *   text the rule quotes: in the messages it renders for the example, or in
 *   its rationale (`<...>` standing for a name).
 * - The fixes of an example's findings, applied before the distribution (a
 *   fix that is a distribution call in place of the design's), run clean; the
 *   design then runs clean too, unless a finding has no fix, and then it
 *   fails as before.
 *
 * Examples written for another Citus version (`citus: "12.1"`) are skipped:
 * the cluster runs one version, and ../shared/citus-rules.md stays the
 * reference for the others.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog/index.js';
import { loadParser } from '../../src/ingest/pg/index.js';
import { loadRuleDocs } from '../../src/rules/docs.js';
import { EXAMPLE_FILE, exampleDesign } from '../../src/rules/examples.js';
import type { RuleDoc, RuleExample } from '../../src/rules/model.js';
import { runRulesDetailed } from '../../src/rules/runner.js';
import type { CitusDatabase } from '../support/citus.js';
import { createTestCitusDatabase, describeCitus } from '../support/citus-db.js';
import { ExampleRunner, type ExampleRun } from './rules-run.js';

const docs = loadRuleDocs();

function majorMinor(v: string): string {
  return v.split(/[.-]/).slice(0, 2).join('.');
}

/** The texts a rule quotes for an example: the messages rendered for its findings, and the backticked spans of the rationales. */
function quotedTexts(doc: RuleDoc, ex: RuleExample): { rendered: string[]; spans: RegExp[] } {
  const rules = new Set([doc.id, ...(ex.findings ?? []).map((f) => f.rule ?? doc.id)]);
  const { catalog } = buildCatalog([{ file: EXAMPLE_FILE, text: ex.schema }]);
  const results = runRulesDetailed(catalog, exampleDesign(ex), { docs, ...(ex.options ? { ruleOptions: { [doc.id]: ex.options } } : {}) });
  const rendered = results.filter((r) => rules.has(r.finding.ruleId)).map((r) => r.finding.message);
  const spans: RegExp[] = [];
  for (const d of docs.filter((x) => rules.has(x.id))) {
    for (const m of d.rationale.matchAll(/`([^`]+)`/g)) {
      const pattern = m[1]
        .split(/(<[^>]+>)/)
        .map((part) => (/^<[^>]+>$/.test(part) ? '.+?' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('');
      spans.push(new RegExp(`^${pattern}$`));
    }
  }
  return { rendered, spans };
}

function quotes(doc: RuleDoc, ex: RuleExample, text: string): boolean {
  const { rendered, spans } = quotedTexts(doc, ex);
  return rendered.some((m) => m.includes(text)) || spans.some((re) => re.test(text));
}

function outcome(run: ExampleRun): string {
  return run.error ? `${run.step}: ${run.error.message}${run.error.detail ? ` / ${run.error.detail}` : ''} (at ${run.sql})` : 'ok';
}

describeCitus('rule examples and fixes on the real cluster', () => {
  let db: CitusDatabase;
  let version: string;
  let runner: ExampleRunner;

  beforeAll(async () => {
    await loadParser();
    db = await createTestCitusDatabase({ prefix: 'rules' });
    const v = await db.client.query<{ v: string }>(`SELECT extversion AS v FROM pg_extension WHERE extname = 'citus'`);
    version = majorMinor(v.rows[0].v);
    runner = new ExampleRunner(db.url, version, (sql) => db.onWorker(0, sql));
  });
  afterAll(async () => {
    await db?.drop();
  });

  for (const doc of docs) {
    doc.examples.valid.forEach((ex, i) => {
      it(`${doc.id} valid #${i + 1}: ${ex.title}${ex.citus ? ` (Citus ${ex.citus})` : ''}`, async (ctx) => {
        if (ex.citus && majorMinor(ex.citus) !== version) ctx.skip(`written for Citus ${ex.citus}; the cluster runs ${version} (../shared/citus-rules.md holds that version's behaviour)`);
        const run = await runner.run(ex, 'migration');
        expect(outcome(run), 'the migration shardwise migrate writes for the design').toBe('ok');
      });
    });
    doc.examples.invalid.forEach((ex, i) => {
      it(`${doc.id} invalid #${i + 1}: ${ex.title}${ex.citus ? ` (Citus ${ex.citus})` : ''}`, async (ctx) => {
        if (ex.citus && majorMinor(ex.citus) !== version) ctx.skip(`written for Citus ${ex.citus}; the cluster runs ${version} (../shared/citus-rules.md holds that version's behaviour)`);
        expect(ex.on_citus, `rules/${doc.id}.yml: invalid #${i + 1} needs on_citus: what Citus ${version} says to its design`).toBeDefined();
        const want = ex.on_citus!;
        const run = await runner.run(ex, 'design');
        if (want === 'ok') expect(outcome(run)).toBe('ok');
        else {
          expect(run.error, outcome(run)).toEqual({ message: want.error, ...(want.detail !== undefined ? { detail: want.detail } : run.error?.detail !== undefined ? { detail: run.error.detail } : {}) });
          expect(run.step, outcome(run)).toBe(want.then ? 'then' : 'design');
          expect(quotes(doc, ex, want.error!), `rules/${doc.id}.yml quotes "${want.error}"`).toBe(true);
          if (want.detail !== undefined) expect(quotes(doc, ex, want.detail), `rules/${doc.id}.yml quotes "${want.detail}"`).toBe(true);
        }
        const findings = ex.findings ?? [];
        if (!findings.some((f) => f.fix)) return;
        const fixed = await runner.run(ex, 'fixed');
        expect(fixed.step, outcome(fixed)).not.toBe('fix');
        if (findings.every((f) => f.fix) || want === 'ok') expect(outcome(fixed), 'the design after every fix').toBe('ok');
        else expect(fixed.error?.message, 'a finding without a fix still fails the design').toBe(want.error);
      });
    });
  }
});
