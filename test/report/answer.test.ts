/**
 * `analyze`'s text answer and `--explain` on a corpus schema with a workload,
 * against golden files: the design, the routing, the findings by rule, what
 * migrate rewrites, the decisions left, and one table's evidence. Run on
 * copies beside the test so the paths printed are the same everywhere.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../plan/helpers.js';
import { corpusDir } from '../support/corpus.js';
import { expectGolden } from './golden.js';

const dir = mkdtempSync(join(tmpdir(), 'shardwise-answer-'));
for (const f of ['schema.sql', 'queries.sql']) copyFileSync(join(corpusDir(), 'benchbase-tpcc', f), join(dir, f));
const args = ['analyze', 'schema.sql', '--workload', 'queries.sql'];

describe('analyze text answer (benchbase-tpcc)', () => {
  it('the answer', async () => {
    const run = await runCli(args, dir);
    expect(run.code).toBe(0);
    expectGolden('analyze-answer.txt', run.stdout);
  });

  it('--explain order_line', async () => {
    const run = await runCli([...args, '--explain', 'order_line'], dir);
    expect(run.code).toBe(0);
    expectGolden('analyze-explain.txt', run.stdout);
  });

  it('lists the largest colocation groups first (gitlab: the project group before the tables alone on keys of their own)', async () => {
    const run = await runCli(['analyze', join(corpusDir(), 'gitlab', 'schema.sql'), '-q'], dir);
    const sizes = [...run.stdout.matchAll(/^ {2}colocated on \S+ \([^)]*\): (\d+) tables?,/gm)].map((m) => Number(m[1]));
    expect(sizes.length).toBeGreaterThan(4);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(sizes[0]).toBeGreaterThan(100);
  }, 120_000);

  it('--verbose and --format html say how each size was inferred, where it was', async () => {
    const json = JSON.parse((await runCli([...args, '--format', 'json'], dir)).stdout);
    const verbose = (await runCli([...args, '--verbose'], dir)).stdout;
    const html = (await runCli([...args, '--format', 'html'], dir)).stdout;
    const inferred = Object.values(json.tables as Record<string, { rows: number; rowsReason?: string }>).filter((t) => t.rowsReason);
    expect(inferred.length).toBe(Object.keys(json.tables).length);
    for (const t of inferred) {
      expect(verbose).toContain(`size inferred from the schema: ${t.rows} rows, ${t.rowsReason}`);
      expect(html).toContain(`size inferred from the schema: ${t.rowsReason!.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}`);
    }
  });
});
