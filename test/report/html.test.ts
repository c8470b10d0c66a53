/**
 * The HTML report rendered by a real headless Chromium: the analyze page
 * for the fixture schema (design diagram as SVG, design and candidate
 * tables, findings) and the lint page for the fixture migrations. The DOM
 * Chromium dumps is checked, then a screenshot must come out as a PNG.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeInputs } from '../../src/cli/pipeline.js';
import { loadParser } from '../../src/ingest/pg/parser.js';
import { escapeHtml, renderAnalyzeHtml, renderSimulateHtml } from '../../src/report/html.js';
import { packageRoot } from '../../src/rules/docs.js';
import { runRules } from '../../src/rules/runner.js';
import { runCli } from '../lint/support.js';
import { chromiumPath, dumpDom, screenshot } from './html-chromium.js';

const fixtures = join(packageRoot(), 'fixtures', 'lint');
const out = mkdtempSync(join(tmpdir(), 'shardwise-html-'));

beforeAll(async () => {
  await loadParser();
});

describe('HTML report in Chromium', () => {
  it('chromium is installed (.ci/run installs it)', () => {
    expect(chromiumPath()).toBeDefined();
  });

  it('analyze: the design diagram, the design, candidates and findings are in the DOM', async () => {
    const analysis = await analyzeInputs({ schema: ['schema.sql'], cwd: fixtures });
    const findings = runRules(analysis.catalog, analysis.advice.design);
    const html = renderAnalyzeHtml(analysis.advice, analysis.catalog, findings);
    expect(html).not.toMatch(/<script|<link|src="http|url\(http/);
    expect(renderAnalyzeHtml(analysis.advice, analysis.catalog, findings)).toBe(html);
    const file = join(out, 'analyze.html');
    writeFileSync(file, html);
    const dom = dumpDom(file);
    expect(dom).toMatch(/<svg[^>]*class="design-graph"/);
    const svg = /<svg[^>]*class="design-graph"[\s\S]*?<\/svg>/.exec(dom)![0];
    // a small schema: one node per table of the design, one cluster per colocation group
    const keys = Object.keys(analysis.advice.design.tables);
    expect(keys.length).toBeGreaterThan(0);
    expect((svg.match(/<g class="node /g) ?? []).length).toBe(keys.length);
    for (const k of keys) expect(svg).toContain(`data-table="${escapeHtml(k)}"`);
    expect((svg.match(/<g class="cluster cluster-group"/g) ?? []).length).toBe(analysis.advice.groups.length);
    for (const g of analysis.advice.groups) expect(svg).toContain(`colocated on ${escapeHtml(g.column)}`);
    if (Object.values(analysis.advice.design.tables).some((t) => t.kind === 'reference')) expect(svg).toContain('class="cluster cluster-reference"');
    if (Object.values(analysis.advice.design.tables).some((t) => t.kind === 'local')) expect(svg).toContain('class="cluster cluster-local"');
    expect(dom).toContain('<table class="design">');
    for (const key of Object.keys(analysis.advice.design.tables)) expect(dom).toContain(`<code>${key.replace(/^public\./, '')}</code>`);
    expect(dom).toContain('<table class="candidates">');
    expect(dom).toMatch(/<section id="findings">/);
    const png = join(out, 'analyze.png');
    screenshot(file, png);
    const bytes = readFileSync(png);
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(bytes.readUInt32BE(16)).toBe(1280);
  });

  it('lint: the findings table lists every finding', async () => {
    const run = await runCli(['lint', '--format', 'html', '--schema', 'schema.sql', '--plan', 'shardwise.plan.yaml', '--', 'migrations/flyway', 'migrations/golang'], fixtures);
    const file = join(out, 'lint.html');
    writeFileSync(file, run.stdout);
    const dom = dumpDom(file);
    const rows = /<table class="findings">[\s\S]*?<\/table>/.exec(dom)![0].match(/<tr>/g)!.length - 1;
    const json = JSON.parse((await runCli(['lint', '--format', 'json', '--schema', 'schema.sql', '--plan', 'shardwise.plan.yaml', '--', 'migrations/flyway', 'migrations/golang'], fixtures)).stdout);
    expect(rows).toBe(json.summary.findings);
    expect(dom).toContain('cannot execute ALTER TABLE command involving partition column');
  });

  it('simulate: placement bars and the routing table per class', () => {
    const html = renderSimulateHtml({
      placements: [
        { table: 'public.ads', kind: 'distributed', column: 'company_id', status: 'ok', rows: 30, bytes: 300, nullRows: 0, invalidRows: 0, imbalance: 0.5, hottest: [], hottestApproximate: false, shards: [0, 1, 2, 3].map((i) => ({ shardId: 102008 + i, name: `ads_${102008 + i}`, index: i, node: 'w1', rows: [10, 5, 10, 5][i], bytes: 10 })) },
      ] as never,
      shares: { router: 0.75, 'multi-shard': 0.25, repartition: 0, recursive: 0, coordinator: 0, error: 0 },
      queries: [
        { id: 'q1', sql: 'SELECT * FROM ads WHERE company_id = $1', weight: 3, class: 'router', reason: 'equality filter on the distribution column' },
        { id: 'q2', sql: 'SELECT count(*) FROM ads', weight: 1, class: 'multi-shard', reason: 'no filter' },
      ],
    });
    const file = join(out, 'simulate.html');
    writeFileSync(file, html);
    const dom = dumpDom(file);
    const bars = /<svg[^>]*class="placement"[\s\S]*?<\/svg>/.exec(dom)![0];
    expect((bars.match(/<title>shard \d+: \d+ rows<\/title>/g) ?? []).length).toBe(4);
    expect(dom).toContain('<table class="routing">');
    expect(dom).toMatch(/router<\/span><\/td><td class="num">1<\/td><td class="num">75\.0%/);
    expect(existsSync(file)).toBe(true);
  });
});
