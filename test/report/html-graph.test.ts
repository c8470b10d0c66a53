/**
 * The design graph of the HTML report: a node per table (or per collapsed
 * cluster), a cluster per colocation group, reference and local tables
 * apart, foreign keys drawn as the migration plan leaves them, backfill
 * hops marked; then rendered by headless Chromium, for a small example and
 * for gitlab's schema, which must show the graph (the time it takes is printed).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeInputs, type Analysis } from '../../src/cli/pipeline.js';
import type { Design } from '../../src/design/model.js';
import { loadParser } from '../../src/ingest/pg/parser.js';
import { planMigration } from '../../src/plan/index.js';
import { buildDesignGraph, FK_STATES } from '../../src/report/design-graph.js';
import { designGraphSvg } from '../../src/report/design-graph-svg.js';
import { escapeHtml, renderAnalyzeHtml } from '../../src/report/html.js';
import { runCli } from '../lint/support.js';
import { corpusDatasets, corpusDir, repoRoot } from '../support/corpus.js';
import { dumpDom, screenshot } from './html-chromium.js';
import { decodePng, differingPixels } from './png.js';

const out = mkdtempSync(join(tmpdir(), 'shardwise-graph-'));

// orgs <- projects <- issues (issues has no org_id: the advisor backfills it),
// countries is small and shared, audit is made local below.
const SCHEMA = `
CREATE TABLE countries (id bigint PRIMARY KEY, name text);
CREATE TABLE orgs (id bigint PRIMARY KEY, country_id bigint REFERENCES countries(id));
CREATE TABLE projects (id bigint PRIMARY KEY, org_id bigint NOT NULL REFERENCES orgs(id));
CREATE TABLE issues (id bigint PRIMARY KEY, project_id bigint NOT NULL REFERENCES projects(id));
CREATE TABLE audit (id bigint PRIMARY KEY, org_id bigint REFERENCES orgs(id));
`;

let small: Analysis;
let design: Design;
let schemaDir = '';

beforeAll(async () => {
  await loadParser();
  schemaDir = mkdtempSync(join(tmpdir(), 'shardwise-graph-schema-'));
  writeFileSync(join(schemaDir, 'schema.sql'), SCHEMA);
  small = await analyzeInputs({ schema: ['schema.sql'], cwd: schemaDir });
  design = { ...small.advice.design, tables: { ...small.advice.design.tables, 'public.audit': { kind: 'local' } } };
});

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  if (schemaDir) rmSync(schemaDir, { recursive: true, force: true });
});

/** Every point an edge passes through and every box corner lies inside the SVG's viewBox. */
function outside(svg: string): string[] {
  const [, w, h] = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)!.map(Number);
  const [dx, dy] = (/<g transform="translate\(([-\d.]+),([-\d.]+)\)">/.exec(svg) ?? ['', '0', '0']).slice(1).map(Number);
  const bad: string[] = [];
  const check = (x: number, y: number) => {
    if (x + dx < 0 || y + dy < 0 || x + dx > w || y + dy > h) bad.push(`${x},${y}`);
  };
  for (const [, d] of svg.matchAll(/<path d="M([^"]*)" fill="none"/g)) for (const pt of d.split('L')) check(...(pt.split(',').map(Number) as [number, number]));
  for (const [, x, y, rw, rh] of svg.matchAll(/<rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)) {
    check(Number(x), Number(y));
    check(Number(x) + Number(rw), Number(y) + Number(rh));
  }
  return bad;
}

/** Pairs of table or cluster nodes whose boxes overlap. */
function overlaps(svg: string): string[] {
  const boxes = [...svg.matchAll(/<g class="node [^"]*" data-(?:table|cluster)="([^"]+)"[^>]*><title>[^<]*<\/title><rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => ({ id: m[1], x: +m[2], y: +m[3], w: +m[4], h: +m[5] }));
  expect(boxes).toHaveLength(count(svg, /<g class="node /g));
  const bad: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) bad.push(`${a.id} / ${b.id}`);
    }
  }
  return bad;
}

const svgOf = (html: string) => /<svg[^>]*class="design-graph"[\s\S]*?<\/svg>/.exec(html)![0];
const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

describe('the design graph', () => {
  it('has a node per table, a cluster per colocation group, reference and local tables apart', () => {
    const svg = designGraphSvg(buildDesignGraph(design, small.catalog));
    const tables = Object.keys(design.tables);
    expect(count(svg, /<g class="node /g)).toBe(tables.length);
    expect(outside(svg)).toEqual([]);
    expect(overlaps(svg)).toEqual([]);
    for (const t of tables) expect(svg).toMatch(new RegExp(`<g class="node n-${design.tables[t].kind}[^"]*" data-table="${t}"`));
    const anchors = new Set(tables.filter((t) => design.tables[t].kind === 'distributed').map((t) => design.tables[t].colocateWith ?? t));
    expect(anchors.size).toBe(1);
    expect(count(svg, /<g class="cluster cluster-group"/g)).toBe(1);
    expect(count(svg, /<g class="cluster cluster-reference"/g)).toBe(1);
    expect(count(svg, /<g class="cluster cluster-local"/g)).toBe(1);
  });

  it('draws each foreign key as the migration plan leaves it: kept, rewritten or dropped; backfill hops marked', () => {
    const graph = buildDesignGraph(design, small.catalog);
    expect(graph.planError).toBeUndefined();
    const m = planMigration(small.catalog, design);
    const stateOf = (table: string, ref: string) =>
      m.foreignKeys.dropped.some((d) => d.table === table && d.refTable === ref) ? 'dropped' : m.foreignKeys.rewritten.some((r) => r.table === table && r.refTable === ref) ? 'rewritten' : 'kept';
    const fks = Object.values(small.catalog.tables).flatMap((t) => t.foreignKeys.map((fk) => ({ from: t.key, to: fk.refTable })));
    expect(graph.edges).toHaveLength(fks.length);
    for (const fk of fks) {
      const edge = graph.edges.find((x) => x.from === `t:${fk.from}` && x.to === `t:${fk.to}`)!;
      expect(edge.state).toBe(stateOf(fk.from, fk.to));
    }
    // the schema is made so that each fate occurs
    expect(new Set(graph.edges.map((x) => x.state))).toEqual(new Set(FK_STATES));
    const svg = designGraphSvg(graph);
    for (const s of FK_STATES) expect(count(svg, new RegExp(`<g class="fk fk-${s}[ "]`, 'g'))).toBe(graph.edges.filter((x) => x.state === s).length);
    const hops = Object.entries(design.tables).flatMap(([, d]) => d.backfill?.path ?? []);
    expect(hops.length).toBeGreaterThan(0);
    for (const h of hops) expect(svg).toMatch(new RegExp(`<g class="fk fk-\\w+ backfill" data-from="t:${h.table}" data-to="t:${h.refTable}"`));
    expect(count(svg, / backfill" /g)).toBe(hops.length);
  });

  it('collapses big clusters past a size, counting their tables and every foreign key', () => {
    const graph = buildDesignGraph(design, small.catalog, { fullUpTo: 2, collapseOver: 1 });
    expect(graph.collapsed).toBe(true);
    const collapsed = graph.clusters.filter((c) => c.collapsed);
    expect(collapsed.map((c) => c.tables.length).every((n) => n > 1)).toBe(true);
    expect(graph.nodes).toHaveLength(collapsed.length + graph.clusters.filter((c) => !c.collapsed).reduce((n, c) => n + c.tables.length, 0));
    const fks = Object.values(small.catalog.tables).reduce((n, t) => n + t.foreignKeys.length, 0);
    const drawn = graph.edges.reduce((n, x) => n + x.count, 0);
    const inside = graph.clusters.reduce((n, c) => n + c.inside.kept + c.inside.rewritten + c.inside.dropped, 0);
    expect(drawn + inside).toBe(fks);
    const svg = designGraphSvg(graph);
    for (const c of collapsed) expect(svg).toContain(`data-cluster="${c.id}" data-tables="${c.tables.length}"`);
  });

  it('an empty design: a picture that says so, with a finite size', () => {
    const svg = designGraphSvg(buildDesignGraph({ citus: design.citus, shardCount: design.shardCount, tables: {} }, { ...small.catalog, tables: {} }));
    expect(svg).toContain('The design has no table.');
    expect(svg).toMatch(/viewBox="0 0 \d+ \d+"/);
    expect(outside(svg)).toEqual([]);
  });

  it('is the same page every time', () => {
    expect(renderAnalyzeHtml(small.advice, small.catalog, [])).toBe(renderAnalyzeHtml(small.advice, small.catalog, []));
  });
});

/**
 * Shoots the page, then the same page with the graph's SVG emptied (same
 * size, so everything else lies where it did): the pixels that differ are
 * what the graph draws.
 */
function shootGraph(html: string, name: string, size: string): { ms: number; drawn: number; width: number } {
  const file = join(out, `${name}.html`);
  writeFileSync(file, html);
  const t0 = Date.now();
  screenshot(file, join(out, `${name}.png`), size);
  const ms = Date.now() - t0;
  const blank = join(out, `${name}-blank.html`);
  writeFileSync(blank, html.replace(/(<svg[^>]*class="design-graph"[^>]*>)[\s\S]*?<\/svg>/, '$1</svg>'));
  screenshot(blank, join(out, `${name}-blank.png`), size);
  const img = decodePng(readFileSync(join(out, `${name}.png`)));
  return { ms, drawn: differingPixels(img, decodePng(readFileSync(join(out, `${name}-blank.png`)))), width: img.width };
}

describe('the design graph in Chromium', () => {
  it('wide-world-importers: analyze --format html draws its three tables and the foreign keys between them', async () => {
    const dir = join(repoRoot, 'examples', 'wide-world-importers');
    const run = await runCli(['analyze', '--format', 'html', 'schema.sql'], dir);
    expect(run.code).toBe(0);
    const file = join(out, 'wwi-dom.html');
    writeFileSync(file, run.stdout);
    const a = await analyzeInputs({ schema: ['schema.sql'], cwd: dir });
    const svg = svgOf(dumpDom(file));
    const tables = Object.keys(a.advice.design.tables);
    expect(tables.length).toBe(3);
    for (const t of tables) expect(svg).toContain(`data-table="${escapeHtml(t)}"`);
    const fks = Object.values(a.catalog.tables).reduce((n, t) => n + t.foreignKeys.length, 0);
    expect(count(svg, /<g class="fk /g)).toBe(fks);
    const shot = shootGraph(run.stdout, 'wwi', '1280,900');
    expect(shot.width).toBe(1280);
    expect(shot.drawn).toBeGreaterThan(2000);
  });

  it('simulate with data: the design graph, rows per worker as a chart, the routing mix as a bar', async () => {
    const pagila = corpusDatasets().find((d) => d.name === 'pagila')!;
    const args = ['simulate', pagila.schemaPath, '--data', join(pagila.dir, 'data', 'pagila-data.sql'), '--nodes', '3'];
    const run = await runCli([...args, '--format', 'html'], repoRoot);
    const sim = JSON.parse((await runCli([...args, '--format', 'json'], repoRoot)).stdout);
    const file = join(out, 'simulate.html');
    writeFileSync(file, run.stdout);
    const dom = dumpDom(file);
    const workers = /<svg[^>]*class="workers"[\s\S]*?<\/svg>/.exec(dom)![0];
    const nodes: Array<{ node: string; rows: number; shards: number }> = sim.placement.nodes;
    expect(nodes).toHaveLength(3);
    expect(nodes.some((n) => n.rows > 0)).toBe(true);
    for (const n of nodes) expect(workers).toContain(`<title>${n.node}: ${n.rows} rows in ${n.shards} shards</title>`);
    const svg = svgOf(dom);
    const a = await analyzeInputs({ schema: [pagila.schemaPath], cwd: repoRoot });
    expect(count(svg, /<g class="node /g)).toBe(Object.keys(a.advice.design.tables).length);
    expect(overlaps(svg)).toEqual([]);
    expect(dom).toMatch(/<div class="bar" role="img" aria-label="routing shares">/);
  }, 120_000);

  it('gitlab: the report shows the graph, collapsed', async () => {
    const a = await analyzeInputs({ schema: [join(corpusDir(), 'gitlab', 'schema.sql')], cwd: repoRoot });
    const html = renderAnalyzeHtml(a.advice, a.catalog, []);
    const graph = buildDesignGraph(a.advice.design, a.catalog);
    expect(graph.collapsed).toBe(true);
    // a node per collapsed cluster, per table of a small one: the large tables that no group takes are distributed on keys of their own, a node each
    expect(graph.nodes.length).toBeLessThan(100);
    expect(graph.planError).toBeUndefined();
    const svg = svgOf(html);
    expect(designGraphSvg(graph)).toBe(svg);
    expect(outside(svg)).toEqual([]);
    expect(overlaps(svg)).toEqual([]);
    expect(count(svg, /<g class="node /g)).toBe(graph.nodes.length);
    expect(count(svg, /<g class="node [^"]*collapsed/g)).toBe(graph.clusters.filter((c) => c.collapsed).length);
    for (const s of FK_STATES) {
      // between groups a foreign key is kept (to a reference table) or dropped; rewritten ones are inside a group
      expect(count(svg, new RegExp(`<g class="fk fk-${s}[ "]`, 'g'))).toBe(graph.edges.filter((x) => x.state === s).length);
      expect(graph.edges.filter((x) => x.state === s).length + graph.clusters.reduce((n, c) => n + c.inside[s], 0)).toBeGreaterThan(0);
    }
    expect(svg).toContain('class="fk fk-dropped');
    const shot = shootGraph(html, 'gitlab', '1280,1200');
    // how long the browser took is a figure, not an assertion: it depends on the machine's load
    console.log(`gitlab design graph drawn in headless Chromium in ${Math.round(shot.ms)} ms`);
    expect(shot.drawn).toBeGreaterThan(20000);
  }, 180_000);
});
