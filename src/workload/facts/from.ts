/**
 * FROM items: tables, views and CTEs by name, derived tables, functions,
 * TABLESAMPLE and joins (ON, USING, NATURAL, outer), each added to its
 * query level as a relation with the columns it shows; and which of them no
 * condition links (a cartesian product).
 */
import type { JoinExpr, Node, RangeFunction, RangeSubselect, RangeVar } from '../../ingest/pg/ast.js';
import { nodeAs, stringOf, tagOf } from '../../ingest/pg/nodes.js';
import type { JoinType, TreeJoinType } from '../model.js';
import { makeCtx, type FromItem, type Walker } from './context.js';
import { rename, type ColMap, type Rel, type Resolved, type Scope } from './scope.js';

/** Functions in FROM that return one unnamed column (named after the alias). */
const SCALAR_SRF = new Set(['generate_series', 'unnest', 'generate_subscripts', 'regexp_split_to_table', 'jsonb_array_elements_text', 'json_array_elements_text']);

/** Adds a FROM item's relations to the scope; returns their ids and its join-tree node. */
export function walkFromItem(w: Walker, n: Node | undefined, scope: Scope): FromItem {
  const one = (r: Rel): FromItem => ({ ids: new Set([r.id]), node: { rel: r.id } });
  switch (tagOf(n)) {
    case 'RangeVar':
      return one(rangeVar(w, nodeAs(n, 'RangeVar')!, scope));
    case 'RangeTableSample': {
      const b = nodeAs(n, 'RangeTableSample')!;
      w.rec.f.tablesample = true;
      const item = w.fromItem(b.relation, scope);
      for (const a of b.args ?? []) w.expr(a, makeCtx(scope, 'from'));
      return item;
    }
    case 'RangeSubselect':
      return one(derivedTable(w, nodeAs(n, 'RangeSubselect')!, scope));
    case 'RangeFunction':
      return one(functionItem(w, nodeAs(n, 'RangeFunction')!, scope));
    case 'JoinExpr':
      return joinChain(w, nodeAs(n, 'JoinExpr')!, scope);
    default: {
      if (n) w.expr(n, makeCtx(scope, 'from'));
      // Not a relation (JSON_TABLE, XMLTABLE, ...): a function-like item of unknown columns.
      const rel: Rel = { id: w.newId(), name: '', kind: 'function', aliased: false };
      scope.rels.push(rel);
      w.rec.tree.rel(scope, { id: rel.id, kind: 'function', volatility: 'unknown' });
      return one(rel);
    }
  }
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
      w.rec.tree.rel(scope, { id: rel.id, kind: 'cte', name: relname, alias: rel.name, columns: out.names, ...(cte.tree ? { cte: { level: cte.tree.level, name: cte.tree.name } } : {}) });
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
  const shown = b.schemaname ? `${b.schemaname}.${relname}` : relname;
  if (r.kind === 'view' && !w.x.isMaterialized(r.key)) {
    w.rec.tree.rel(scope, { id: rel.id, kind: 'view', key: r.key, name: shown, alias: rel.name });
    w.rec.tree.view(r.key, w.x.viewTree(r.key));
  } else w.rec.tree.rel(scope, { id: rel.id, kind: r.kind === 'view' ? 'table' : r.kind, key: r.key, name: shown, alias: rel.name });
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
  // A derived table renamed by a column alias list shows the query's outputs under the new names: the tree keeps the query's own.
  w.rec.tree.rel(scope, {
    id: rel.id,
    kind: 'subquery',
    ...(rel.name ? { alias: rel.name } : {}),
    ...(out.out.level !== undefined ? { query: out.out.level } : {}),
    ...(b.lateral ? { lateral: true } : {}),
    ...(renamed !== out.out ? { columns: renamed.names } : {}),
  });
  return rel;
}

/** A function in FROM (generate_series, unnest, ROWS FROM ...). */
function functionItem(w: Walker, b: RangeFunction, scope: Scope): Rel {
  w.rec.f.functionsInFrom = true;
  if (b.lateral) w.rec.f.lateral = true;
  const sink: Resolved[] = [];
  const mark = w.rec.tree.mark();
  for (const fl of b.functions ?? []) for (const fn of nodeAs(fl, 'List')?.items ?? []) if (fn) w.expr(fn, { ...makeCtx(scope, 'from'), sink });
  const seen = w.rec.tree.since(mark);
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
  const volatility = seen.volatile ? 'volatile' : seen.mutable ? 'stable' : 'immutable';
  w.rec.tree.rel(scope, { id: rel.id, kind: 'function', alias, volatility, ...(b.lateral ? { lateral: true } : {}), ...(b.ordinality ? { ordinality: true } : {}) });
  return rel;
}

/**
 * `a JOIN b ON ... JOIN c ON ...` is a tree leaning left, as deep as the
 * join list is long: its left spine is followed in a loop, the innermost
 * join first, so that joining many tables is no deep nesting.
 */
function joinChain(w: Walker, top: JoinExpr, scope: Scope): FromItem {
  const chain = [top];
  for (let j = nodeAs(top.larg, 'JoinExpr'); j; j = nodeAs(j.larg, 'JoinExpr')) chain.push(j);
  let item = w.fromItem(chain[chain.length - 1].larg, scope);
  for (let i = chain.length - 1; i >= 0; i--) item = join(w, chain[i], item, scope);
  return item;
}

/** One join, its left side (`left`, the relations in it) already walked. */
function join(w: Walker, b: JoinExpr, leftItem: FromItem, scope: Scope): FromItem {
  const left = leftItem.ids;
  const rightItem = w.fromItem(b.rarg, scope);
  const right = rightItem.ids;
  const ids = new Set<number>([...left, ...right]);
  const jt: JoinType = b.jointype === 'JOIN_LEFT' ? 'left' : b.jointype === 'JOIN_RIGHT' ? 'right' : b.jointype === 'JOIN_FULL' ? 'full' : 'inner';
  if (jt !== 'inner') w.rec.f.outerJoins = true;
  const joinId = w.newId();
  const ctx = makeCtx(scope, 'join', { clause: 'on', joinType: jt, joinSource: 'on', leftSide: left, join: joinId });
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
    w.rec.tree.equality(ctx, { rel: l, scope, column: name, ref: lr ?? null, depth: 0 }, { rel: r, scope, column: name, ref: rr ?? null, depth: 0 });
  }
  if (b.quals) {
    w.pred(b.quals, ctx);
    // Any ON condition links the two sides (an equi-join or not).
    const a = [...left][0];
    const c = [...right][0];
    if (a !== undefined && c !== undefined) scope.union(a, c);
  }
  if (b.alias) {
    const cols: ColMap = new Map();
    const members = new Map<string, { id: number; column: string }>();
    // The join's columns in order, the first ones renamed by the alias's column list (`AS j(a, b)`)
    const renames = (b.alias.colnames ?? []).map(stringOf);
    const seen = new Set<string>();
    for (const r of scope.rels) {
      if (!ids.has(r.id)) continue;
      for (const [k, v] of r.cols ?? []) {
        if (seen.has(k)) continue;
        seen.add(k);
        const name = renames[seen.size - 1] ?? k;
        cols.set(name, v);
        members.set(name, r.members?.get(k) ?? { id: r.id, column: k });
      }
    }
    const rel: Rel = { id: w.newId(), name: b.alias.aliasname ?? '', kind: 'join', aliased: true, cols, qualifiedOnly: true, members };
    scope.rels.push(rel);
    scope.union(rel.id, [...ids][0]);
  }
  const type: TreeJoinType = jt === 'left' || jt === 'right' || jt === 'full' ? jt : 'inner';
  return { ids, node: { join: joinId, type, left: leftItem.node, right: rightItem.node } };
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
