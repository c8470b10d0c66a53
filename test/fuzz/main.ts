/**
 * `npm run fuzz -- --cases N --seed S [--jobs J] [--timeout MS] [--memory MB]
 * [--shrink N] [--out DIR] [--from I]`: a fuzz run that prints each failure
 * with a minimal reproduction (the broken file shrunk by delta debugging),
 * written as a fixture directory under --out, and the share of errors that
 * lack a place or a hint.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCampaign } from './campaign.js';
import { writeFixture } from './fixture.js';
import { Pool } from './pool.js';
import { groupFailures, reproduce } from './report.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    jobs: { type: 'string', default: '2' },
    timeout: { type: 'string', default: '30000' },
    memory: { type: 'string', default: '1024' },
    shrink: { type: 'string', default: '150' },
    from: { type: 'string', default: '0' },
    out: { type: 'string' },
    /** Run one case, `seed:index`, and write it under --out whatever its outcome. */
    case: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});
const num = (s: string | undefined, flag: string) => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${flag} must be a whole number, not '${s}'`);
    process.exit(2);
  }
  return n;
};
const one = values.case?.split(':');
const options = {
  seed: num(one ? one[0] : values.seed, 'seed'),
  cases: one ? 1 : num(values.cases, 'cases'),
  from: num(one ? one[1] : values.from, 'from'),
  jobs: Math.max(1, num(values.jobs, 'jobs')),
  timeoutMs: num(values.timeout, 'timeout'),
  memoryMb: num(values.memory, 'memory'),
};

const started = performance.now();
const report = await runCampaign({
  ...options,
  onCase: (c, o, _v, done) => {
    if (one) {
      const dir = join(values.out ?? mkdtempSync(join(tmpdir(), 'shardwise-fuzz-case-')), `case-${c.id.replace(':', '-')}`);
      writeFixture(dir, c, `case ${c.id}`, o.kind === 'done' ? (o.result.code ?? -1) : -1);
      console.log(`case ${c.id} (${c.scenario}: ${c.mutators.join(', ')}): ${o.kind === 'done' ? `exit ${o.result.code} in ${Math.round(o.result.ms)} ms` : o.kind}; written to ${dir}`);
    }
    if (!values.quiet && (done % 100 === 0 || done === options.cases)) {
      const rate = done / ((performance.now() - started) / 1000);
      process.stderr.write(`\r${done}/${options.cases} cases, ${rate.toFixed(1)}/s`);
    }
  },
});
process.stderr.write('\n');

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(2)}%` : '0%');
console.log(`seed ${report.seed}: ${report.cases} cases in ${(report.wallMs / 1000).toFixed(1)} s (${options.jobs} jobs); slowest case ${Math.round(report.slowestMs)} ms; peak child memory ${Math.round(report.peakRssMb)} MB`);
console.log(`exit codes: ${Object.entries(report.exitCodes).sort().map(([k, v]) => `${k}: ${v}`).join(', ')}`);
console.log(`scenarios: ${Object.entries(report.scenarios).sort().map(([k, v]) => `${k}: ${v}`).join(', ')}`);
console.log(`errors (exit 2): ${report.errors}; without file:line:column: ${report.unlocated} (${pct(report.unlocated, report.errors)}); without a hint: ${report.unhinted} (${pct(report.unhinted, report.errors)})`);
console.log(`failures: ${report.failures.length}`);

// One reproduction per kind of failure and first line of its message.
const groups = groupFailures(report.failures);
const out = values.out ?? (groups.length ? mkdtempSync(join(tmpdir(), 'shardwise-fuzz-failures-')) : undefined);
const pool = new Pool(options);
try {
  for (const group of groups) {
    const f = group.failures[0];
    const repro = await reproduce(group, pool, num(values.shrink, 'shrink'));
    console.log(`\n${repro.text}`);
    if (out) {
      const dir = join(out, `${f.kind}-${f.case.id.replace(':', '-')}`);
      writeFixture(dir, repro.case, `${f.kind}: ${f.detail.split('\n')[0]}`, 2);
      console.log(`   reproduction: ${dir}`);
    }
  }
} finally {
  pool.close();
}
process.exitCode = report.failures.length ? 1 : 0;
