/**
 * The fuzz campaign in CI: a fixed set of seeds, 2,000 cases, each run
 * through main() in a child process of the pool (as `npm run fuzz` runs
 * them) with a time limit (CPU time: a busy machine makes no hang) and a
 * memory limit. The run fails on any crash (an
 * internal error, a stack trace, an exception out of main), hang, memory
 * blow-up, output behind the CLI's back, password shown or file clobbered,
 * and when more than 1% of the errors (exit 2) lack a file:line:column or a
 * hint; each failure is listed with its reproduction, the broken file shrunk.
 */
import { describe, expect, it } from 'vitest';
import { runCampaign, type CampaignReport, type Failure } from './campaign.js';
import { Pool } from './pool.js';
import { groupFailures, reproduce, SLOW } from './report.js';
import { loadSeeds } from './seeds.js';

/** Seeds and cases per seed: the same 2,000 cases on every run. */
const SEEDS: readonly number[] = [20261207, 31];
const CASES_PER_SEED = 1000;
/** 15 s of CPU per case: about a hundred times what a case takes. */
const LIMITS = { jobs: 2, timeoutMs: 15_000, memoryMb: 1024 };
/** Errors without a place or a hint allowed, as a share of all errors. */
const ALLOWED_UNLOCATED = 0.01;
/** Shrinking runs per failure group (none for a hang: each try waits the time limit), and groups shrunk, so a failing run still ends. */
const SHRINK_BUDGET = 20;
const GROUPS_SHOWN = 12;

/** Failures that are never allowed; an error without place or hint is counted against the 1%. */
const soft = (f: Failure) => f.kind === 'unlocated' || f.kind === 'no-hint';

async function describeFailures(failures: readonly Failure[]): Promise<string> {
  const groups = groupFailures(failures);
  const pool = new Pool(LIMITS);
  const out: string[] = [];
  try {
    for (const g of groups.slice(0, GROUPS_SHOWN)) out.push((await reproduce(g, pool, SLOW.has(g.failures[0].kind) ? 0 : SHRINK_BUDGET)).text);
  } finally {
    pool.close();
  }
  if (groups.length > GROUPS_SHOWN) out.push(`... and ${groups.length - GROUPS_SHOWN} more groups: npm run fuzz -- --seed S --cases N lists them all`);
  return out.join('\n\n');
}

describe('fuzz campaign', () => {
  it(`${SEEDS.length * CASES_PER_SEED} fixed cases: no crash, hang or clobber; errors located and hinted`, { timeout: 1_200_000 }, async () => {
    const seeds = loadSeeds();
    const reports: CampaignReport[] = [];
    for (const seed of SEEDS) reports.push(await runCampaign({ ...LIMITS, seed, cases: CASES_PER_SEED }, seeds));
    const failures = reports.flatMap((r) => r.failures);
    const errors = reports.reduce((n, r) => n + r.errors, 0);
    const unplaced = failures.filter(soft).length;
    const hard = failures.filter((f) => !soft(f));
    const figures = reports.map((r) => `seed ${r.seed}: ${r.cases} cases in ${(r.wallMs / 1000).toFixed(0)} s, slowest ${Math.round(r.slowestMs)} ms, peak ${Math.round(r.peakRssMb)} MB, errors ${r.errors} (${r.unlocated} without place, ${r.unhinted} without hint)`);
    console.log(figures.join('\n'));
    // Every kind of input and command is reached.
    for (const r of reports) expect(Object.keys(r.scenarios).length, JSON.stringify(r.scenarios)).toBeGreaterThanOrEqual(10);
    const tooManyUnplaced = unplaced > ALLOWED_UNLOCATED * errors;
    const listed = [...hard, ...(tooManyUnplaced ? failures.filter(soft) : [])];
    const text = listed.length ? await describeFailures(listed) : '';
    expect(hard.length, `${hard.length} crash(es), hang(s) or clobber(s):\n\n${text}`).toBe(0);
    expect(tooManyUnplaced, `${unplaced} of ${errors} errors have no file:line:column or no hint (at most ${ALLOWED_UNLOCATED * 100}% may):\n\n${text}`).toBe(false);
  });
});
