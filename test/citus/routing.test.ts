/**
 * Routing against the real cluster: every corpus workload statement's class
 * and shard count, as shardwise predicts them on the recommended design, held
 * against Citus's own EXPLAIN of the statement on that design (see
 * docs/routing.md for how EXPLAIN maps to the classes).
 *
 * Each dataset with a workload is loaded into a fresh database, migrated by
 * the script `shardwise migrate` writes (shard_count 4, to keep the suite
 * quick), and every statement is planned (routing-run.ts). The figures
 * print per dataset; `routing-floors.json` holds each dataset's agreements,
 * which may only improve. After an improvement:
 *
 *   SHARDWISE_UPDATE_BASELINE=1 npx vitest run test/citus/routing.test.ts
 *
 * and `SHARDWISE_ROUTING_DETAIL=1` prints every disagreement.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadParser } from '../../src/ingest/pg/index.js';
import { citusTopology, createTestCitusDatabase, describeCitus } from '../support/citus-db.js';
import { corpusDatasets } from '../support/corpus.js';
import { compareDataset, runDataset, type StatementComparison } from './routing-run.js';

const SHARD_COUNT = 4;
const CITUS = '13.2';
/** Agreement over all corpus statements the suite must keep. */
const MIN_AGREEMENT = 0.98;

const here = dirname(fileURLToPath(import.meta.url));
const floorsPath = join(here, 'routing-floors.json');
const floors: Record<string, { statements: number; agree: number }> = existsSync(floorsPath) ? JSON.parse(readFileSync(floorsPath, 'utf8')) : {};
const datasets = corpusDatasets().filter((d) => d.queriesPath);
const results = new Map<string, StatementComparison[]>();

describeCitus('routing of the corpus workloads against real EXPLAIN', () => {
  beforeAll(async () => {
    await loadParser();
  });

  afterAll(() => {
    const rows = [...results].sort(([a], [b]) => a.localeCompare(b));
    const agree = rows.reduce((n, [, r]) => n + r.filter((c) => c.agree).length, 0);
    const total = rows.reduce((n, [, r]) => n + r.length, 0);
    const lines = rows.map(([name, r]) => `  ${name}: ${r.filter((c) => c.agree).length}/${r.length}`);
    console.log(`routing against real EXPLAIN (shard_count ${SHARD_COUNT}):\n${lines.join('\n')}\n  all: ${agree}/${total} (${total ? ((100 * agree) / total).toFixed(1) : '-'}%)`);
    if (process.env.SHARDWISE_UPDATE_BASELINE && rows.length === datasets.length) {
      const out = Object.fromEntries(rows.map(([name, r]) => [name, { statements: r.length, agree: r.filter((c) => c.agree).length }]));
      writeFileSync(floorsPath, JSON.stringify(out, null, 2) + '\n');
    }
  });

  for (const ds of datasets) {
    it(`${ds.name}: predicted routes agree with EXPLAIN no less than before`, { timeout: 600_000 }, async () => {
      const topology = citusTopology()!;
      const db = await createTestCitusDatabase({ prefix: 'route' });
      try {
        const run = await runDataset(ds, db, SHARD_COUNT, CITUS);
        expect(run.migrationErrors, 'the migration and the workload views run on the cluster').toEqual([]);
        const workers = topology.workerPorts.map((p) => `127.0.0.1:${p}`);
        const compared = compareDataset(run, workers, `127.0.0.1:${topology.coordinatorPort}`);
        results.set(ds.name, compared);
        if (process.env.SHARDWISE_ROUTING_DETAIL) {
          for (const c of compared.filter((x) => !x.agree)) console.log(`${ds.name} ${c.statement.query.id}: ${c.why}\n  ${c.statement.bound.replace(/\s+/g, ' ').slice(0, 300)}`);
        }
        const floor = floors[ds.name];
        if (process.env.SHARDWISE_UPDATE_BASELINE) return;
        expect(floor, `${ds.name} has no floor: run with SHARDWISE_UPDATE_BASELINE=1`).toBeDefined();
        expect(compared.length, `${ds.name}: the statements compared changed`).toBe(floor.statements);
        const agree = compared.filter((c) => c.agree).length;
        const why = compared.filter((c) => !c.agree).map((c) => `${c.statement.query.id}: ${c.why}`);
        expect(agree, `${ds.name}: agreement got worse\n${why.join('\n')}`).toBeGreaterThanOrEqual(floor.agree);
      } finally {
        await db.drop();
      }
    });
  }

  it(`agrees with EXPLAIN on at least ${MIN_AGREEMENT * 100}% of the corpus statements`, () => {
    const all = [...results.values()].flat();
    expect(results.size, 'every dataset was planned').toBe(datasets.length);
    expect(all.filter((c) => c.agree).length / all.length).toBeGreaterThanOrEqual(MIN_AGREEMENT);
  });
});
