/**
 * The advisor routes each distinct query shape once and re-routes only what a
 * design change could alter (src/advisor/routing.ts). The routing it reports
 * for its final design must be what classifying every query afresh, under
 * that design as written, gives.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeInputs } from '../../src/cli/pipeline.js';
import { designView } from '../../src/simulate/cluster-run.js';
import { classifyQuery } from '../../src/simulate/routing/classify.js';
import { buildTopology } from '../../src/simulate/shards.js';
import { corpusDir, repoRoot } from '../support/corpus.js';

const DATASETS = ['benchbase-tpcc', 'benchbase-chbenchmark', 'benchbase-auctionmark', 'tpch', 'lago-api', 'citus-mt-ad-analytics'];

describe('the advisor\'s cached routing', () => {
  for (const name of DATASETS) {
    it(`${name}: equals a fresh classification of every query under the recommended design`, async () => {
      const dir = join(corpusDir(), name);
      const a = await analyzeInputs({ schema: [join(dir, 'schema.sql')], workload: [join(dir, 'queries.sql')], cwd: repoRoot });
      const design = a.advice.design;
      const view = designView(a.catalog, design, buildTopology(design, { nodes: 4 }));
      const reported = new Map(a.advice.summary.routing.map((r) => [r.id, r]));
      expect(reported.size).toBe(a.workload!.queries.length);
      for (const q of a.workload!.queries) {
        const fresh = classifyQuery(q.facts, view);
        expect({ class: reported.get(q.query.id)?.class, reason: reported.get(q.query.id)?.reason }, q.query.id).toEqual({ class: fresh.class, reason: fresh.reason });
      }
    });
  }
});
