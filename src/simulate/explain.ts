/**
 * Citus's EXPLAIN output read as shardwise's routing classes, so that a
 * prediction can be held against what a real cluster plans. Pure: the lines
 * of `EXPLAIN (COSTS OFF)` in, a class and its figures out. The mapping is
 * written down in docs/verify.md:
 *
 * - no `Custom Scan (Citus ...)` node: plain PostgreSQL on the coordinator -> coordinator;
 * - `Custom Scan (Citus INSERT ... SELECT)` / `(Citus MERGE INTO ...)` with
 *   method `pull to coordinator` -> coordinator, method `repartition` -> repartition;
 * - a `MapMergeJob` under the main Citus scan -> repartition;
 * - a `Distributed Subplan` anywhere -> recursive;
 * - otherwise the main scan's `Task Count`: 0 or 1 -> router, more -> multi-shard.
 */
import type { CitusError, RouteClass } from './routing/classify.js';

export interface ExplainRouting {
  readonly class: RouteClass;
  /** `Task Count` of the main Citus scan (for INSERT ... SELECT and MERGE, of the scan that reads the source); 0 without one. */
  readonly tasks: number;
  /** `Distributed Subplan` nodes anywhere in the plan (intermediate results). */
  readonly subplans: number;
  /** Repartition jobs: their `Map Task Count` and `Merge Task Count`, each summed over the jobs. */
  readonly mapTasks?: number;
  readonly mergeTasks?: number;
  /** INSERT ... SELECT or MERGE that Citus does not push down: `repartition` or `pull to coordinator`. */
  readonly method?: string;
  /** The main Citus scan, e.g. `Citus Adaptive`; absent for a plain PostgreSQL plan. */
  readonly scan?: string;
  /** `host:port` of the tasks the main scan shows, sorted and distinct. */
  readonly nodes: string[];
  /** The plan line that decided the class, in words. */
  readonly reason: string;
  /** EXPLAIN itself failed: Citus's (or PostgreSQL's) error. */
  readonly error?: CitusError;
}

/** One plan node: its name line, its `Name: value` properties and its child nodes. */
interface PlanNode {
  readonly name: string;
  /** Column where the name starts. */
  readonly col: number;
  readonly props: string[];
  readonly children: PlanNode[];
}

/**
 * The text plan as a tree: a child's `->  ` sits two columns right of its
 * parent's name, a property line two columns right of it.
 */
function planTree(planLines: readonly string[]): PlanNode | undefined {
  const raw = planLines.flatMap((l) => l.split('\n')).filter((l) => l.trim() !== '');
  if (!raw.length) return undefined;
  const lineOf = (l: string) => {
    const m = /^(\s*)(->\s+)?(.*?)\s*$/.exec(l)!;
    return { col: m[1].length + (m[2]?.length ?? 0), arrow: !!m[2], text: m[3] };
  };
  const first = lineOf(raw[0]);
  const root: PlanNode = { name: first.text, col: first.col, props: [], children: [] };
  const stack: PlanNode[] = [root];
  for (const l of raw.slice(1).map(lineOf)) {
    const anchor = l.arrow ? l.col - 6 : l.col - 2;
    while (stack.length > 1 && stack[stack.length - 1].col > anchor) stack.pop();
    const parent = stack[stack.length - 1];
    if (l.arrow) {
      const node: PlanNode = { name: l.text, col: l.col, props: [], children: [] };
      parent.children.push(node);
      stack.push(node);
    } else parent.props.push(l.text);
  }
  return root;
}

function* nodesOf(root: PlanNode): Generator<PlanNode> {
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    yield n;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
}

/** A node's own property `Name: value`. */
function prop(node: PlanNode, name: string | RegExp): string | undefined {
  for (const p of node.props) {
    if (typeof name === 'string' ? p.startsWith(`${name}:`) : name.test(p)) return p.slice(p.indexOf(':') + 1).trim();
  }
  return undefined;
}

const CITUS_SCAN = /^Custom Scan \((Citus [^)]*)\)/;

/** A Citus scan's task count and the nodes of the tasks it shows. */
function tasksOf(scan: PlanNode | undefined): { tasks: number; nodes: string[] } {
  if (!scan) return { tasks: 0, nodes: [] };
  const tasks = Number(prop(scan, 'Task Count') ?? '0');
  const nodes = new Set<string>();
  for (const c of scan.children) {
    if (c.name !== 'Task') continue;
    const m = /host=(\S+) port=(\d+)/.exec(prop(c, 'Node') ?? '');
    if (m) nodes.add(`${m[1]}:${m[2]}`);
  }
  return { tasks: Number.isFinite(tasks) ? tasks : 0, nodes: [...nodes].sort() };
}

/** Read the rows of `EXPLAIN (COSTS OFF)` (one plan line each) as a routing class. */
export function classifyExplain(planLines: readonly string[]): ExplainRouting {
  const root = planTree(planLines);
  const all = root ? [...nodesOf(root)] : [];
  const subplans = all.filter((n) => n.name.startsWith('Distributed Subplan ')).length;
  // Pre-order: the first Citus scan is the main one; subplans sit below it.
  const top = all.find((n) => CITUS_SCAN.test(n.name));
  if (!top) return { class: 'coordinator', tasks: 0, subplans, nodes: [], reason: 'no Citus scan: plain PostgreSQL on the coordinator' };
  const scan = CITUS_SCAN.exec(top.name)![1];
  const jobs = all.filter((n) => n.name === 'MapMergeJob');
  const mapTasks = jobs.reduce((s, j) => s + Number(prop(j, 'Map Task Count') ?? 0), 0);
  const mergeTasks = jobs.reduce((s, j) => s + Number(prop(j, 'Merge Task Count') ?? 0), 0);
  const jobFigures = jobs.length ? { mapTasks, mergeTasks } : {};

  if (scan !== 'Citus Adaptive') {
    // INSERT ... SELECT / MERGE that Citus does not push down: the method decides.
    const method = prop(top, /\bmethod: /) ?? '';
    const inner = [...nodesOf(top)].find((n) => n !== top && n.name.startsWith('Custom Scan (Citus Adaptive)'));
    const base = { ...tasksOf(inner), subplans, method, scan, ...jobFigures };
    if (method === 'repartition') return { ...base, class: 'repartition', reason: `${scan}, method: repartition` };
    return { ...base, class: 'coordinator', reason: `${scan}, method: ${method || 'unknown'}: the rows pass through the coordinator` };
  }
  const { tasks, nodes } = tasksOf(top);
  const base = { tasks, subplans, nodes, scan, ...jobFigures };
  if (top.children.some((c) => c.name === 'MapMergeJob')) {
    return { ...base, class: 'repartition', reason: `MapMergeJob: rows are repartitioned (${mapTasks} map, ${mergeTasks} merge tasks)` };
  }
  if (subplans) return { ...base, class: 'recursive', reason: `${subplans} distributed subplan${subplans === 1 ? '' : 's'} (intermediate results), then ${tasks} task${tasks === 1 ? '' : 's'}` };
  if (tasks <= 1) return { ...base, class: 'router', reason: `Task Count: ${tasks}` };
  return { ...base, class: 'multi-shard', reason: `Task Count: ${tasks}` };
}

/** EXPLAIN failed: the error is the real outcome. */
export function explainFailure(error: CitusError): ExplainRouting {
  return { class: 'error', tasks: 0, subplans: 0, nodes: [], reason: error.message, error };
}

export interface PredictedRouting {
  readonly class: RouteClass;
  /** Shards the main step touches, as the router worked them out. */
  readonly shards: number;
  readonly error?: CitusError;
}

export interface RoutingComparison {
  readonly agree: boolean;
  /** Why they differ (absent when they agree). */
  readonly why?: string;
}

export interface CompareOptions {
  /** The coordinator's `host:port` as pg_dist_node has it: one task run there is the coordinator's own work. */
  readonly coordinator?: string;
  /** The prediction's shard count is exact (every distribution value known): task counts must match too. */
  readonly exactShards?: boolean;
}

/**
 * Whether a prediction agrees with the real plan. Beyond equal classes: a
 * prediction of `multi-shard` on one shard is a router plan to Citus; a
 * `coordinator` prediction agrees with one task that runs on the coordinator
 * itself (Citus's local execution of a join of local and reference tables,
 * or of a citus local table); both errors must give the same text.
 */
export function compareRouting(predicted: PredictedRouting, real: ExplainRouting, options: CompareOptions = {}): RoutingComparison {
  if (real.class === 'error' || predicted.class === 'error') {
    if (real.class !== predicted.class) {
      return { agree: false, why: real.class === 'error' ? `Citus refuses it: ${real.error?.message ?? real.reason}` : `shardwise predicts an error (${predicted.error?.message ?? ''}), Citus plans it: ${real.class}` };
    }
    const same = predicted.error?.message === real.error?.message;
    return same ? { agree: true } : { agree: false, why: `both fail, with another text: Citus says "${real.error?.message ?? ''}"` };
  }
  const predictedClass = predicted.class === 'multi-shard' && predicted.shards === 1 ? 'router' : predicted.class;
  if (predictedClass === 'coordinator' && real.class === 'router' && options.coordinator && onCoordinator(real, options.coordinator)) return { agree: true };
  if (predictedClass !== real.class) return { agree: false, why: `predicted ${predicted.class}, Citus plans ${real.class} (${real.reason})` };
  if (options.exactShards && (real.class === 'router' || real.class === 'multi-shard') && predicted.shards !== real.tasks && !(real.class === 'router' && real.tasks <= 1 && predicted.shards <= 1)) {
    return { agree: false, why: `predicted ${predicted.shards} shard${predicted.shards === 1 ? '' : 's'}, Citus runs ${real.tasks} task${real.tasks === 1 ? '' : 's'}` };
  }
  return { agree: true };
}

/** Every task shown runs on the coordinator (Citus names a local task's host `localhost`). */
function onCoordinator(real: ExplainRouting, coordinator: string): boolean {
  const port = coordinator.slice(coordinator.lastIndexOf(':') + 1);
  return real.nodes.length > 0 && real.nodes.every((n) => n === coordinator || n === `localhost:${port}`);
}
