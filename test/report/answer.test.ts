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
});
