/**
 * The README's screenshot of the HTML report: `shardwise analyze` of
 * fixtures/lint/schema.sql rendered by renderAnalyzeHtml and shot with
 * headless Chromium (apt-get install -y chromium) into docs/img/report.png.
 * Usage: npx tsx scripts/screenshot-report.ts
 */
import { writeFileSync, mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeInputs } from '../src/cli/pipeline.js';
import { loadParser } from '../src/ingest/pg/parser.js';
import { renderAnalyzeHtml } from '../src/report/html.js';
import { packageRoot } from '../src/rules/docs.js';
import { runRules } from '../src/rules/runner.js';
import { screenshot } from '../test/report/html-chromium.js';

async function main(): Promise<number> {
  await loadParser();
  const root = packageRoot();
  const analysis = await analyzeInputs({ schema: ['schema.sql'], cwd: join(root, 'fixtures', 'lint') });
  const html = renderAnalyzeHtml(analysis.advice, analysis.catalog, runRules(analysis.catalog, analysis.advice.design));
  const dir = mkdtempSync(join(tmpdir(), 'shardwise-shot-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  mkdirSync(join(root, 'docs', 'img'), { recursive: true });
  const png = join(root, 'docs', 'img', 'report.png');
  screenshot(file, png);
  process.stdout.write('wrote docs/img/report.png\n');
  return 0;
}

main().then((code) => process.exit(code));
