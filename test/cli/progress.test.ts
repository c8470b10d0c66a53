/**
 * The progress line (src/cli/progress.ts): on a terminal only, not under CI
 * nor with --quiet; after the work has lasted the delay; at most ten redraws
 * a second; cut to the terminal's width; cleared at the end. Then each
 * command that shows it, run in-process with a fake terminal as stderr.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import { progressLine } from '../../src/cli/progress.js';
import { loadParser } from '../../src/ingest/pg/parser.js';
import { repoRoot } from '../support/corpus.js';

const CLEAR = '\r\x1b[2K';

function fakeIO(tty: boolean, env: Record<string, string> = {}, columns = 80) {
  const out = { stdout: '', stderr: '' };
  const io: CliIO = {
    stdout: { write: (s: string) => (out.stdout += s), isTTY: false },
    stderr: { write: (s: string) => (out.stderr += s), isTTY: tty, columns },
    env: { NO_COLOR: '1', ...env },
    cwd: repoRoot,
  };
  return { io, out };
}

describe('progressLine', () => {
  it('draws after the delay, at most every interval, cut to the width, and clears', () => {
    let t = 0;
    const { io, out } = fakeIO(true, {}, 40);
    const p = progressLine(io, 'analyze', { now: () => t });
    p.update('reading the schema');
    t = 999;
    p.update('still reading');
    expect(out.stderr).toBe('');
    t = 1000;
    p.update('searching', 0, 3);
    expect(out.stderr).toBe(`${CLEAR}shardwise analyze: 0/3 searching`);
    t = 1050;
    p.update('design around orders', 1, 3);
    expect(out.stderr).toBe(`${CLEAR}shardwise analyze: 0/3 searching`);
    t = 1100;
    p.update('design around a table with a very long name indeed', 2, 3);
    const last = out.stderr.slice(out.stderr.lastIndexOf(CLEAR) + CLEAR.length);
    expect(last).toBe('shardwise analyze: 2/3 design around a…');
    expect([...last].length).toBe(39);
    p.clear();
    expect(out.stderr.endsWith(CLEAR)).toBe(true);
    const before = out.stderr;
    p.clear();
    expect(out.stderr).toBe(before);
  });

  it('redraws at most ten times a second however often it is told', () => {
    let t = 0;
    const { io, out } = fakeIO(true);
    const p = progressLine(io, 'lint', { now: () => t, delay: 0 });
    for (let i = 0; i < 1000; i++) {
      t = i * 2; // 1000 updates over two seconds
      p.update(`file ${i}`, i, 1000);
    }
    expect(out.stderr.split(CLEAR).length - 1).toBe(20);
  });

  it.each([
    ['not a terminal', false, {}, false],
    ['under CI', true, { CI: 'true' }, false],
    ['with --quiet', true, {}, true],
  ] as const)('draws nothing %s', (_, tty, env, quiet) => {
    let t = 0;
    const { io, out } = fakeIO(tty, env);
    const p = progressLine(io, 'simulate', { now: () => t, quiet });
    t = 5000;
    p.update('routing', 1, 2);
    p.clear();
    expect(out.stderr).toBe('');
  });

  it('takes a terminal that does not tell its width as 80 columns', () => {
    const { io, out } = fakeIO(true, {}, 0);
    const p = progressLine(io, 'analyze', { delay: 0 });
    p.update('x'.repeat(200));
    expect([...out.stderr.slice(CLEAR.length)].length).toBe(79);
  });

  it('draws with CI=false or CI=0', () => {
    for (const CI of ['false', '0']) {
      const { io, out } = fakeIO(true, { CI });
      const p = progressLine(io, 'simulate', { delay: 0 });
      p.update('routing');
      expect(out.stderr).toBe(`${CLEAR}shardwise simulate: routing`);
    }
  });
});

describe('commands show progress on a terminal, and clear it', () => {
  beforeAll(async () => {
    await loadParser();
  });
  const wwi = join(repoRoot, 'examples', 'wide-world-importers');
  const lint = join(repoRoot, 'fixtures', 'lint');
  const runs: Array<[string, string[]]> = [
    ['analyze', ['analyze', join(wwi, 'schema.sql')]],
    ['migrate', ['migrate', join(wwi, 'schema.sql')]],
    ['simulate', ['simulate', join(wwi, 'schema.sql')]],
    ['simulate', ['simulate', join(wwi, 'schema.sql'), '--migration', join(wwi, 'migration.sql')]],
    ['lint', ['lint', '--schema', join(lint, 'schema.sql'), '--', join(lint, 'migrations', 'golang')]],
  ];
  // Delay 0: every phase is drawn, however fast the machine.
  const NOW = { SHARDWISE_PROGRESS_DELAY_MS: '0' };
  for (const [name, argv] of runs) {
    it(`${argv.slice(0, 1).concat(argv.includes('--migration') ? ['--migration'] : []).join(' ')}: a line on a terminal, cleared before the end`, async () => {
      const { io, out } = fakeIO(true, NOW);
      const code = await main(argv, io);
      expect(code).toBeLessThan(2);
      expect(out.stderr).toContain(`${CLEAR}shardwise ${name}: `);
      expect(out.stderr.endsWith(CLEAR)).toBe(true);
      expect(out.stdout).not.toMatch(/\x1b/);
    });

    it(`${argv[0]}: nothing when stderr is not a terminal, under CI, or with --quiet`, async () => {
      for (const [tty, env, extra] of [[false, NOW, []], [true, { ...NOW, CI: '1' }, []], [true, NOW, ['--quiet']], [true, NOW, ['-q']]] as const) {
        const { io, out } = fakeIO(tty, env);
        const args = extra.length ? [argv[0], ...extra, ...argv.slice(1)] : argv;
        const code = await main(args, io);
        expect(code, out.stderr).toBeLessThan(2);
        expect(out.stderr).not.toMatch(/\x1b|\r/);
      }
    });
  }

  it('each command names --quiet in its usage', async () => {
    for (const name of ['analyze', 'migrate', 'simulate', 'lint']) {
      const { io, out } = fakeIO(false);
      expect(await main([name, '--help'], io)).toBe(0);
      expect(out.stdout, name).toMatch(/^ {2}-q, --quiet +no progress line/m);
    }
  });
});
