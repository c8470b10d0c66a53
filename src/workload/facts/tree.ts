/**
 * The query tree of one statement (see `../tree.ts`), filled in as the walk
 * goes: a level per query scope, the FROM items and join tree of each, and
 * the conditions, subqueries, outputs and clauses found in it. A scope that
 * is not a query level of its own (the wrapper a subquery is walked in, an
 * INSERT's target) records into the nearest enclosing level.
 */
import { emptyLists, type QueryTree, type TreeColumn, type TreeCte, type TreeFilter, type TreeJoin, type TreeLevel, type TreeLevelKind, type TreeLevelLists, type TreeOutput, type TreePlace, type TreeRel, type TreeSublink } from '../tree.js';
import type { Ctx } from './context.js';
import type { Cte, Resolved, Scope } from './scope.js';

type Flag =
  | 'aggregates'
  | 'windowFunctions'
  | 'having'
  | 'limit'
  | 'offset'
  | 'locking'
  | 'groupingSets'
  | 'groupingFunction'
  | 'volatile'
  | 'targetSrf'
  | 'recursiveWith'
  | 'outerInWhere'
  | 'outerElsewhere'
  | 'falseWhere';

interface Builder extends TreeLevelLists {
  readonly id: number;
  readonly kind: TreeLevelKind;
  readonly scope: Scope;
  setOperation?: TreeLevel['setOperation'];
  readonly ctes: Cte[];
  readonly groupBy: Array<TreeColumn | undefined>;
  readonly windows: Array<Array<TreeColumn | undefined>>;
  distinct?: Array<TreeColumn | undefined>;
  readonly flags: Set<Flag>;
  target?: number;
  source?: number;
  setColumns?: string[];
}

interface Mark {
  readonly volatile: number;
  readonly mutable: number;
  readonly nextval: number;
  readonly sublinks: number;
}

/** A column as the tree names it: through a join alias to the member relation that shows it. */
export function treeColumn(r: Resolved): TreeColumn {
  const m = r.rel.members?.get(r.column);
  return m ? { rel: m.id, column: m.column } : { rel: r.rel.id, column: r.column };
}

function placeOf(ctx: Ctx): TreePlace {
  const clause = ctx.clause === 'where' || ctx.clause === 'on' || ctx.clause === 'having' ? ctx.clause : 'other';
  return { clause, ...(ctx.join !== undefined && clause === 'on' ? { join: ctx.join } : {}), underOr: ctx.underOr, negated: ctx.negated, ...(ctx.orArm && !ctx.negated ? { or: ctx.orArm } : {}) };
}

export class TreeRecorder {
  private readonly builders: Builder[] = [];
  private readonly byScope = new Map<Scope, Builder>();
  private readonly views = new Map<string, QueryTree | null>();
  /** Counters the walk reads before and after an expression: function calls by volatility, nextval() calls, subqueries. */
  private readonly seen = { volatile: 0, mutable: 0, nextval: 0, sublinks: 0 };

  /** A new query level for `scope`; returns its id. */
  level(scope: Scope, kind: TreeLevelKind): number {
    const b: Builder = { ...emptyLists(), id: this.builders.length, kind, scope, ctes: [], groupBy: [], windows: [], flags: new Set() };
    this.builders.push(b);
    this.byScope.set(scope, b);
    return b.id;
  }

  /** The level a scope records into: its own, or the nearest enclosing one. */
  private of(scope: Scope): Builder | undefined {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const b = this.byScope.get(s);
      if (b) return b;
    }
    return undefined;
  }

  levelOf(scope: Scope): number | undefined {
    return this.of(scope)?.id;
  }

  rel(scope: Scope, rel: TreeRel): void {
    this.of(scope)?.rels.push(rel);
  }

  /** A top-level FROM item of the scope's level (a join's members are in its node). */
  from(scope: Scope, node: TreeJoin): void {
    this.of(scope)?.from.push(node);
  }

  equality(ctx: Ctx, a: Resolved, b: Resolved): void {
    this.of(ctx.scope)?.equalities.push({ a: treeColumn(a), b: treeColumn(b), ...placeOf(ctx) });
  }

  filter(ctx: Ctx, col: Resolved, op: TreeFilter['op'], value: TreeFilter['value'], values?: readonly string[], count?: number): void {
    this.of(ctx.scope)?.filters.push({
      column: treeColumn(col),
      op,
      value,
      ...(values ? { values: [...values] } : {}),
      ...(count !== undefined ? { count } : {}),
      ...placeOf(ctx),
    });
  }

  sublink(ctx: Ctx, s: Omit<TreeSublink, keyof TreePlace>): void {
    this.seen.sublinks++;
    this.of(ctx.scope)?.sublinks.push({ ...s, ...placeOf(ctx) });
  }

  /** One condition naming columns of several FROM items of the level. */
  link(ctx: Ctx, rels: number[]): void {
    this.of(ctx.scope)?.links.push({ rels: [...rels].sort((a, b) => a - b), ...placeOf(ctx) });
  }

  cte(scope: Scope, cte: Cte): void {
    this.of(scope)?.ctes.push(cte);
  }

  output(scope: Scope, o: TreeOutput): void {
    this.of(scope)?.outputs.push(o);
  }

  groupBy(scope: Scope, col: TreeColumn | undefined): void {
    this.of(scope)?.groupBy.push(col);
  }

  window(scope: Scope, cols: Array<TreeColumn | undefined>): void {
    this.of(scope)?.windows.push(cols);
  }

  distinct(scope: Scope, cols: Array<TreeColumn | undefined>): void {
    const b = this.of(scope);
    if (b) b.distinct = cols;
  }

  flag(scope: Scope, f: Flag): void {
    this.of(scope)?.flags.add(f);
  }

  /** A function call in the scope's level: counted by volatility (`unknown` counts as volatile, PostgreSQL's default). */
  call(scope: Scope, volatility: 'immutable' | 'stable' | 'volatile' | 'unknown', name?: string): void {
    if (volatility === 'immutable') return;
    this.seen.mutable++;
    if (volatility === 'stable') return;
    this.seen.volatile++;
    this.flag(scope, 'volatile');
    if (name === 'pg_catalog.nextval' || name === 'nextval') this.seen.nextval++;
  }

  setOperation(level: number, op: NonNullable<TreeLevel['setOperation']>): void {
    this.builders[level].setOperation = op;
  }

  dml(level: number, d: { target?: number; source?: number; setColumns?: string[] }): void {
    const b = this.builders[level];
    if (d.target !== undefined) b.target = d.target;
    if (d.source !== undefined) b.source = d.source;
    if (d.setColumns) b.setColumns = d.setColumns;
  }

  /** A view the statement reads, and the views its tree reads. */
  view(key: string, tree: QueryTree | null): void {
    if (this.views.has(key)) return;
    this.views.set(key, tree);
    for (const [k, t] of Object.entries(tree?.views ?? {})) if (!this.views.has(k)) this.views.set(k, t);
  }

  /** Where the counters stand, to tell what an expression walked after it holds. */
  mark(): Mark {
    return { ...this.seen };
  }

  since(m: Mark): { volatile: boolean; mutable: boolean; nextval: boolean; sublink: boolean } {
    return { volatile: this.seen.volatile > m.volatile, mutable: this.seen.mutable > m.mutable, nextval: this.seen.nextval > m.nextval, sublink: this.seen.sublinks > m.sublinks };
  }

  /** The tree, rooted at the level made first (the statement's own). */
  build(): QueryTree | undefined {
    if (!this.builders.length) return undefined;
    const levels = this.builders.map((b): TreeLevel => {
      const f = (x: Flag) => b.flags.has(x);
      const ctes = b.ctes
        .filter((c) => c.tree?.query !== undefined)
        .map(
          (c): TreeCte => ({
            name: c.tree!.name,
            query: c.tree!.query!,
            refs: c.refs,
            ...(c.materialized !== undefined ? { materialized: c.materialized } : {}),
            ...(c.recursive ? { recursive: true } : {}),
            ...(c.modifying ? { modifying: true } : {}),
          }),
        );
      return {
        id: b.id,
        kind: b.kind,
        ...(b.setOperation ? { setOperation: b.setOperation } : {}),
        rels: b.rels,
        from: b.from,
        equalities: b.equalities,
        filters: b.filters,
        sublinks: b.sublinks,
        links: b.links,
        ctes,
        ...(f('recursiveWith') ? { recursiveWith: true } : {}),
        outputs: b.outputs,
        groupBy: b.groupBy,
        windows: b.windows,
        ...(b.distinct ? { distinct: b.distinct } : {}),
        aggregates: f('aggregates'),
        windowFunctions: f('windowFunctions'),
        having: f('having'),
        limit: f('limit'),
        offset: f('offset'),
        locking: f('locking'),
        groupingSets: f('groupingSets'),
        groupingFunction: f('groupingFunction'),
        volatile: f('volatile'),
        targetSrf: f('targetSrf'),
        correlated: b.scope.correlated,
        ...(f('outerInWhere') || f('outerElsewhere') ? { outerRefs: { where: f('outerInWhere'), elsewhere: f('outerElsewhere') } } : {}),
        ...(f('falseWhere') ? { falseWhere: true } : {}),
        ...(b.target !== undefined ? { target: b.target } : {}),
        ...(b.source !== undefined ? { source: b.source } : {}),
        ...(b.setColumns ? { setColumns: b.setColumns } : {}),
      };
    });
    const views: Record<string, QueryTree | null> = {};
    for (const k of [...this.views.keys()].sort()) views[k] = this.views.get(k)!;
    return { root: 0, levels, views };
  }
}
