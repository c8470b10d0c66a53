/**
 * Golden files of the plan tests. A mismatch fails with a line diff and the
 * command that rewrites them; UPDATE_GOLDENS=1 rewrites instead of comparing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { repoRoot } from '../support/corpus.js';

export const REGENERATE = 'UPDATE_GOLDENS=1 npx vitest run test/plan';

/** Lines that differ, unified-diff style, with a little context. */
export function lineDiff(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const out: string[] = [];
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) continue;
    if (a[i] !== undefined) out.push(`${i + 1}: - ${a[i]}`);
    if (b[i] !== undefined) out.push(`${i + 1}: + ${b[i]}`);
    if (out.length > 60) break;
  }
  return out.join('\n');
}

/** `relPath` is relative to the repository root. */
export function expectGolden(relPath: string, actual: string): void {
  const path = join(repoRoot, relPath);
  if (process.env.UPDATE_GOLDENS === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden ${relPath} is missing; create it with: ${REGENERATE}`);
  const expected = readFileSync(path, 'utf8');
  if (expected !== actual) {
    expect.fail(`output differs from ${relPath}:\n${lineDiff(expected, actual)}\nIf the change is intended, review it and run: ${REGENERATE}`);
  }
}
