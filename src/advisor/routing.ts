/**
 * The workload under a design: each query shape classified by Citus's routing
 * rules once. Classification is a pure function of the facts and of what the
 * router asks the design (role, column, group of some tables), so a route is
 * recorded with those questions and answers, and decided again only when a
 * design answers one of them differently: when a table it asked about changes
 * in local search, or for another design built around another key class.
 */
import { partitionRoot } from '../catalog/index.js';
import type { Catalog } from '../catalog/model.js';
import { classifyQuery, type DistributionView, type Route, type RouteClass, type TableRole } from '../simulate/routing/classify.js';
import type { Workload } from '../workload/model.js';
import type { Choice, DesignLookup } from './choice.js';
import type { WorkloadShapes } from './shapes.js';

/** What routing reads of the search's context (its SearchContext has all of it). */
export interface RoutingContext {
  readonly catalog: Catalog;
  readonly workload?: Workload;
  readonly shapes: WorkloadShapes;
  readonly enableRepartitionJoins: boolean;
  /** Per query (index into `workload.queries`), its weight over the total. */
  readonly queryShare: Float64Array;
  readonly totalWeight: number;
  readonly routeMemo: RouteMemo;
}

/** Value of each routing class in the objective. */
export const ROUTE_VALUE: Record<RouteClass, number> = {
  router: 1,
  'multi-shard': 0.7,
  coordinator: 0.6,
  recursive: 0.4,
  repartition: 0.2,
  error: 0,
};

/** What the router learns of one table from a design. */
interface Answer {
  readonly role: TableRole;
  readonly column?: string;
  readonly group?: string;
}

function roleOf(c: Choice | undefined): TableRole {
  if (!c) return 'local';
  return c.kind === 'distributed' ? 'distributed' : c.kind === 'single-shard' ? 'single-shard' : c.kind === 'reference' ? 'reference' : 'local';
}

function answerOf(c: Choice | undefined): Answer {
  return c ? { role: roleOf(c), column: c.column, group: c.group } : { role: 'local' };
}

/** Whether a design's choice for a table gives the router answer `a`. */
const answers = (c: Choice | undefined, a: Answer) => roleOf(c) === a.role && c?.column === a.column && c?.group === a.group;

/** A shape's route, with the (root) tables the router asked about and the design's answers, in the order asked. */
export interface Decided {
  readonly route: Route;
  readonly seen: readonly string[];
  readonly answers: readonly Answer[];
}

/** A view that records what is asked of it, for one classification at a time. */
class Recorder implements DistributionView {
  private assign: DesignLookup = new Map();
  private seen: string[] = [];
  private answers: Answer[] = [];

  constructor(private readonly catalog: Catalog) {}

  start(assign: DesignLookup): void {
    this.assign = assign;
    this.seen = [];
    this.answers = [];
  }

  finish(route: Route): Decided {
    return { route, seen: this.seen, answers: this.answers };
  }

  private ask(t: string): Answer {
    const r = partitionRoot(this.catalog, t);
    const i = this.seen.indexOf(r);
    if (i !== -1) return this.answers[i];
    const a = answerOf(this.assign.get(r));
    this.seen.push(r);
    this.answers.push(a);
    return a;
  }

  readonly role = (t: string) => this.ask(t).role;
  readonly column = (t: string) => this.ask(t).column;
  readonly group = (t: string) => this.ask(t).group;
}

/**
 * Routes decided so far in one run, per shape, most recent first: a design
 * that gives the same answers to the same questions gets the same route.
 */
export class RouteMemo {
  private readonly byShape = new Map<number, Decided[]>();
  private readonly recorder: Recorder;

  constructor(
    private readonly ctx: Pick<RoutingContext, 'catalog' | 'shapes' | 'enableRepartitionJoins'>,
    /** Routes kept per shape. */
    private readonly keep = 8,
  ) {
    this.recorder = new Recorder(ctx.catalog);
  }

  /** The route of shape `s` under `assign`. */
  decide(s: number, assign: DesignLookup): Decided {
    const known = this.byShape.get(s);
    const hit = known?.find((d) => d.seen.every((t, i) => answers(assign.get(t), d.answers[i])));
    if (hit) return hit;
    this.recorder.start(assign);
    const route = classifyQuery(this.ctx.shapes.shapes[s].facts, this.recorder, { enableRepartitionJoins: this.ctx.enableRepartitionJoins });
    const d = this.recorder.finish(route);
    if (known) {
      known.unshift(d);
      if (known.length > this.keep) known.pop();
    } else this.byShape.set(s, [d]);
    return d;
  }
}

/** Shapes decided again under a design that changes one table of the current one. */
export interface Rerouted {
  readonly design: DesignLookup;
  readonly shapes: ReadonlyMap<number, Decided>;
}

/** The routes of every shape under one design, updated move by move in local search. */
export class WorkloadRouting {
  private readonly decided: Decided[] = [];
  /** Per shape, the value of its route class. */
  private readonly values: Float64Array;
  /** Per root table, the shapes whose route asked about it. */
  private readonly byTable = new Map<string, Set<number>>();
  private shares?: { readonly shares: Float64Array; readonly error: number };

  constructor(
    private readonly ctx: RoutingContext,
    assign: DesignLookup,
  ) {
    const { shapes } = ctx.shapes;
    this.values = new Float64Array(shapes.length);
    for (let s = 0; s < shapes.length; s++) {
      const d = ctx.routeMemo.decide(s, assign);
      this.decided.push(d);
      this.values[s] = ROUTE_VALUE[d.route.class];
      for (const t of d.seen) this.index(t).add(s);
    }
  }

  /** The route of shape `s` under the current design. */
  route(s: number): Route {
    return this.decided[s].route;
  }

  /** The shapes whose route may differ under `design`, the current design with only `table` changed, decided under it. */
  reroute(design: DesignLookup, table: string): Rerouted {
    const shapes = new Map<number, Decided>();
    for (const s of [...(this.byTable.get(table) ?? [])].sort((a, b) => a - b)) shapes.set(s, this.ctx.routeMemo.decide(s, design));
    return { design, shapes };
  }

  /** Make a rerouting current (its design becomes the current one). */
  commit(changes: Rerouted): void {
    for (const [s, d] of changes.shapes) {
      for (const t of this.decided[s].seen) this.byTable.get(t)?.delete(s);
      this.decided[s] = d;
      this.values[s] = ROUTE_VALUE[d.route.class];
      for (const t of d.seen) this.index(t).add(s);
    }
  }

  /**
   * The routing value of the weighted workload (0..1), with `changes` applied:
   * summed query by query in workload order, as if each were classified alone.
   */
  value(changes?: Rerouted): number {
    const { ctx } = this;
    if (!ctx.workload || ctx.totalWeight <= 0) return 0;
    let values = this.values;
    if (changes?.shapes.size) {
      values = values.slice();
      for (const [s, d] of changes.shapes) values[s] = ROUTE_VALUE[d.route.class];
    }
    const { shapeOf } = ctx.shapes;
    const share = ctx.queryShare;
    let wl = 0;
    for (let q = 0; q < shapeOf.length; q++) wl += share[q] * values[shapeOf[q]];
    return wl;
  }

  /**
   * `value(changes)` minus `value()`, estimated from the changed shapes alone
   * (their summed query shares times the change of value), with a bound on how
   * far the estimate can be from that difference (rounding in either sum).
   */
  estimateChange(changes: Rerouted): { readonly change: number; readonly error: number } {
    const { ctx } = this;
    if (!ctx.workload || ctx.totalWeight <= 0) return { change: 0, error: 0 };
    if (!this.shares) {
      const { shapeOf } = ctx.shapes;
      const shares = new Float64Array(this.values.length);
      let abs = 0;
      for (let q = 0; q < shapeOf.length; q++) {
        shares[shapeOf[q]] += ctx.queryShare[q];
        abs += Math.abs(ctx.queryShare[q]);
      }
      // A sum of n terms in floating point is off by at most (n - 1) * 2^-53 * (sum of |terms|); both sums, and this one, with room to spare.
      this.shares = { shares, error: 8 * (shapeOf.length + 1) * 2 ** -53 * (abs + 1) };
    }
    let change = 0;
    for (const [s, d] of changes.shapes) change += this.shares.shares[s] * (ROUTE_VALUE[d.route.class] - this.values[s]);
    return { change, error: this.shares.error };
  }

  private index(t: string): Set<number> {
    let set = this.byTable.get(t);
    if (!set) this.byTable.set(t, (set = new Set()));
    return set;
  }
}
