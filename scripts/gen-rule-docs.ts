/**
 * Regenerate docs/rules/ from rules/*.yml: one page per rule plus README.md.
 * Usage: npx tsx scripts/gen-rule-docs.ts [--check]
 * With --check nothing is written; the exit code is 1 when a page is stale.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRuleDocs, packageRoot } from '../src/rules/docs.js';
import { renderRuleDocs } from '../src/rules/render.js';
import { BUILTIN_RULES } from '../src/report/model.js';

const check = process.argv.includes('--check');
const dir = join(packageRoot(), 'docs', 'rules');
const files = renderRuleDocs(loadRuleDocs(), BUILTIN_RULES);
const stale: string[] = [];
if (!check) mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(files)) {
  const path = join(dir, name);
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (current === text) continue;
  stale.push(name);
  if (!check) writeFileSync(path, text);
}
for (const name of existsSync(dir) ? readdirSync(dir) : []) {
  if (name.endsWith('.md') && !(name in files)) {
    stale.push(name);
    if (!check) rmSync(join(dir, name));
  }
}
if (check && stale.length) {
  process.stderr.write(`docs/rules is stale: ${stale.join(', ')}\nrun: npx tsx scripts/gen-rule-docs.ts\n`);
  process.exitCode = 1;
} else if (!check) {
  process.stdout.write(stale.length ? `updated ${stale.length} file(s) in docs/rules\n` : 'docs/rules is up to date\n');
}
