/**
 * `simulate` on a design, for people: the shard map, placement per table and
 * worker, each query with its class and shard tasks (`<step> <worker>/<shard>:
 * <sql>`, as vtexplain prints them), transactions, the summary, and a
 * comparison of two designs. Pure functions of the simulation.
 */
import { displayName } from '../ingest/pg/index.js';
import type { ClusterSimulation, RoutedStatement } from '../simulate/cluster-run.js';
import { ROUTE_CLASSES } from '../simulate/cluster-run.js';
import type { TablePlacement } from '../simulate/placement.js';
import { cmp } from './model.js';
import { listSome } from './some.js';

export interface SimulationTextOptions {
  /** Shard tasks printed per query before the rest are counted (default 4; 0 = all). */
  readonly maxTasks?: number;
  /** Every table, every table's placement and every query; otherwise they are counted, with a few named. */
  readonly verbose?: boolean;
}

/** Tables named per list, tables whose placement is shown, queries shown: before the rest are counted (without --verbose). */
const NAMES = 6;
const PLACED = 10;
const QUERIES = 10;

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function renderSimulationText(sim: ClusterSimulation, options: SimulationTextOptions = {}): string {
  const maxTasks = options.maxTasks ?? 4;
  const out: string[] = [];
  out.push(`Cluster: ${sim.nodes.length} worker${sim.nodes.length === 1 ? '' : 's'} (${sim.nodes.join(', ')}), ${sim.shardCount} shards per distributed table, Citus ${sim.citus}`);
  out.push('');
  out.push('Tables');
  if (!sim.tables.length) out.push('  (no distributed or reference table in the design)');
  if (options.verbose) {
    for (const t of [...sim.tables].sort((a, b) => cmp(a.table, b.table))) {
      const how = t.kind === 'distributed' ? `distributed on ${t.column}` : t.kind;
      out.push(`  ${displayName(t.table)}: ${how}, colocation group ${t.colocationId}, ${t.shards} shard${t.shards === 1 ? '' : 's'}`);
    }
  } else out.push(...tableGroupLines(sim));
  if (sim.placement) out.push('', ...placementLines(sim, !!options.verbose));
  if (sim.queries.length) {
    const shown = options.verbose ? sim.queries : sim.queries.slice(0, QUERIES);
    out.push('', `Queries (heaviest first${shown.length < sim.queries.length ? `, ${shown.length} of ${sim.queries.length}` : ''})`);
    for (const q of shown) out.push('', ...queryLines(q, maxTasks));
    if (shown.length < sim.queries.length) out.push('', `  and ${sim.queries.length - shown.length} more queries (--verbose lists them; the summary counts them all)`);
  }
  if (sim.transactions.length) {
    out.push('', 'Transactions');
    sim.transactions.forEach((t, i) => {
      const name = t.label ?? `transaction ${i + 1}`;
      const verdict = t.singleShard ? (t.assumesOneKey ? 'one shard if its key parameters carry one value' : 'one shard') : 'crosses shards';
      out.push(`  ${name} (weight ${t.weight}, ${t.queries.length} statement${t.queries.length === 1 ? '' : 's'}${t.committed ? '' : ', rolled back'}): ${verdict}`);
      if (t.label === undefined) out.push(`    statements: ${t.queries.join(', ')}`);
      if (t.assumesOneKey && t.keyParameters.length) out.push(`    keys bound by parameters: ${t.keyParameters.join(', ')} (a value that differs, e.g. another tenant's, takes the transaction across shards)`);
      for (const c of t.crossing) out.push(`    ${c.id}: ${c.why}`);
    });
  }
  if (sim.migration) {
    const m = sim.migration;
    out.push('', 'Migration');
    if (!m.failures.length) out.push(`  ${m.steps} steps and a rollback of ${m.rollbackSteps}, every one ok on the Citus model (shardwise migrate writes them)`);
    else {
      out.push(`  ${m.failures.length} step${m.failures.length === 1 ? '' : 's'} of the migration to this design would fail on Citus ${sim.citus}:`);
      for (const f of m.failures) out.push(...f.split('\n').map((l) => `    ${l}`));
    }
  }
  out.push('', ...summaryLines(sim));
  return out.join('\n') + '\n';
}

/** The tables by colocation group: how many, on which column, a few named. */
function tableGroupLines(sim: ClusterSimulation): string[] {
  const groups = new Map<string, Array<ClusterSimulation['tables'][number]>>();
  for (const t of [...sim.tables].sort((a, b) => cmp(a.table, b.table))) {
    const key = t.kind === 'distributed' ? `colocation group ${t.colocationId}` : t.kind;
    const list = groups.get(key);
    if (list) list.push(t);
    else groups.set(key, [t]);
  }
  const out: string[] = [];
  for (const [key, list] of groups) {
    const n = `${list.length} table${list.length === 1 ? '' : 's'}`;
    const names = listSome(list.map((t) => displayName(t.table)), NAMES);
    const shards = `${list[0].shards} shard${list[0].shards === 1 ? '' : 's'} each`;
    if (list[0].kind !== 'distributed') {
      out.push(`  ${key}: ${n}, ${shards}: ${names}`);
      continue;
    }
    const byColumn = new Map<string, number>();
    for (const t of list) byColumn.set(t.column ?? '?', (byColumn.get(t.column ?? '?') ?? 0) + 1);
    const columns = [...byColumn].sort(([a, x], [b, y]) => y - x || cmp(a, b)).map(([col, k]) => (byColumn.size === 1 ? col : `${col} (${k})`));
    out.push(`  ${key}: ${n} distributed on ${listSome(columns, 4)}, ${shards}: ${names}`);
  }
  return out;
}

function placementLines(sim: ClusterSimulation, verbose: boolean): string[] {
  const p = sim.placement!;
  const out = ['Placement (rows from the data given)'];
  const sorted = [...p.tables].sort((a, b) => cmp(a.table, b.table));
  if (verbose) for (const t of sorted) out.push(...tablePlacement(t));
  else {
    // Tables that need a look (not placed, rows Citus refuses) first, then the largest; empty ones counted.
    const trouble = (t: TablePlacement) => (t.status !== 'placed' && t.status !== 'whole') || t.nullRows > 0 || t.invalidRows > 0;
    const empty = sorted.filter((t) => !t.rows && !trouble(t));
    const shown = sorted.filter((t) => t.rows > 0 || trouble(t)).sort((a, b) => Number(trouble(b)) - Number(trouble(a)) || b.rows - a.rows || cmp(a.table, b.table));
    for (const t of shown.slice(0, PLACED)) out.push(...tablePlacement(t));
    if (shown.length > PLACED) out.push(`  and ${shown.length - PLACED} more tables with rows (--verbose lists each)`);
    if (empty.length) out.push(`  ${empty.length} table${empty.length === 1 ? '' : 's'} without rows in the data given: ${listSome(empty.map((t) => displayName(t.table)), NAMES)}`);
  }
  out.push('  workers:');
  for (const n of p.nodes) out.push(`    ${n.node}: ${n.rows} rows, ${n.bytes} bytes, ${n.shards} shards`);
  out.push(`    imbalance across workers ${pct(p.nodeImbalance)}`);
  return out;
}

function tablePlacement(t: TablePlacement): string[] {
  const head = `  ${displayName(t.table)}: ${t.rows} rows`;
  if (t.status === 'whole') return [`${head}, all in its one shard${t.kind === 'reference' ? ' (a copy on every worker)' : ''}`];
  if (t.status !== 'placed') return [`${head}, not placed: ${STATUS[t.status] ?? t.status}`];
  const rows = t.shards.map((s) => s.rows);
  const max = Math.max(...rows);
  const min = Math.min(...rows);
  const largest = t.shards.find((s) => s.rows === max);
  const lines = [`${head} over ${t.shards.length} shards: min ${min}, max ${max} (${largest?.name}), imbalance ${pct(t.imbalance)}`];
  if (t.nullRows) lines.push(`    ${t.nullRows} rows have NULL in ${t.column}: Citus refuses them`);
  if (t.invalidRows) lines.push(`    ${t.invalidRows} values of ${t.column} are not valid ${t.type}`);
  const hot = t.hottest.slice(0, 3);
  if (hot.length && t.rows > 0) {
    lines.push(`    hottest ${t.column}: ${hot.map((h) => `${h.value} (${h.rows} rows, ${pct(h.share)})`).join(', ')}${t.hottestApproximate ? ' (at least)' : ''}`);
  }
  if (t.isolation && t.isolation.maxShardShareAfter < t.isolation.maxShardShareBefore) {
    const i = t.isolation;
    lines.push(`    isolating ${t.column} = ${i.value} in its own shard: largest shard ${pct(i.maxShardShareBefore)} -> ${pct(i.maxShardShareAfter)} of the rows`);
  }
  return lines;
}

const STATUS: Record<string, string> = {
  'node-dependent': 'the column is an enum, which Citus hashes by OID: placement differs per cluster',
  'unsupported-type': 'the column type has no hash function here',
  'missing-column': 'the data does not carry the distribution column',
};

function queryLines(q: RoutedStatement, maxTasks: number): string[] {
  const head = `  ${q.id}${q.label ? ` [${q.label}]` : ''}  weight ${q.weight}  ${q.class}${q.shards > 1 ? ` (${q.shards} shards)` : ''}`;
  const lines = [head, `    ${oneLine(q.sql)}`, `    why: ${q.reason}`];
  if (q.unsure?.length) lines.push(`    not understood: ${q.unsure.join('; ')} (the class is a guess)`);
  if (q.error) {
    lines.push(`    ERROR:  ${q.error.message}`);
    if (q.error.detail) lines.push(`    DETAIL:  ${q.error.detail}`);
    if (q.error.hint) lines.push(`    HINT:  ${q.error.hint}`);
  }
  const shown = maxTasks > 0 ? q.tasks.slice(0, maxTasks) : q.tasks;
  for (const t of shown) lines.push(`    ${t.step} ${t.node}/${t.shard}: ${t.sql}`);
  if (shown.length < q.tasks.length) lines.push(`    ... ${q.tasks.length - shown.length} more tasks (${q.tasks.length} in all; --tasks 0 lists them)`);
  if (q.pin && q.pin.index === undefined && q.pin.by) lines.push(`    the shard is chosen at run time by the value of ${q.pin.by}`);
  return lines;
}

function summaryLines(sim: ClusterSimulation): string[] {
  const s = sim.summary;
  const out = ['Summary'];
  if (s.queries) {
    out.push(`  ${s.queries} quer${s.queries === 1 ? 'y' : 'ies'}, total weight ${s.totalWeight}`);
    for (const c of ROUTE_CLASSES) if (s.shares[c] > 0) out.push(`  ${c.padEnd(12)} ${pct(s.shares[c]).padStart(6)} of the weighted workload`);
    out.push(`  single-shard ${pct(s.singleShardShare)} of the weighted workload`);
    if (s.repartitionJoins) out.push(`  ${s.repartitionJoins} quer${s.repartitionJoins === 1 ? 'y needs' : 'ies need'} a repartition join`);
  } else out.push('  no workload given (--workload): routing not simulated');
  if (s.transactionSingleShardShare !== undefined) out.push(`  transactions on one shard: ${pct(s.transactionSingleShardShare)} of the weighted mix (${s.transactions} transaction${s.transactions === 1 ? '' : 's'})`);
  if (s.nodeImbalance !== undefined) out.push(`  imbalance: largest table ${pct(s.maxTableImbalance ?? 0)}, workers ${pct(s.nodeImbalance)}`);
  return out;
}

export interface DesignComparison {
  readonly metric: string;
  readonly a: number | undefined;
  readonly b: number | undefined;
  /** b - a */
  readonly delta: number | undefined;
  /** Whether a higher value is better. */
  readonly higherIsBetter: boolean;
}

/** The figures two designs differ in, A against B. */
export function compareSimulations(a: ClusterSimulation, b: ClusterSimulation): DesignComparison[] {
  const rows: Array<[string, (s: ClusterSimulation) => number | undefined, boolean]> = [
    ['single-shard share', (s) => s.summary.singleShardShare, true],
    ['transactions on one shard', (s) => s.summary.transactionSingleShardShare, true],
    ['multi-shard share', (s) => s.summary.shares['multi-shard'], false],
    ['repartition joins', (s) => s.summary.repartitionJoins, false],
    ['recursive share', (s) => s.summary.shares.recursive, false],
    ['coordinator share', (s) => s.summary.shares.coordinator, false],
    ['error share', (s) => s.summary.shares.error, false],
    ['largest table imbalance', (s) => s.summary.maxTableImbalance, false],
    ['worker imbalance', (s) => s.summary.nodeImbalance, false],
  ];
  return rows.map(([metric, f, higherIsBetter]) => {
    const x = f(a);
    const y = f(b);
    return { metric, a: x, b: y, delta: x !== undefined && y !== undefined ? Math.round((y - x) * 10000) / 10000 : undefined, higherIsBetter };
  });
}

export function renderComparisonText(rows: readonly DesignComparison[], nameA: string, nameB: string, a: ClusterSimulation, b: ClusterSimulation): string {
  const fmt = (m: string, v: number | undefined) => (v === undefined ? '-' : m === 'repartition joins' ? String(v) : pct(v));
  const out = [`Comparing ${nameA} (A) with ${nameB} (B)`, ''];
  const w = Math.max(...rows.map((r) => r.metric.length));
  out.push(`  ${'metric'.padEnd(w)}  ${'A'.padStart(7)}  ${'B'.padStart(7)}  change`);
  for (const r of rows) {
    if (r.a === undefined && r.b === undefined) continue;
    let change = '-';
    if (r.delta !== undefined) {
      const better = r.delta === 0 ? 'same' : (r.delta > 0) === r.higherIsBetter ? 'B better' : 'A better';
      const d = r.metric === 'repartition joins' ? `${r.delta > 0 ? '+' : ''}${r.delta}` : `${r.delta > 0 ? '+' : ''}${(r.delta * 100).toFixed(1)} pts`;
      change = r.delta === 0 ? 'same' : `${d} (${better})`;
    }
    out.push(`  ${r.metric.padEnd(w)}  ${fmt(r.metric, r.a).padStart(7)}  ${fmt(r.metric, r.b).padStart(7)}  ${change}`);
  }
  const diffs = a.queries
    .map((q) => ({ q, other: b.queries.find((x) => x.id === q.id) }))
    .filter(({ q, other }) => other && other.class !== q.class);
  if (diffs.length) {
    out.push('', 'Queries that route differently');
    for (const { q, other } of diffs) out.push(`  ${q.id}${q.label ? ` [${q.label}]` : ''} (weight ${q.weight}): ${q.class} -> ${other!.class}`, `    ${oneLine(q.sql)}`);
  }
  return out.join('\n') + '\n';
}

function oneLine(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  return s.length > 200 ? `${s.slice(0, 199)}…` : s;
}
