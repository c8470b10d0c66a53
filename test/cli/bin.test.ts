/**
 * The installed command (bin/shardwise.js over the build in dist/, which
 * `npm ci` makes): a reader that stops early ends the run quietly.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, repoRoot } from '../support/corpus.js';

describe('bin/shardwise.js', () => {
  it('stops quietly when its output pipe closes (shardwise analyze ... | head -1)', async () => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'shardwise.js'), 'analyze', join(corpusDir(), 'lago-api', 'schema.sql')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (d) => resolve(String(d))));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(first).toMatch(/^Schema: \d+ tables/);
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(0);
  });
});
