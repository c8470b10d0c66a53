/**
 * Citus's EXPLAIN read as shardwise's routing classes, so that a prediction
 * can be held against what a real cluster plans. Pure: the lines of
 * `EXPLAIN (COSTS OFF)` in, a class and its figures out. The mapping is in
 * docs/routing.md:
 *
 * - EXPLAIN fails: `error`, with the message;
 * - no `Custom Scan (Citus ...)` node: plain PostgreSQL, `coordinator`;
 * - the main Citus scan is `Citus INSERT ... SELECT` or `Citus MERGE INTO`
 *   (not pushed down): its method decides, `repartition` or `pull to
 *   coordinator` (`coordinator`);
 * - a `MapMergeJob` under the main scan: `repartition`;
 * - a `Distributed Subplan` anywhere: `recursive`;
 * - else the main scan's `Task Count`: 1 (or 0) `router`, more `multi-shard`.
 */
import type { CitusError, RouteClass } from './routing/types.js';

export interface ExplainRouting {
  readonly class: RouteClass;
  /** `Task Count` of the main Citus scan (of the scan that reads the source for INSERT ... SELECT and MERGE); 0 without one. */
  readonly tasks: number;
  /** `Distributed Subplan` nodes anywhere in the plan (intermediate results). */
  readonly subplans: number;
  /** INSERT ... SELECT or MERGE not pushed down: how Citus runs it. */
  readonly method?: string;
  /** The main Citus scan, e.g. `Citus Adaptive`. */
  readonly scan?: string;
  /** `host:port` of the tasks the main scan shows, sorted and distinct. */
  readonly nodes: string[];
  /** The plan line that decided the class, in words. */
  readonly reason: string;
  /** EXPLAIN itself failed: Citus's (or PostgreSQL's) error. */
  readonly error?: CitusError;
}

/** One node of the text plan: its name, its `Name: value` lines and its children. */
interface PlanNode {
  readonly name: string;
  /** Column its name starts at; its properties and child arrows sit two columns right of it. */
  readonly col: number;
  readonly props: string[];
  readonly children: PlanNode[];
}

/** The text plan as a tree (`->  ` starts a child node; other lines are properties of the node they are indented under). */
function planTree(lines: readonly string[]): PlanNode | undefined {
  const rows = lines.flatMap((l) => l.split('\n')).filter((l) => l.trim() !== '');
  if (!rows.length) return undefined;
  const root: PlanNode = { name: rows[0].trim(), col: rows[0].length - rows[0].trimStart().length, props: [], children: [] };
  const stack = [root];
  for (const row of rows.slice(1)) {
    const indent = row.length - row.trimStart().length;
    const text = row.trim();
    // The node this line belongs to has its name two columns to the left.
    while (stack.length > 1 && stack[stack.length - 1].col > indent - 2) stack.pop();
    const parent = stack[stack.length - 1];
    if (text.startsWith('->')) {
      const name = text.replace(/^->\s*/, '');
      const node: PlanNode = { name, col: indent + (text.length - name.length), props: [], children: [] };
      parent.children.push(node);
      stack.push(node);
    } else parent.props.push(text);
  }
  return root;
}

function preorder(root: PlanNode): PlanNode[] {
  const out: PlanNode[] = [];
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    out.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return out;
}

function prop(node: PlanNode, name: RegExp): string | undefined {
  const p = node.props.find((x) => name.test(x));
  return p === undefined ? undefined : p.slice(p.indexOf(':') + 1).trim();
}

const CITUS_SCAN = /^Custom Scan \((Citus [^)]*)\)/;

/** A Citus scan's task count and the nodes its tasks show. */
function tasksOf(scan: PlanNode | undefined): { tasks: number; nodes: string[] } {
  if (!scan) return { tasks: 0, nodes: [] };
  const count = Number(prop(scan, /^Task Count:/) ?? 0);
  const nodes = new Set<string>();
  for (const c of scan.children) {
    if (c.name !== 'Task') continue;
    const m = /host=(\S+) port=(\d+)/.exec(prop(c, /^Node:/) ?? '');
    if (m) nodes.add(`${m[1]}:${m[2]}`);
  }
  return { tasks: Number.isFinite(count) ? count : 0, nodes: [...nodes].sort() };
}

/** The rows of `EXPLAIN (COSTS OFF)` (one plan line each, or one text with newlines) as a routing class. */
export function classifyExplain(planLines: readonly string[]): ExplainRouting {
  const root = planTree(planLines);
  const all = root ? preorder(root) : [];
  const subplans = all.filter((n) => n.name.startsWith('Distributed Subplan ')).length;
  const top = all.find((n) => CITUS_SCAN.test(n.name));
  if (!top) return { class: 'coordinator', tasks: 0, subplans, nodes: [], reason: 'no Citus scan: plain PostgreSQL on the coordinator' };
  const scan = CITUS_SCAN.exec(top.name)![1];
  if (scan !== 'Citus Adaptive') {
    const method = prop(top, /\bmethod:/) ?? '';
    const source = preorder(top).find((n) => n !== top && CITUS_SCAN.test(n.name));
    const base = { ...tasksOf(source), subplans, method, scan };
    if (method === 'repartition') return { ...base, class: 'repartition', reason: `${scan}, method: repartition` };
    return { ...base, class: 'coordinator', reason: `${scan}, method: ${method || 'not shown'}: the rows pass through the coordinator` };
  }
  const { tasks, nodes } = tasksOf(top);
  const base = { tasks, subplans, nodes, scan };
  if (top.children.some((c) => c.name === 'MapMergeJob')) return { ...base, class: 'repartition', reason: 'MapMergeJob: rows are repartitioned between the workers' };
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
  /** The coordinator's `host:port` (pg_dist_node, group 0): one task run there is the coordinator's own work. */
  readonly coordinator?: string;
  /** The prediction knows every distribution value: router and multi-shard task counts must match too. */
  readonly exactShards?: boolean;
}

/**
 * Whether a prediction agrees with the real plan: the same class (a
 * `multi-shard` prediction on one shard is a router plan to Citus; a
 * `coordinator` prediction agrees with one task that runs on the coordinator
 * itself, as Citus runs a query of local and reference tables); the same
 * task count when the prediction knows every value; for errors, the same
 * message.
 */
export function compareRouting(predicted: PredictedRouting, real: ExplainRouting, options: CompareOptions = {}): RoutingComparison {
  if (real.class === 'error' || predicted.class === 'error') {
    if (real.class !== predicted.class) {
      return { agree: false, why: real.class === 'error' ? `Citus refuses it: ${real.error?.message ?? real.reason}` : `shardwise predicts an error (${predicted.error?.message ?? ''}), Citus plans it: ${real.class}` };
    }
    return predicted.error?.message === real.error?.message ? { agree: true } : { agree: false, why: `both fail, with another text: Citus says "${real.error?.message ?? ''}"` };
  }
  const predictedClass = predicted.class === 'multi-shard' && predicted.shards === 1 ? 'router' : predicted.class;
  if (predictedClass === 'coordinator' && real.class === 'router' && options.coordinator && onCoordinator(real, options.coordinator)) return { agree: true };
  if (predictedClass !== real.class) return { agree: false, why: `predicted ${predicted.class}, Citus plans ${real.class} (${real.reason})` };
  const countable = real.class === 'router' || real.class === 'multi-shard';
  if (options.exactShards && countable && predicted.shards !== real.tasks && !(real.tasks <= 1 && predicted.shards <= 1)) {
    return { agree: false, why: `predicted ${predicted.shards} shard${predicted.shards === 1 ? '' : 's'}, Citus runs ${real.tasks} task${real.tasks === 1 ? '' : 's'}` };
  }
  return { agree: true };
}

/** Every task shown runs on the coordinator (Citus names a local task's host `localhost`). */
function onCoordinator(real: ExplainRouting, coordinator: string): boolean {
  const port = coordinator.slice(coordinator.lastIndexOf(':') + 1);
  return real.nodes.length > 0 && real.nodes.every((n) => n === coordinator || n === `localhost:${port}`);
}
