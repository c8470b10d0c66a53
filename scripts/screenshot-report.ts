/**
 * The README's screenshots of the HTML report, shot with headless Chromium
 * (apt-get install -y chromium): `shardwise analyze` of
 * fixtures/lint/schema.sql into docs/img/report.png, and of gitlab's schema
 * from the corpus (../shared/corpus or $SHARDWISE_CORPUS), its design graph
 * collapsed, into docs/img/design-graph.png.
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
import { corpusDir } from '../test/support/corpus.js';

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
  const gitlab = await analyzeInputs({ schema: [join(corpusDir(), 'gitlab', 'schema.sql')], cwd: root });
  const big = join(dir, 'gitlab.html');
  writeFileSync(big, renderAnalyzeHtml(gitlab.advice, gitlab.catalog, []));
  screenshot(big, join(root, 'docs', 'img', 'design-graph.png'), '1280,1080');
  process.stdout.write('wrote docs/img/design-graph.png\n');
  return 0;
}

main().then((code) => process.exit(code));
