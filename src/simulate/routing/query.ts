/**
 * The planner's copy of a statement, after PostgreSQL's parse analysis and
 * rewriter: the query tree of the facts (`workload/tree.ts`) with views
 * expanded into subqueries (PostgreSQL's rewriter does that before any
 * planner sees the query), fresh ids for every FROM item, and queries that
 * recursive planning can replace by an intermediate result in place, as
 * Citus's RecursivelyPlanSubquery overwrites the subquery it planned.
 */
import type {
  QueryTree,
  TreeColumn,
  TreeCte,
  TreeEquality,
  TreeFilter,
  TreeJoin,
  TreeLevel,
  TreeLink,
  TreeLevelKind,
  TreeOutput,
  TreePlace,
  TreeRel,
  TreeSublinkKind,
} from '../../workload/model.js';

export type Col = TreeColumn;

export type RelKind = 'table' | 'subquery' | 'cte' | 'function' | 'result' | 'unknown';

/** A range table entry: the FROM item as read (TreeRel), with the planner's kinds and its queries linked. */
export interface Rel extends Pick<TreeRel, 'id' | 'name' | 'alias' | 'lateral' | 'ordinality' | 'columns' | 'volatility'> {
  readonly kind: RelKind;
  /** table, unknown: the catalog key. */
  readonly table?: string;
  /** subquery: its query (a derived table, an expanded view, an inlined CTE). */
  readonly query?: Query;
  /** cte: the query whose WITH defines it. */
  readonly cte?: { readonly owner: Query; readonly name: string };
  /** subquery: the view it expands. */
  readonly view?: string;
}

export interface Sublink extends TreePlace {
  readonly kind: TreeSublinkKind;
  readonly query: Query;
  readonly condition: boolean;
  readonly test?: ReadonlyArray<Col | undefined>;
  readonly operator?: string;
}

export interface Cte extends Omit<TreeCte, 'query'> {
  readonly query: Query;
}

/** One query level, mutable where recursive planning changes it. */
export interface Query {
  readonly id: number;
  kind: TreeLevelKind;
  setOperation?: { readonly op: 'union' | 'intersect' | 'except'; readonly all: boolean; readonly left: Query; readonly right: Query };
  rels: Rel[];
  from: TreeJoin[];
  equalities: TreeEquality[];
  filters: TreeFilter[];
  sublinks: Sublink[];
  links: TreeLink[];
  ctes: Cte[];
  recursiveWith: boolean;
  outputs: TreeOutput[];
  groupBy: ReadonlyArray<Col | undefined>;
  windows: ReadonlyArray<ReadonlyArray<Col | undefined>>;
  distinct?: ReadonlyArray<Col | undefined>;
  aggregates: boolean;
  windowFunctions: boolean;
  having: boolean;
  limit: boolean;
  offset: boolean;
  locking: boolean;
  groupingSets: boolean;
  groupingFunction: boolean;
  falseWhere?: boolean;
  volatile: boolean;
  targetSrf: boolean;
  correlated: boolean;
  outerRefs?: { readonly where: boolean; readonly elsewhere: boolean };
  target?: number;
  source?: Query;
  /** Replaced by an intermediate result (read_intermediate_result). */
  result?: boolean;
  /** What the instantiation could not follow (a view whose query is unknown, ...). */
  unknowns: string[];
}

/** Fresh ids for queries and FROM items, one counter per planning (above every id of the statement's own tree). */
export class Ids {
  private next: number;
  constructor(tree?: QueryTree) {
    let max = 0;
    for (const l of tree?.levels ?? []) for (const r of l.rels) max = Math.max(max, r.id);
    this.next = max + 1;
  }
  fresh(): number {
    return this.next++;
  }
}

/**
 * Tree ids (rels and levels) to the planner's, one scope per instantiated
 * level, looking outwards. The statement's own tree keeps its ids
 * (`identity`); a view's tree, instantiated into it, gets fresh ones.
 */
class Scope {
  readonly rels = new Map<number, number>();
  readonly levels = new Map<number, Query>();
  constructor(
    readonly parent: Scope | undefined,
    readonly identity: boolean,
  ) {}
  rel(id: number): number {
    if (this.identity) return id;
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const r = s.rels.get(id);
      if (r !== undefined) return r;
    }
    return -1;
  }
  level(id: number): Query | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const q = s.levels.get(id);
      if (q) return q;
    }
    return undefined;
  }
}

/** Views nest at most this deep (a view reading itself through others is not followed further). */
const MAX_VIEW_DEPTH = 32;

/** Builds planner queries from a statement's tree. */
export class Instantiator {
  constructor(
    private readonly ids: Ids,
    /** The views of the whole statement (the trees carry every view they read, flattened). */
    private readonly views: Readonly<Record<string, QueryTree | null>>,
  ) {}

  /** The statement's own query: its tree's root, ids kept. */
  statement(tree: QueryTree): Query {
    return this.query(tree, tree.root, new Scope(undefined, true));
  }

  /** The query of `level` of `tree`, seen from `outer` (the enclosing levels already made). */
  private query(tree: QueryTree, level: number, outer: Scope, depth = 0): Query {
    const t = tree.levels[level];
    const scope = new Scope(outer, outer.identity);
    if (!scope.identity) for (const r of t.rels) scope.rels.set(r.id, this.ids.fresh());
    const q = blank(this.ids.fresh(), t.kind);
    scope.levels.set(level, q);
    const col = (c: Col): Col => ({ rel: scope.rel(c.rel), column: c.column });
    const optCol = (c: Col | undefined): Col | undefined => (c ? col(c) : undefined);
    // CTEs first: references to them below resolve to this query.
    for (const c of t.ctes) q.ctes.push({ ...c, query: this.query(tree, c.query, scope, depth) });
    for (const r of t.rels) q.rels.push(this.rel(tree, r, scope, depth, q));
    if (t.setOperation) {
      const so = t.setOperation;
      q.setOperation = { op: so.op, all: so.all, left: this.query(tree, so.left, scope, depth), right: this.query(tree, so.right, scope, depth) };
    }
    q.sublinks = t.sublinks.map((s) => ({ ...s, query: this.query(tree, s.query, scope, depth), ...(s.test && !scope.identity ? { test: s.test.map(optCol) } : {}) }));
    if (scope.identity) {
      // The tree's own lists name the same ids: shared, as planning replaces lists rather than changing them.
      Object.assign(q, { from: t.from, equalities: t.equalities, filters: t.filters, links: t.links, outputs: t.outputs, groupBy: t.groupBy, windows: t.windows });
      if (t.distinct) q.distinct = t.distinct;
    } else {
      q.from = t.from.map((j) => mapJoin(j, scope));
      q.equalities = t.equalities.map((e) => ({ ...e, a: col(e.a), b: col(e.b) }));
      q.filters = t.filters.map((f) => ({ ...f, column: col(f.column) }));
      q.links = t.links.map((l) => ({ ...l, rels: l.rels.map((r) => scope.rel(r)) }));
      q.outputs = t.outputs.map((o) => ({ ...o, ...(o.column ? { column: col(o.column) } : {}) }));
      q.groupBy = t.groupBy.map(optCol);
      q.windows = t.windows.map((w) => w.map(optCol));
      if (t.distinct) q.distinct = t.distinct.map(optCol);
    }
    copyFlags(q, t);
    if (t.target !== undefined) q.target = scope.rel(t.target);
    if (t.source !== undefined) q.source = this.query(tree, t.source, scope, depth);
    for (const c of children(q)) if (c.unknowns.length) q.unknowns.push(...c.unknowns);
    if (q.unknowns.length > 1) q.unknowns = [...new Set(q.unknowns)];
    return q;
  }

  private rel(tree: QueryTree, r: TreeLevel['rels'][number], scope: Scope, depth: number, q: Query): Rel {
    const id = scope.rel(r.id);
    const base = {
      id,
      ...(r.name !== undefined ? { name: r.name } : {}),
      ...(r.alias !== undefined ? { alias: r.alias } : {}),
      ...(r.lateral ? { lateral: true } : {}),
      ...(r.ordinality ? { ordinality: true } : {}),
      ...(r.columns ? { columns: r.columns } : {}),
    };
    switch (r.kind) {
      case 'table':
        return { ...base, kind: 'table', table: r.key };
      case 'subquery':
        if (r.query === undefined) {
          q.unknowns.push('a subquery in FROM whose query was not read');
          return { ...base, kind: 'unknown' };
        }
        return { ...base, kind: 'subquery', query: this.query(tree, r.query, scope, depth) };
      case 'cte': {
        const owner = r.cte ? scope.level(r.cte.level) : undefined;
        if (!owner || !r.cte) return { ...base, kind: 'unknown' };
        return { ...base, kind: 'cte', cte: { owner, name: r.cte.name } };
      }
      case 'view': {
        const vt = r.key !== undefined ? this.views[r.key] : undefined;
        if (!vt || depth >= MAX_VIEW_DEPTH) {
          q.unknowns.push(`view ${r.name ?? r.key}, whose query is not known`);
          return { ...base, kind: 'unknown', ...(r.key !== undefined ? { table: r.key } : {}) };
        }
        const sub = this.query(vt, vt.root, new Scope(undefined, false), depth + 1);
        return { ...base, kind: 'subquery', query: sub, ...(r.key !== undefined ? { view: r.key } : {}), ...(vt.columns ? { columns: vt.columns } : {}) };
      }
      case 'function':
        return { ...base, kind: 'function', volatility: r.volatility ?? 'unknown' };
      default:
        return { ...base, kind: 'unknown', ...(r.key !== undefined ? { table: r.key } : {}) };
    }
  }
}

function mapJoin(j: TreeJoin, scope: Scope): TreeJoin {
  if ('rel' in j) return { rel: scope.rel(j.rel) };
  return { join: j.join, type: j.type, left: mapJoin(j.left, scope), right: mapJoin(j.right, scope) };
}

/** An empty query level (no FROM, no outputs); every field present, so that all queries share one shape. */
export function blank(id: number, kind: TreeLevelKind): Query {
  return {
    id,
    kind,
    setOperation: undefined,
    rels: [], from: [], equalities: [], filters: [], sublinks: [], links: [], ctes: [], outputs: [],
    recursiveWith: false,
    groupBy: [],
    windows: [],
    distinct: undefined,
    aggregates: false,
    windowFunctions: false,
    having: false,
    limit: false,
    offset: false,
    locking: false,
    groupingSets: false,
    groupingFunction: false,
    volatile: false,
    targetSrf: false,
    correlated: false,
    outerRefs: undefined,
    target: undefined,
    source: undefined,
    result: undefined,
    unknowns: [],
  };
}

function copyFlags(q: Query, t: TreeLevel): void {
  q.recursiveWith = !!t.recursiveWith;
  q.aggregates = t.aggregates;
  q.windowFunctions = t.windowFunctions;
  q.having = t.having;
  q.limit = t.limit;
  q.offset = t.offset;
  q.locking = t.locking;
  q.groupingSets = t.groupingSets;
  q.groupingFunction = t.groupingFunction;
  if (t.falseWhere) q.falseWhere = true;
  q.volatile = t.volatile;
  q.targetSrf = t.targetSrf;
  q.correlated = t.correlated;
  if (t.outerRefs) q.outerRefs = t.outerRefs;
}

/** Overwrite a query with the read of its intermediate result (RecursivelyPlanSubquery): same output names, no tables. */
export function replaceByResult(q: Query, ids: Ids): void {
  const outputs = (q.setOperation ? leftmost(q) : q).outputs.map((o) => ({ name: o.name }));
  const id = ids.fresh();
  Object.assign(q, blank(q.id, 'select'), { rels: [{ id, kind: 'result' }], from: [{ rel: id }], outputs, result: true });
}

/** The read of an intermediate result with the given output names. */
export function resultQuery(ids: Ids, names: readonly string[]): Query {
  const id = ids.fresh();
  return { ...blank(ids.fresh(), 'select'), rels: [{ id, kind: 'result' }], from: [{ rel: id }], outputs: names.map((name) => ({ name })), result: true };
}

/** The leftmost leaf of a set operation: its output names are the operation's. */
export function leftmost(q: Query): Query {
  let l = q;
  while (l.setOperation) l = l.setOperation.left;
  return l;
}

/** The leaves of a set-operation tree (the query itself when it is no set operation). */
export function setLeaves(q: Query): Query[] {
  if (!q.setOperation) return [q];
  return [...setLeaves(q.setOperation.left), ...setLeaves(q.setOperation.right)];
}

/** Every query directly below `q`: FROM subqueries, subqueries in expressions, CTE bodies, set-operation branches, the source of INSERT ... SELECT. */
export function children(q: Query): Query[] {
  const out: Query[] = [];
  for (const c of q.ctes) out.push(c.query);
  for (const r of q.rels) if (r.query) out.push(r.query);
  for (const s of q.sublinks) out.push(s.query);
  if (q.setOperation) out.push(q.setOperation.left, q.setOperation.right);
  if (q.source) out.push(q.source);
  return out;
}

/** `q` and every query below it, depth first. */
export function allQueries(q: Query): Query[] {
  const out: Query[] = [];
  const stack = [q];
  while (stack.length) {
    const x = stack.pop()!;
    out.push(x);
    const cs = children(x);
    for (let i = cs.length - 1; i >= 0; i--) stack.push(cs[i]);
  }
  return out;
}

/** The table FROM items of `q` and of every query below it (what PostgreSQL's planner scans). */
export function tableRels(q: Query): Rel[] {
  return allQueries(q).flatMap((x) => x.rels.filter((r) => r.kind === 'table'));
}

/** The query whose range table holds a FROM item, searched from `q` down. */
export function ownerOf(q: Query, relId: number): Query | undefined {
  return allQueries(q).find((x) => x.rels.some((r) => r.id === relId));
}

/**
 * Copy of a query tree, for planning attempts that may be given up (Citus
 * copies the query before it inlines CTEs) and for each inlined reference to
 * a CTE. With `ids`, the copy's FROM items and queries get fresh ids, so that
 * two copies of one CTE are two sets of relations; references to FROM items
 * outside the copied tree keep theirs.
 */
export function cloneQuery(q: Query, ids?: Ids): Query {
  const relMap = new Map<number, number>();
  if (ids) for (const x of allQueries(q)) for (const r of x.rels) relMap.set(r.id, ids.fresh());
  const m = (id: number) => relMap.get(id) ?? id;
  const col = (c: Col): Col => (relMap.has(c.rel) ? { rel: m(c.rel), column: c.column } : c);
  const optCol = (c: Col | undefined) => (c ? col(c) : undefined);
  const seen = new Map<Query, Query>();
  const copy = (x: Query): Query => {
    const done = seen.get(x);
    if (done) return done;
    const c: Query = {
      ...x,
      id: ids ? ids.fresh() : x.id,
      rels: [],
      sublinks: [],
      ctes: [],
      unknowns: [...x.unknowns],
      from: x.from.map((j) => remapJoin(j, m)),
      equalities: x.equalities.map((e) => ({ ...e, a: col(e.a), b: col(e.b) })),
      filters: x.filters.map((f) => ({ ...f, column: col(f.column) })),
      links: x.links.map((l) => ({ ...l, rels: l.rels.map(m) })),
      outputs: x.outputs.map((o) => (o.column ? { ...o, column: col(o.column) } : o)),
      groupBy: x.groupBy.map(optCol),
      windows: x.windows.map((w) => w.map(optCol)),
      ...(x.distinct ? { distinct: x.distinct.map(optCol) } : {}),
      ...(x.target !== undefined ? { target: m(x.target) } : {}),
    };
    seen.set(x, c);
    c.ctes = x.ctes.map((e) => ({ ...e, query: copy(e.query) }));
    c.rels = x.rels.map((r) => ({
      ...r,
      id: m(r.id),
      ...(r.query ? { query: copy(r.query) } : {}),
      ...(r.cte ? { cte: { owner: seen.get(r.cte.owner) ?? r.cte.owner, name: r.cte.name } } : {}),
    }));
    c.sublinks = x.sublinks.map((s) => ({ ...s, query: copy(s.query), ...(s.test ? { test: s.test.map(optCol) } : {}) }));
    if (x.setOperation) c.setOperation = { ...x.setOperation, left: copy(x.setOperation.left), right: copy(x.setOperation.right) };
    if (x.source) c.source = copy(x.source);
    return c;
  };
  return copy(q);
}

/**
 * The SELECT of an INSERT ... SELECT as Citus plans it on its own
 * (PrepareInsertSelectForCitusPlanner): the INSERT's CTEs move onto it,
 * wrapped in a subquery so that their references stay valid.
 */
export function insertSelectSource(q: Query, ids: Ids): Query | undefined {
  if (!q.source || !q.ctes.length) return q.source;
  const copy = cloneQuery(q);
  const src = copy.source!;
  const relId = ids.fresh();
  const wrapper: Query = {
    ...blank(ids.fresh(), 'select'),
    rels: [{ id: relId, kind: 'subquery', query: src }],
    from: [{ rel: relId }],
    outputs: leftmost(src).outputs.map((o) => ({ name: o.name, column: { rel: relId, column: o.name } })),
    ctes: copy.ctes,
  };
  for (const x of allQueries(wrapper)) x.rels = x.rels.map((r) => (r.cte?.owner === copy ? { ...r, cte: { owner: wrapper, name: r.cte.name } } : r));
  return wrapper;
}

function remapJoin(j: TreeJoin, m: (id: number) => number): TreeJoin {
  if ('rel' in j) return { rel: m(j.rel) };
  return { join: j.join, type: j.type, left: remapJoin(j.left, m), right: remapJoin(j.right, m) };
}

export type { TreeColumn, TreeEquality, TreeFilter, TreeJoin, TreeOutput };
