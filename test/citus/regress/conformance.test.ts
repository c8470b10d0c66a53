/**
 * Citus's own regression suite as a conformance suite for the model: for each
 * chosen file, every statement's outcome (ok or error) and exact ERROR text
 * against what Citus 13.2 printed. `baseline.json` holds each file's figures;
 * a file may only improve. After an improvement, write the new figures with
 *
 *   SHARDWISE_UPDATE_BASELINE=1 npx vitest run test/citus/regress
 *
 * and `SHARDWISE_REGRESS_DETAIL=name` prints a file's disagreements.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadParser } from '../../../src/ingest/pg/index.js';
import { regressDir } from '../../support/citus-regress.js';
import { runRegressFile, type FileFigures } from './conformance.js';
import { REGRESS_FILES } from './files.js';

const here = dirname(fileURLToPath(import.meta.url));
const baselinePath = join(here, 'baseline.json');
const dir = regressDir();
const names = Object.values(REGRESS_FILES).flat().sort();
const baseline: Record<string, FileFigures> = existsSync(baselinePath) ? JSON.parse(readFileSync(baselinePath, 'utf8')) : {};
const figures: Record<string, FileFigures> = {};

const pct = (a: number, b: number) => (b === 0 ? '-' : `${((100 * a) / b).toFixed(1)}%`);

describe.skipIf(!dir)("Citus's regression suite, statement by statement", () => {
  beforeAll(async () => {
    await loadParser();
  });

  afterAll(() => {
    const total = Object.values(figures).reduce(
      (t, f) => ({ statements: t.statements + f.statements, outcomeAgree: t.outcomeAgree + f.outcomeAgree, notModelled: t.notModelled + f.notModelled, errors: t.errors + f.errors, exactErrors: t.exactErrors + f.exactErrors }),
      { statements: 0, outcomeAgree: 0, notModelled: 0, errors: 0, exactErrors: 0 },
    );
    if (Object.keys(figures).length === names.length) {
      console.log(
        `regression conformance: ${names.length} files, ${total.statements} statements; outcome agrees for ${pct(total.outcomeAgree, total.statements)} (${total.notModelled} not modelled); exact ERROR text for ${total.exactErrors} of ${total.errors} errors on the statement (${pct(total.exactErrors, total.errors)})`,
      );
      if (process.env.SHARDWISE_UPDATE_BASELINE) {
        const sorted = Object.fromEntries(Object.keys(figures).sort().map((k) => [k, figures[k]]));
        writeFileSync(baselinePath, JSON.stringify(sorted, null, 2) + '\n');
      }
    }
  });

  it('every chosen file exists in the tarball, once', () => {
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(existsSync(join(dir!, 'sql', `${n}.sql`)), n).toBe(true);
  });

  it.each(names)('%s: no worse than the baseline', (name) => {
    const { figures: f, disagreements } = runRegressFile(dir!, name);
    figures[name] = f;
    if (process.env.SHARDWISE_REGRESS_DETAIL === name) {
      for (const d of disagreements) console.log(`${name}.sql:${d.line}: expected ${d.expected}, model ${d.got}\n  ${d.sql}`);
    }
    const base = baseline[name];
    if (process.env.SHARDWISE_UPDATE_BASELINE) return;
    expect(base, `${name} has no baseline: run with SHARDWISE_UPDATE_BASELINE=1`).toBeDefined();
    expect(f.statements, `${name}: the statements compared changed`).toBe(base.statements);
    expect(f.outcomeAgree, `${name}: outcome agreement got worse (${f.outcomeAgree} < ${base.outcomeAgree})`).toBeGreaterThanOrEqual(base.outcomeAgree);
    expect(f.exactErrors, `${name}: exact ERROR texts got worse (${f.exactErrors} < ${base.exactErrors})`).toBeGreaterThanOrEqual(base.exactErrors);
  });
});
