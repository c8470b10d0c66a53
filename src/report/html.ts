/**
 * The HTML report: one self-contained page (inline CSS, inline SVG, no
 * script, no external asset), a pure function of its inputs. Three views:
 * analyze (the design, a diagram of colocation groups and reference tables,
 * candidates with scores and reasons, findings), simulate (rows per shard
 * per table, routing per query class) and lint (findings per file).
 * Deterministic: no timestamps, sorted input.
 */
import type { Advice, TableAdvice } from '../advisor/index.js';
import type { Catalog } from '../catalog/model.js';
import type { Design } from '../design/model.js';
import { displayName } from '../ingest/pg/names.js';
import { compareFindings, type Finding } from '../rules/finding.js';
import type { RouteClass } from '../simulate/routing/classify.js';
import type { NodeLoad, TablePlacement } from '../simulate/placement.js';
import { findingUrl, plural, type Report } from './model.js';
import { ruleDocUrl } from '../project.js';
import { buildDesignGraph, DEFAULT_LIMITS, FK_STATES } from './design-graph.js';
import { BACKFILL_COLOR, designGraphSvg, EDGE_STYLE } from './design-graph-svg.js';
import { escapeXml } from './xml.js';

export { escapeXml as escapeHtml } from './xml.js';
const e = escapeXml;

const CSS = `
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#0f3d5c;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:20px}
header p{margin:4px 0 0;opacity:.85}
main{padding:20px 28px;max-width:1240px}
section.table-advice,#design{content-visibility:auto;contain-intrinsic-size:auto 400px}
section{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px 20px;margin:0 0 18px}
h2{font-size:16px;margin:0 0 12px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #eaeef2;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa;font-weight:600}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:1px 4px;border-radius:4px}
.kind{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600}
.k-distributed{background:#dbeafe;color:#1e40af}.k-reference{background:#dcfce7;color:#166534}
.k-local{background:#f3f4f6;color:#374151}.k-single-shard{background:#fef3c7;color:#92400e}
.sev{font-weight:700;text-transform:uppercase;font-size:11px}
.sev-error{color:#b91c1c}.sev-warning{color:#b45309}.sev-info{color:#1d4ed8}
.muted{color:#57606a}.num{text-align:right;font-variant-numeric:tabular-nums}
ul.reasons{margin:0;padding-left:18px}
.bar{display:flex;height:14px;border-radius:3px;overflow:hidden;background:#eaeef2;min-width:200px}
.bar span{display:block;height:100%}
.summary{display:flex;gap:14px;flex-wrap:wrap}
.stat{border:1px solid #d0d7de;border-radius:6px;padding:8px 14px;background:#fff}
.stat b{display:block;font-size:20px}
.legend{display:flex;gap:18px;flex-wrap:wrap;font-size:12px;margin:0 0 8px}.legend span{display:inline-flex;align-items:center;gap:6px}
.graph-wrap{overflow:auto;max-height:1000px;border:1px solid #eaeef2;border-radius:6px}
.graph-wrap svg{display:block;max-width:100%;height:auto}
`;

function page(title: string, subtitle: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${e(title)}</h1><p>${e(subtitle)}</p></header>
<main>
${body}
</main>
</body>
</html>
`;
}

function kindBadge(kind: string): string {
  return `<span class="kind k-${e(kind)}">${e(kind)}</span>`;
}

const sortKeys = (o: object) => Object.keys(o).sort();

// ---------------------------------------------------------------- findings

function findingsSection(findings: readonly Finding[], urlOf: (f: Finding) => string): string {
  const sorted = [...findings].sort(compareFindings);
  if (!sorted.length) return `<section id="findings"><h2>Findings</h2><p class="muted">No findings.</p></section>`;
  const rows = sorted
    .map(
      (f) => `<tr><td><code>${e(f.location.file)}:${f.location.line}:${f.location.column}</code></td>` +
        `<td><span class="sev sev-${f.severity}">${f.severity}</span></td>` +
        `<td><a href="${e(urlOf(f))}">${e(f.ruleId)}</a></td>` +
        `<td>${e(f.message)}${f.fix?.sql ? `<br><code>${e(f.fix.sql)}</code>` : ''}</td></tr>`,
    )
    .join('\n');
  return `<section id="findings"><h2>Findings (${sorted.length})</h2>
<table class="findings"><thead><tr><th>Where</th><th>Severity</th><th>Rule</th><th>Message</th></tr></thead>
<tbody>
${rows}
</tbody></table></section>`;
}

/** The lint (or any findings) report as one HTML page. */
export function renderLintHtml(report: Report): string {
  const s = report.summary;
  const stats = `<section><h2>Summary</h2><div class="summary">
<div class="stat"><b>${s.files}</b>files checked</div>
<div class="stat"><b class="sev-error">${s.error}</b>errors</div>
<div class="stat"><b class="sev-warning">${s.warning}</b>warnings</div>
<div class="stat"><b class="sev-info">${s.info}</b>info</div></div></section>`;
  const files = `<section id="files"><h2>Files</h2><table class="files"><thead><tr><th>File</th><th class="num">Findings</th></tr></thead><tbody>
${report.files.map((f) => `<tr><td><code>${e(f.file)}</code></td><td class="num">${f.findings.length}</td></tr>`).join('\n')}
</tbody></table></section>`;
  return page('shardwise lint', `${plural(s.findings, 'finding')} in ${plural(s.filesWithFindings, 'file')} of ${s.files}`, [stats, findingsSection(report.findings, (f) => findingUrl(report, f)), files].join('\n'));
}

// ---------------------------------------------------------------- analyze

/** The design as a laid-out graph, with its legend and, for a big schema, what was collapsed. */
export function designGraphSection(design: Design, catalog: Catalog): string {
  const graph = buildDesignGraph(design, catalog);
  const swatch = (stroke: string, dash: string, width = 2) => `<svg width="34" height="10" aria-hidden="true"><line x1="1" y1="5" x2="33" y2="5" stroke="${stroke}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ''}/></svg>`;
  const legend = [
    ...FK_STATES.map((s) => `<span class="fk-${s}">${swatch(EDGE_STYLE[s].stroke, EDGE_STYLE[s].dash)} foreign key ${e(EDGE_STYLE[s].label)}</span>`),
    `<span class="backfill">${swatch(BACKFILL_COLOR, '', 7)} backfill path (the key is filled along it)</span>`,
  ].join('');
  const counts = FK_STATES.map((s) => {
    const n = graph.edges.filter((x) => x.state === s).reduce((k, x) => k + x.count, 0) + graph.clusters.reduce((k, c) => k + c.inside[s], 0);
    return `${n} ${s}`;
  }).join(', ');
  const note = graph.collapsed
    ? `<p class="muted">${graph.tables} tables: clusters of more than ${DEFAULT_LIMITS.collapseOver} tables are drawn as one node counting their tables and the foreign keys inside; arrows between them merge foreign keys (the number on an arrow). The table below lists every table.</p>`
    : '';
  const failed = graph.planError ? `<p class="muted">The migration plan could not be made (${e(graph.planError)}): foreign keys are drawn as they are.</p>` : '';
  return `<section id="graph"><h2>Design graph</h2>
<p class="legend">${legend}</p>
<p class="muted">Foreign keys: ${counts}.</p>${note}${failed}
<div class="graph-wrap">${designGraphSvg(graph)}</div></section>`;
}

function designTable(advice: Advice): string {
  const rows = sortKeys(advice.design.tables)
    .map((k) => {
      const d = advice.design.tables[k];
      return `<tr><td><code>${e(displayName(k))}</code></td><td>${kindBadge(d.kind)}</td><td>${d.column ? `<code>${e(d.column)}</code>` : ''}</td><td>${d.colocateWith ? e(displayName(d.colocateWith)) : ''}</td></tr>`;
    })
    .join('\n');
  return `<table class="design"><thead><tr><th>Table</th><th>Kind</th><th>Column</th><th>Colocated with</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}

function candidatesTable(t: TableAdvice): string {
  const rows = t.candidates
    .slice(0, 5)
    .map(
      (c) => `<tr><td><code>${e(c.column)}</code></td><td>${e(c.type)}</td><td class="num">${c.score.toFixed(2)}</td>` +
        `<td class="num">${(c.parts.join * 100).toFixed(0)}%</td><td class="num">${(c.parts.filter * 100).toFixed(0)}%</td>` +
        `<td class="num">${c.parts.foreignKeys}</td><td class="num">${c.parts.cardinality.toFixed(2)}</td><td>${e(c.excluded ?? c.typeNote ?? '')}</td></tr>`,
    )
    .join('\n');
  return rows
    ? `<table class="candidates"><thead><tr><th>Candidate</th><th>Type</th><th class="num">Score</th><th class="num">Joins</th><th class="num">Filters</th><th class="num">FKs</th><th class="num">Cardinality</th><th>Note</th></tr></thead><tbody>
${rows}
</tbody></table>`
    : '<p class="muted">No candidate column.</p>';
}

/** `analyze` as one HTML page: design, diagram, candidates with reasons, routing, findings. */
export function renderAnalyzeHtml(advice: Advice, catalog: Catalog, findings: readonly Finding[]): string {
  const tables = sortKeys(advice.tables).map((k) => advice.tables[k]);
  const perTable = tables
    .map(
      (t) => `<section class="table-advice" id="t-${e(t.table)}"><h2><code>${e(displayName(t.table))}</code> ${kindBadge(t.kind)}${t.column ? ` on <code>${e(t.column)}</code>` : ''}${t.rows !== undefined ? ` <span class="muted">${t.rows} rows${t.rowsEstimated ? ' (estimated)' : ''}</span>` : ''}</h2>
<ul class="reasons">${[...t.reasons, ...(t.rowsReason ? [`size inferred from the schema: ${t.rowsReason}`] : [])].map((r) => `<li>${e(r)}</li>`).join('')}</ul>
${candidatesTable(t)}</section>`,
    )
    .join('\n');
  const body = [
    designGraphSection(advice.design, catalog),
    `<section id="design"><h2>Design — Citus ${e(advice.design.citus)}, ${advice.design.shardCount} shards</h2>
${designTable(advice)}</section>`,
    routingSection(advice.summary.shares, advice.summary.routing.map((r) => ({ id: r.id, sql: r.sql, weight: r.weight, class: r.class, reason: r.reason }))),
    perTable,
    findingsSection(findings, (f) => f.url ?? ruleDocUrl(f.ruleId)),
  ].join('\n');
  const nTables = Object.keys(catalog.tables).length;
  return page('shardwise analyze', `${plural(nTables, 'table')} · ${plural(advice.groups.length, 'colocation group')} · ${plural(findings.length, 'finding')}`, body);
}

// ---------------------------------------------------------------- simulate

const CLASS_COLORS: Record<RouteClass, string> = {
  router: '#16a34a',
  'multi-shard': '#2563eb',
  repartition: '#9333ea',
  recursive: '#d97706',
  coordinator: '#6b7280',
  error: '#dc2626',
};
const CLASSES: readonly RouteClass[] = ['router', 'multi-shard', 'repartition', 'recursive', 'coordinator', 'error'];

export interface RoutedQuery {
  readonly id: string;
  readonly sql: string;
  readonly weight: number;
  readonly class: RouteClass;
  readonly reason: string;
}

function routingSection(shares: Readonly<Record<RouteClass, number>>, queries: readonly RoutedQuery[]): string {
  const bar = CLASSES.filter((c) => (shares[c] ?? 0) > 0)
    .map((c) => `<span title="${c} ${(shares[c] * 100).toFixed(1)}%" style="width:${(shares[c] * 100).toFixed(2)}%;background:${CLASS_COLORS[c]}"></span>`)
    .join('');
  const classRows = CLASSES.map((c) => {
    const qs = queries.filter((q) => q.class === c);
    return `<tr><td><span class="kind" style="background:${CLASS_COLORS[c]};color:#fff">${c}</span></td><td class="num">${qs.length}</td><td class="num">${((shares[c] ?? 0) * 100).toFixed(1)}%</td></tr>`;
  }).join('\n');
  const queryRows = [...queries]
    .sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : 1))
    .slice(0, 50)
    .map((q) => `<tr><td><code>${e(q.sql.length > 140 ? q.sql.slice(0, 140) + '…' : q.sql)}</code></td><td class="num">${q.weight}</td><td>${q.class}</td><td>${e(q.reason)}</td></tr>`)
    .join('\n');
  return `<section id="routing"><h2>Query routing</h2>
<div class="bar" role="img" aria-label="routing shares">${bar}</div>
<table class="routing"><thead><tr><th>Class</th><th class="num">Queries</th><th class="num">Share of workload</th></tr></thead><tbody>
${classRows}
</tbody></table>
${queries.length ? `<table class="queries"><thead><tr><th>Query</th><th class="num">Weight</th><th>Class</th><th>Why</th></tr></thead><tbody>
${queryRows}
</tbody></table>` : '<p class="muted">No workload given.</p>'}</section>`;
}

/** Rows per shard of one table as an inline SVG bar chart. */
export function placementBars(p: TablePlacement): string {
  const width = 560;
  const height = 70;
  const n = p.shards.length || 1;
  const max = Math.max(1, ...p.shards.map((s) => s.rows));
  const w = width / n;
  const bars = p.shards
    .map((s, i) => {
      const h = Math.round((s.rows / max) * (height - 10));
      return `<rect x="${(i * w).toFixed(2)}" y="${height - h}" width="${Math.max(1, w - 1).toFixed(2)}" height="${h}" fill="#3b82f6"><title>shard ${i}: ${s.rows} rows</title></rect>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" class="placement" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="${width}" height="${height}" fill="#f6f8fa"/>${bars}</svg>`;
}

/** Rows per worker as an inline SVG bar chart, one bar per worker, in topology order. */
export function workerBars(nodes: readonly NodeLoad[]): string {
  const barH = 22;
  const labelW = 150;
  const width = 760;
  const height = nodes.length * (barH + 6) + 6;
  const max = Math.max(1, ...nodes.map((n) => n.rows));
  const bars = nodes
    .map((n, i) => {
      const y = 6 + i * (barH + 6);
      const w = Math.round((n.rows / max) * (width - labelW - 120));
      return `<g class="worker"><title>${e(n.node)}: ${n.rows} rows in ${n.shards} shards</title><text x="0" y="${y + 15}" font-size="12" fill="#111827">${e(n.node)}</text>` +
        `<rect x="${labelW}" y="${y}" width="${Math.max(1, w)}" height="${barH}" rx="3" fill="#3b82f6"/>` +
        `<text x="${labelW + w + 6}" y="${y + 15}" font-size="12" fill="#4b5563">${n.rows} rows · ${n.shards} shards</text></g>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" class="workers" role="img" aria-label="rows per worker" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui,sans-serif">${bars}</svg>`;
}

export interface SimulateHtmlInput {
  readonly placements: readonly TablePlacement[];
  /** Rows per worker (reference tables count on every worker); drawn when some worker holds rows. */
  readonly nodes?: readonly NodeLoad[];
  /** The design simulated and its schema: drawn as the design graph. */
  readonly design?: Design;
  readonly catalog?: Catalog;
  readonly shares: Readonly<Record<RouteClass, number>>;
  readonly queries: readonly RoutedQuery[];
  readonly findings?: readonly Finding[];
}

/** `simulate` as one HTML page: rows per shard per table, routing per query class. */
export function renderSimulateHtml(input: SimulateHtmlInput): string {
  const rows = [...input.placements]
    .sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0))
    .map(
      (p) => `<tr><td><code>${e(displayName(p.table))}</code></td><td>${kindBadge(p.kind)}</td><td class="num">${p.rows}</td><td class="num">${p.shards.length}</td><td class="num">${(p.imbalance * 100).toFixed(1)}%</td><td>${placementBars(p)}</td></tr>`,
    )
    .join('\n');
  const nodes = input.nodes ?? [];
  const workers = nodes.some((n) => n.rows > 0) ? `<section id="workers"><h2>Rows per worker</h2>${workerBars(nodes)}</section>` : '';
  const body = [
    input.design && input.catalog ? designGraphSection(input.design, input.catalog) : '',
    workers,
    `<section id="placement"><h2>Placement</h2><table class="placement"><thead><tr><th>Table</th><th>Kind</th><th class="num">Rows</th><th class="num">Shards</th><th class="num">Imbalance</th><th>Rows per shard</th></tr></thead><tbody>
${rows}
</tbody></table></section>`,
    routingSection(input.shares, input.queries),
    findingsSection(input.findings ?? [], (f) => f.url ?? ruleDocUrl(f.ruleId)),
  ].join('\n');
  return page('shardwise simulate', `${plural(input.placements.length, 'table')} · ${input.queries.length} ${input.queries.length === 1 ? 'query' : 'queries'}`, body);
}
