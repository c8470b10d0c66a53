/**
 * Golden files under test/fixtures/report/. A mismatch fails with a diff and
 * the command that rewrites them; UPDATE_GOLDENS=1 rewrites instead of comparing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'report');
export const REGENERATE = 'UPDATE_GOLDENS=1 npx vitest run test/report';

export function expectGolden(name: string, actual: string): void {
  const path = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDENS === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden test/fixtures/report/${name} is missing; create it with: ${REGENERATE}`);
  const expected = readFileSync(path, 'utf8');
  expect(actual, `output differs from test/fixtures/report/${name}; if the change is intended, run: ${REGENERATE}`).toBe(expected);
}
