/**
 * FROM items: tables, views and CTEs by name, derived tables, functions,
 * TABLESAMPLE and joins (ON, USING, NATURAL, outer), each added to its
 * query level as a relation with the columns it shows; and which of them no
 * condition links (a cartesian product).
 */
import type { JoinExpr, Node, RangeFunction, RangeSubselect, RangeVar } from '../../ingest/pg/ast.js';
import { nodeAs, stringOf, tagOf } from '../../ingest/pg/nodes.js';
import type { JoinType } from '../model.js';
import { makeCtx, type Walker } from './context.js';
import { rename, type ColMap, type Rel, type Resolved, type Scope } from './scope.js';

/** Functions in FROM that return one unnamed column (named after the alias). */
const SCALAR_SRF = new Set(['generate_series', 'unnest', 'generate_subscripts', 'regexp_split_to_table', 'jsonb_array_elements_text', 'json_array_elements_text']);

/** Adds a FROM item's relations to the scope; returns their ids. */
export function walkFromItem(w: Walker, n: Node | undefined, scope: Scope): Set<number> {
  const ids = new Set<number>();
  switch (tagOf(n)) {
    case 'RangeVar':
      ids.add(rangeVar(w, nodeAs(n, 'RangeVar')!, scope).id);
      break;
    case 'RangeTableSample': {
      const b = nodeAs(n, 'RangeTableSample')!;
      w.rec.f.tablesample = true;
      for (const i of w.fromItem(b.relation, scope)) ids.add(i);
      for (const a of b.args ?? []) w.expr(a, makeCtx(scope, 'from'));
      break;
    }
    case 'RangeSubselect':
      ids.add(derivedTable(w, nodeAs(n, 'RangeSubselect')!, scope).id);
      break;
    case 'RangeFunction':
      ids.add(functionItem(w, nodeAs(n, 'RangeFunction')!, scope).id);
      break;
    case 'JoinExpr':
      return joinChain(w, nodeAs(n, 'JoinExpr')!, scope);
    default:
      if (n) w.expr(n, makeCtx(scope, 'from'));
  }
  return ids;
}

/** A table, view or CTE by name. */
function rangeVar(w: Walker, b: RangeVar, scope: Scope): Rel {
  const relname = b.relname ?? '';
  const alias = b.alias?.aliasname;
  const colAliases = (b.alias?.colnames ?? []).map(stringOf);
  if (!b.schemaname) {
    const cte = scope.cte(relname);
    if (cte) {
      cte.refs++;
      const out = rename(cte.out ?? { names: [] }, colAliases);
      const rel: Rel = { id: w.newId(), name: alias ?? relname, kind: 'cte', aliased: !!alias, cols: out.cols };
      scope.rels.push(rel);
      return rel;
    }
  }
  const r = w.x.relation(b.schemaname, relname, w.names);
  w.rec.addReference(b.location, r.key, r.kind);
  let cols: ColMap | undefined;
  if (r.kind === 'table') {
    w.rec.read.add(r.key);
    cols = w.x.columnsOf(r.key);
    if (colAliases.length) cols = rename({ names: [...cols.keys()], cols }, colAliases).cols;
  } else if (r.kind === 'view') {
    w.rec.views.add(r.key);
    for (const t of w.x.viewTables(r.key)) w.rec.read.add(t);
    // Through the view's query: its plain output columns are base columns.
    cols = w.x.viewColumns(r.key);
    if (cols && colAliases.length) cols = rename({ names: [...cols.keys()], cols }, colAliases).cols;
  } else {
    w.rec.unknown.add(r.key);
  }
  const rel: Rel = { id: w.newId(), name: alias ?? relname, kind: r.kind, key: r.key, aliased: !!alias, cols };
  scope.rels.push(rel);
  return rel;
}

/** `(SELECT ...) AS x`, LATERAL or not. */
function derivedTable(w: Walker, b: RangeSubselect, scope: Scope): Rel {
  if (b.lateral) w.rec.f.lateral = true;
  const out = w.selectNode(b.subquery, scope, !b.lateral, 'inner');
  const renamed = rename(out.out, (b.alias?.colnames ?? []).map(stringOf));
  const rel: Rel = { id: w.newId(), name: b.alias?.aliasname ?? '', kind: 'derived', aliased: true, cols: renamed.cols };
  scope.rels.push(rel);
  w.rec.subqueries.push({ kind: 'derived', where: 'from', correlated: out.correlated, lateral: !!b.lateral, negated: false });
  return rel;
}

/** A function in FROM (generate_series, unnest, ROWS FROM ...). */
function functionItem(w: Walker, b: RangeFunction, scope: Scope): Rel {
  w.rec.f.functionsInFrom = true;
  if (b.lateral) w.rec.f.lateral = true;
  const sink: Resolved[] = [];
  for (const fl of b.functions ?? []) for (const fn of nodeAs(fl, 'List')?.items ?? []) if (fn) w.expr(fn, { ...makeCtx(scope, 'from'), sink });
  const colnames = (b.alias?.colnames ?? []).map(stringOf);
  const coldef = (b.coldeflist ?? []).map((c) => nodeAs(c, 'ColumnDef')?.colname ?? '');
  const names = colnames.length ? colnames : coldef.length ? coldef : [];
  const firstFn = nodeAs(nodeAs(b.functions?.[0], 'List')?.items?.[0], 'FuncCall');
  const fname = firstFn ? stringOf(firstFn.funcname?.[firstFn.funcname.length - 1]) : 'function';
  const alias = b.alias?.aliasname ?? fname;
  // A scalar function in FROM yields one column named after the alias; SRFs of
  // composite type yield columns we cannot know: keep the rel open then.
  const cols: ColMap | undefined = names.length ? new Map(names.map((n) => [n, null])) : SCALAR_SRF.has(fname) ? new Map([[alias, null]]) : undefined;
  const rel: Rel = { id: w.newId(), name: alias, kind: 'function', aliased: !!b.alias, cols };
  scope.rels.push(rel);
  for (const r of sink) if (r.depth === 0) scope.union(rel.id, r.rel.id);
  return rel;
}

/**
 * `a JOIN b ON ... JOIN c ON ...` is a tree leaning left, as deep as the
 * join list is long: its left spine is followed in a loop, the innermost
 * join first, so that joining many tables is no deep nesting.
 */
function joinChain(w: Walker, top: JoinExpr, scope: Scope): Set<number> {
  const chain = [top];
  for (let j = nodeAs(top.larg, 'JoinExpr'); j; j = nodeAs(j.larg, 'JoinExpr')) chain.push(j);
  let ids = w.fromItem(chain[chain.length - 1].larg, scope);
  for (let i = chain.length - 1; i >= 0; i--) ids = join(w, chain[i], ids, scope);
  return ids;
}

/** One join, its left side (`left`, the ids of the relations in it) already walked. */
function join(w: Walker, b: JoinExpr, left: Set<number>, scope: Scope): Set<number> {
  const right = w.fromItem(b.rarg, scope);
  const ids = new Set<number>([...left, ...right]);
  const jt: JoinType = b.jointype === 'JOIN_LEFT' ? 'left' : b.jointype === 'JOIN_RIGHT' ? 'right' : b.jointype === 'JOIN_FULL' ? 'full' : 'inner';
  if (jt !== 'inner') w.rec.f.outerJoins = true;
  let names = (b.usingClause ?? []).map(stringOf);
  if (b.isNatural) names = commonColumns(left, right, scope);
  for (const name of names) {
    scope.merged.add(name);
    const l = firstWith(name, left, scope);
    const r = firstWith(name, right, scope);
    if (!l || !r) {
      w.rec.unresolvedColumn(name, 'unknown-column');
      continue;
    }
    scope.union(l.id, r.id);
    const lr = l.cols!.get(name);
    const rr = r.cols!.get(name);
    if (lr && rr) w.rec.addJoin(lr, rr, jt, 'using', false);
  }
  if (b.quals) {
    w.pred(b.quals, makeCtx(scope, 'join', { clause: 'on', joinType: jt, joinSource: 'on', leftSide: left }));
    // Any ON condition links the two sides (an equi-join or not).
    const a = [...left][0];
    const c = [...right][0];
    if (a !== undefined && c !== undefined) scope.union(a, c);
  }
  if (b.alias) {
    const cols: ColMap = new Map();
    for (const r of scope.rels) if (ids.has(r.id)) for (const [k, v] of r.cols ?? []) if (!cols.has(k)) cols.set(k, v);
    const rel: Rel = { id: w.newId(), name: b.alias.aliasname ?? '', kind: 'join', aliased: true, cols, qualifiedOnly: true };
    scope.rels.push(rel);
    scope.union(rel.id, [...ids][0]);
  }
  return ids;
}

function commonColumns(left: Set<number>, right: Set<number>, scope: Scope): string[] {
  const ln = new Set<string>();
  for (const r of scope.rels) if (left.has(r.id) && !r.qualifiedOnly) for (const k of r.cols?.keys() ?? []) ln.add(k);
  const out: string[] = [];
  for (const r of scope.rels) if (right.has(r.id) && !r.qualifiedOnly) for (const k of r.cols?.keys() ?? []) if (ln.has(k) && !out.includes(k)) out.push(k);
  return out;
}

function firstWith(name: string, ids: Set<number>, scope: Scope): Rel | undefined {
  return scope.rels.find((r) => ids.has(r.id) && !r.qualifiedOnly && r.cols?.has(name));
}

/** Pairs of this level's FROM items (with tables) that no condition links. */
export function cartesianCheck(w: Walker, scope: Scope): void {
  const comps = new Map<number, string[]>();
  for (const r of scope.rels) {
    if (r.qualifiedOnly) continue;
    const root = scope.find(r.id);
    const list = comps.get(root) ?? [];
    if (r.kind === 'table' && r.key) list.push(r.key);
    comps.set(root, list);
  }
  const withTables = [...comps.values()].filter((l) => l.length > 0).map((l) => l.sort()[0]);
  for (let i = 0; i < withTables.length; i++) for (let j = i + 1; j < withTables.length; j++) w.rec.addCartesian(withTables[i], withTables[j]);
}
