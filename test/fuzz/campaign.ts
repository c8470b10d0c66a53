/** A fuzz run: cases of one seed through the pool, with the figures a report needs. */
import { generateCase, type FuzzCase } from './cases.js';
import { judge, type FailureKind, type Verdict } from './oracle.js';
import { Pool, type Outcome, type PoolOptions } from './pool.js';
import { loadSeeds, type Seeds } from './seeds.js';

export interface CampaignOptions extends PoolOptions {
  readonly seed: number;
  readonly cases: number;
  /** First case index (default 0). */
  readonly from?: number;
  readonly onCase?: (c: FuzzCase, o: Outcome, v: Verdict, done: number) => void;
}

export interface Failure {
  readonly case: FuzzCase;
  readonly kind: FailureKind;
  readonly detail: string;
}

export interface CampaignReport {
  readonly seed: number;
  readonly cases: number;
  readonly failures: readonly Failure[];
  /** Cases that ended in an error (exit 2), and those of them without a place or a hint. */
  readonly errors: number;
  readonly unlocated: number;
  readonly unhinted: number;
  readonly exitCodes: Readonly<Record<string, number>>;
  readonly scenarios: Readonly<Record<string, number>>;
  readonly slowestMs: number;
  readonly peakRssMb: number;
  readonly wallMs: number;
}

export async function runCampaign(options: CampaignOptions, seeds: Seeds = loadSeeds()): Promise<CampaignReport> {
  const pool = new Pool(options);
  const failures: Failure[] = [];
  const exitCodes: Record<string, number> = {};
  const scenarios: Record<string, number> = {};
  let errors = 0;
  let unlocated = 0;
  let unhinted = 0;
  let slowestMs = 0;
  let peakRssMb = 0;
  let done = 0;
  const t0 = performance.now();
  const from = options.from ?? 0;
  let next = from;
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= from + options.cases) return;
      const c = generateCase(seeds, options.seed, index);
      const o = await pool.run(c);
      const v = judge(c, o);
      done++;
      scenarios[c.scenario] = (scenarios[c.scenario] ?? 0) + 1;
      const code = o.kind === 'done' ? String(o.result.code ?? 'threw') : o.kind;
      exitCodes[code] = (exitCodes[code] ?? 0) + 1;
      if (o.kind === 'done') {
        slowestMs = Math.max(slowestMs, o.result.ms);
        peakRssMb = Math.max(peakRssMb, o.rssMb);
      }
      if (v.error) {
        errors++;
        if (!v.located) unlocated++;
        if (!v.hinted) unhinted++;
      }
      if (v.failure) failures.push({ case: c, ...v.failure });
      options.onCase?.(c, o, v, done);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.jobs }, worker));
  } finally {
    pool.close();
  }
  failures.sort((a, b) => caseIndex(a.case) - caseIndex(b.case));
  return { seed: options.seed, cases: options.cases, failures, errors, unlocated, unhinted, exitCodes, scenarios, slowestMs, peakRssMb, wallMs: performance.now() - t0 };
}

function caseIndex(c: FuzzCase): number {
  return Number(c.id.split(':')[1]);
}
