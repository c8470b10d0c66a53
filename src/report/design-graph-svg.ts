/**
 * The design graph laid out with dagre (a layered layout, computed when the
 * report is written) and drawn as one static inline SVG: clusters as boxes,
 * tables (or collapsed clusters) as nodes, foreign keys as arrows styled by
 * their fate, backfill hops underlaid. dagre rather than elkjs: pure,
 * synchronous JavaScript (the reporters are synchronous functions), MIT, and
 * on the collapsed graph of a schema of 1,400 tables it takes milliseconds;
 * neither lays out every table of such a schema readably (tens of seconds,
 * a picture tens of thousands of pixels high), hence the collapsing.
 */
import dagre, { type EdgeLabel, type GraphLabel, type NodeLabel, type Point } from '@dagrejs/dagre';
import type { DesignGraph, FkState, GraphCluster, GraphNode } from './design-graph.js';
import { cmp } from './model.js';
import { escapeXml } from './xml.js';

const e = escapeXml;
const CHAR = 7;
const ROW = 24;

const CLUSTER_STYLE: Record<GraphCluster['kind'], { fill: string; stroke: string }> = {
  group: { fill: '#eff6ff', stroke: '#3b82f6' },
  distributed: { fill: '#eef2ff', stroke: '#6366f1' },
  'single-shard': { fill: '#fffbeb', stroke: '#d97706' },
  reference: { fill: '#f0fdf4', stroke: '#16a34a' },
  local: { fill: '#f9fafb', stroke: '#6b7280' },
};

export const EDGE_STYLE: Record<FkState, { stroke: string; dash: string; label: string }> = {
  kept: { stroke: '#475569', dash: '', label: 'kept as it is' },
  rewritten: { stroke: '#d97706', dash: '6 3', label: 'rewritten (comes back in another form)' },
  dropped: { stroke: '#dc2626', dash: '2 3', label: 'dropped for good (Citus cannot enforce it)' },
};
export const BACKFILL_COLOR = '#a855f7';

const r1 = (n: number) => Math.round(n * 10) / 10;

function nodeLines(n: GraphNode, c: GraphCluster): string[] {
  if (n.table) return [n.label];
  const inside = c.inside.kept + c.inside.rewritten + c.inside.dropped;
  return [n.label, `${n.tables} tables · ${inside} FKs inside`, `${c.inside.rewritten} rewritten · ${c.inside.dropped} dropped`];
}

interface Placed {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

type Layout = InstanceType<typeof dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>>;

function newGraph(label: GraphLabel): Layout {
  const g = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: true });
  g.setGraph(label);
  g.setDefaultEdgeLabel(() => ({}));
  return g;
}

const HEADER = 24;
const center = (b: Placed): Point => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });

/** Where the segment from the centre of `b` towards `p` leaves the box. */
function border(b: Placed, p: Point): Point {
  const c = center(b);
  const dx = p.x - c.x;
  const dy = p.y - c.y;
  if (!dx && !dy) return c;
  const sx = dx ? b.width / 2 / Math.abs(dx) : Infinity;
  const sy = dy ? b.height / 2 / Math.abs(dy) : Infinity;
  const k = Math.min(sx, sy);
  return { x: c.x + dx * k, y: c.y + dy * k };
}

/**
 * The graph as an SVG string. Two levels, so that clusters never overlap:
 * each cluster's tables are laid out on their own (with the foreign keys
 * inside it), then the clusters, as boxes of that size, with the foreign
 * keys between them merged; an edge between clusters follows the route
 * found for its two clusters. Deterministic: dagre has no randomness and
 * the input is sorted.
 */
export function designGraphSvg(graph: DesignGraph): string {
  const clusterById = new Map(graph.clusters.map((c) => [c.id, c]));
  const nodeById = new Map(graph.nodes.map((n) => [n.id, n]));
  const size = (n: GraphNode) => {
    const lines = nodeLines(n, clusterById.get(n.cluster)!);
    return { width: Math.max(...lines.map((l) => l.length)) * CHAR + 20, height: n.table ? 22 : lines.length * 16 + 12 };
  };
  // level 1: inside each expanded cluster
  const inner = new Map<string, Layout>();
  /** Tables with no foreign key inside their cluster: their box relative to the cluster's content. */
  const grid = new Map<string, Placed>();
  const top = newGraph({ rankdir: 'TB', nodesep: 24, ranksep: 70, edgesep: 10, marginx: 12, marginy: 12 });
  for (const c of graph.clusters) {
    if (c.collapsed) {
      top.setNode(c.id, size(nodeById.get(`c:${c.id}`)!));
      continue;
    }
    // tables linked inside the cluster are laid out by dagre; the others are packed in a grid below them
    const g = newGraph({ rankdir: 'LR', nodesep: 8, ranksep: 40, edgesep: 6, marginx: 10, marginy: 8 });
    const linked = new Set<string>();
    graph.edges.forEach((ed, i) => {
      if (nodeById.get(ed.from)!.cluster !== c.id || nodeById.get(ed.to)!.cluster !== c.id) return;
      for (const id of [ed.from, ed.to]) if (!linked.has(id)) linked.add(id) && g.setNode(id, size(nodeById.get(id)!));
      g.setEdge(ed.from, ed.to, { weight: ed.count }, `e${i}`);
    });
    dagre.layout(g);
    inner.set(c.id, g);
    const gl = g.graph();
    const graphW = linked.size ? (gl.width ?? 0) : 0;
    const graphH = linked.size ? (gl.height ?? 0) : 0;
    const rest = graph.nodes.filter((n) => n.cluster === c.id && !linked.has(n.id));
    const cell = Math.max(0, ...rest.map((n) => size(n).width)) + 8;
    const titleWidth = (c.title.length + c.subtitle.length + 8) * 6.5 + 20;
    const cols = Math.max(1, Math.min(rest.length, Math.floor((Math.max(graphW, titleWidth, 720) - 20) / Math.max(cell, 1))));
    rest.forEach((n, i) => {
      const sz = size(n);
      grid.set(n.id, { x: 10 + (i % cols) * cell, y: graphH + (graphH ? 0 : 8) + Math.floor(i / cols) * 28, width: sz.width, height: sz.height });
    });
    const gridW = rest.length ? 20 + cols * cell : 0;
    const gridH = rest.length ? Math.ceil(rest.length / cols) * 28 + (graphH ? 4 : 12) : 0;
    top.setNode(c.id, { width: Math.max(graphW, gridW, titleWidth), height: graphH + gridH + HEADER });
  }
  // level 2: the clusters
  const between = new Map<string, number>();
  for (const ed of graph.edges) {
    const a = nodeById.get(ed.from)!.cluster;
    const b = nodeById.get(ed.to)!.cluster;
    if (a !== b) between.set(`${a}\u0000${b}`, (between.get(`${a}\u0000${b}`) ?? 0) + ed.count);
  }
  for (const [k, n] of [...between].sort((x, y) => cmp(x[0], y[0]))) {
    const [a, b] = k.split('\u0000');
    top.setEdge(a, b, { weight: n }, k);
  }
  dagre.layout(top);

  const clusterBox = (id: string): Placed => {
    const p = top.node(id);
    return { x: (p.x ?? 0) - p.width / 2, y: (p.y ?? 0) - p.height / 2, width: p.width, height: p.height };
  };
  const boxOf = new Map<string, Placed>();
  for (const c of graph.clusters) {
    const cb = clusterBox(c.id);
    if (c.collapsed) {
      boxOf.set(`c:${c.id}`, cb);
      continue;
    }
    const g = inner.get(c.id)!;
    for (const n of graph.nodes) {
      if (n.cluster !== c.id) continue;
      const packed = grid.get(n.id);
      if (packed) {
        boxOf.set(n.id, { ...packed, x: cb.x + packed.x, y: cb.y + HEADER + packed.y });
        continue;
      }
      const p = g.node(n.id);
      boxOf.set(n.id, { x: cb.x + (p.x ?? 0) - p.width / 2, y: cb.y + HEADER + (p.y ?? 0) - p.height / 2, width: p.width, height: p.height });
    }
  }

  const parts: string[] = [];
  // dagre can route an edge outside the box it reports: the picture spans whatever is drawn
  const span = { x0: 0, y0: 0, x1: 0, y1: 0 };
  const reach = (x: number, y: number) => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return; // an empty graph has no extent
    span.x0 = Math.min(span.x0, x);
    span.y0 = Math.min(span.y0, y);
    span.x1 = Math.max(span.x1, x);
    span.y1 = Math.max(span.y1, y);
  };
  for (const c of graph.clusters) {
    if (c.collapsed) continue;
    const b = clusterBox(c.id);
    const s = CLUSTER_STYLE[c.kind];
    parts.push(
      `<g class="cluster cluster-${c.kind}" data-cluster="${e(c.id)}" data-tables="${c.tables.length}"><rect x="${r1(b.x)}" y="${r1(b.y)}" width="${r1(b.width)}" height="${r1(b.height)}" rx="8" fill="${s.fill}" stroke="${s.stroke}" stroke-width="1.5"/>` +
        `<text x="${r1(b.x + 8)}" y="${r1(b.y + 16)}" font-size="12" font-weight="600" fill="#111827">${e(c.title)} <tspan font-weight="400" fill="#4b5563">${e(c.subtitle)} · ${c.tables.length}</tspan></text></g>`,
    );
  }
  graph.edges.forEach((ed, i) => {
    const from = nodeById.get(ed.from)!;
    const to = nodeById.get(ed.to)!;
    let pts: Point[];
    if (from.cluster === to.cluster) {
      const cb = clusterBox(from.cluster);
      pts = (inner.get(from.cluster)?.edge({ v: ed.from, w: ed.to, name: `e${i}` })?.points ?? []).map((p: Point) => ({ x: cb.x + p.x, y: cb.y + HEADER + p.y }));
    } else {
      const route = top.edge({ v: from.cluster, w: to.cluster, name: `${from.cluster}\u0000${to.cluster}` })?.points ?? [];
      const mid = route.slice(1, -1);
      const a = boxOf.get(ed.from)!;
      const b = boxOf.get(ed.to)!;
      pts = [border(a, mid[0] ?? center(b)), ...mid, border(b, mid[mid.length - 1] ?? center(a))];
    }
    if (pts.length < 2) return;
    for (const p of pts) reach(p.x, p.y);
    const d = `M${pts.map((p) => `${r1(p.x)},${r1(p.y)}`).join('L')}`;
    const st = EDGE_STYLE[ed.state];
    const w = r1(1.2 + Math.min(4, Math.log2(ed.count)));
    const title = `<title>${ed.count} foreign key${ed.count === 1 ? '' : 's'} ${ed.state}${ed.backfill ? ', on a backfill path' : ''}</title>`;
    parts.push(
      `<g class="fk fk-${ed.state}${ed.backfill ? ' backfill' : ''}" data-from="${e(ed.from)}" data-to="${e(ed.to)}" data-count="${ed.count}">${title}` +
        (ed.backfill ? `<path d="${d}" fill="none" stroke="${BACKFILL_COLOR}" stroke-opacity="0.45" stroke-width="${r1(w + 5)}"/>` : '') +
        `<path d="${d}" fill="none" stroke="${st.stroke}" stroke-width="${w}"${st.dash ? ` stroke-dasharray="${st.dash}"` : ''} marker-end="url(#arrow-${ed.state})"/>` +
        (ed.count > 1 ? `<text x="${r1(pts[Math.floor(pts.length / 2)].x)}" y="${r1(pts[Math.floor(pts.length / 2)].y - 3)}" font-size="10" text-anchor="middle" fill="${st.stroke}">${ed.count}</text>` : '') +
        `</g>`,
    );
  });
  for (const n of graph.nodes) {
    const b = boxOf.get(n.id)!;
    const c = clusterById.get(n.cluster)!;
    const s = CLUSTER_STYLE[c.kind];
    const lines = nodeLines(n, c);
    const attrs = n.table ? `data-table="${e(n.table)}"` : `data-cluster="${e(c.id)}" data-tables="${n.tables}"`;
    parts.push(
      `<g class="node n-${n.kind}${n.table ? '' : ' collapsed'}${n.backfilled ? ' backfilled' : ''}" ${attrs}><title>${e(n.table ? `${n.label} (${n.kind}${n.backfilled ? ', key backfilled' : ''})` : `${c.title}: ${n.tables} tables`)}</title>` +
        `<rect x="${r1(b.x)}" y="${r1(b.y)}" width="${r1(b.width)}" height="${r1(b.height)}" rx="${n.table ? 4 : 8}" fill="#fff" stroke="${n.backfilled ? BACKFILL_COLOR : s.stroke}" stroke-width="${n.table ? 1 : 2}"/>` +
        lines.map((l, j) => `<text x="${r1(b.x + 10)}" y="${r1(b.y + 15 + j * 16)}" font-size="${j ? 11 : 12}"${j ? ' fill="#4b5563"' : ' fill="#111827"'}${!n.table && !j ? ' font-weight="600"' : ''}>${e(l)}</text>`).join('') +
        `</g>`,
    );
  }
  const gl = top.graph();
  const glw = Number.isFinite(gl.width) ? (gl.width ?? 0) : 0;
  const glh = Number.isFinite(gl.height) ? (gl.height ?? 0) : 0;
  reach(glw, glh);
  const margin = 12;
  const dx = span.x0 < 0 ? margin - span.x0 : 0;
  const dy = span.y0 < 0 ? margin - span.y0 : 0;
  const width = Math.ceil(Math.max(span.x1 + dx + (span.x1 > glw ? margin : 0), 200));
  const height = Math.ceil(Math.max(span.y1 + dy + (span.y1 > glh ? margin : 0), ROW * 2));
  const drawn = dx || dy ? `<g transform="translate(${r1(dx)},${r1(dy)})">${parts.join('')}</g>` : parts.join('');
  const markers = (Object.keys(EDGE_STYLE) as FkState[])
    .map((s) => `<marker id="arrow-${s}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="${EDGE_STYLE[s].stroke}"/></marker>`)
    .join('');
  const empty = graph.nodes.length ? '' : `<text x="20" y="30" font-size="13" fill="#6b7280">The design has no table.</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="design-graph" role="img" aria-label="the design as a graph: colocation groups, reference and local tables, foreign keys" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui,sans-serif"><defs>${markers}</defs><rect class="bg" width="${width}" height="${height}" fill="#fff"/>${drawn}${empty}</svg>`;
}
