/**
 * SELECT: a query level's FROM, WHERE, select list, GROUP BY, HAVING,
 * WINDOW, DISTINCT [ON], ORDER BY and LIMIT, in the order PostgreSQL's
 * name resolution needs them; VALUES lists; set operations. The keys it
 * groups, partitions, de-duplicates and sorts by are recorded as base columns.
 */
import type { Node, SelectStmt, WindowDef } from '../../ingest/pg/ast.js';
import { nodeAs, stringOf, tagOf } from '../../ingest/pg/nodes.js';
import type { JoinType, Place, TreeColumn } from '../model.js';
import { isResolved, lookup, plainResolved } from './columns.js';
import { makeCtx, stripCast, type KeyColumn, type Walker } from './context.js';
import { cartesianCheck } from './from.js';
import { isSetOperation, limits, recordSetOperation, selectList, tail } from './outputs.js';
import { combine, Scope, type Output, type Resolved } from './scope.js';
import { treeColumn } from './tree.js';

/** A SELECT at `level`, seen from `parent`. Returns its output columns. */
export function walkSelect(w: Walker, s: SelectStmt | undefined, parent: Scope | undefined, level: number, hideParentRels: boolean, corr: JoinType): Output {
  if (!s) return { names: [] };
  if (isSetOperation(s)) return setOperation(w, s, parent, level, hideParentRels, corr);
  const scope = new Scope(parent, level, hideParentRels, corr);
  const id = w.rec.tree.level(scope, s.valuesLists ? 'values' : 'select');
  w.withClause(s.withClause, scope);
  if (s.valuesLists) return { ...valuesLists(w, s.valuesLists, scope), level: id };
  // FROM: rels get ids; top-level items start unlinked.
  for (const item of s.fromClause ?? []) w.rec.tree.from(scope, w.fromItem(item, scope).node);
  if (s.whereClause) w.pred(s.whereClause, makeCtx(scope, 'where', { clause: 'where' }));
  const out = selectList(w, s.targetList ?? [], scope);
  for (const g of s.groupClause ?? []) {
    if (tagOf(g) === 'GroupingSet') {
      w.rec.f.groupingSets = true;
      w.rec.tree.flag(scope, 'groupingSets');
      w.expr(g, makeCtx(scope, 'group'));
      continue;
    }
    const k = w.keyColumn(g, scope, 'group');
    if (k.ref) w.rec.keyColumn(w.rec.groupBy, k.ref);
    w.rec.tree.groupBy(scope, k.res ? treeColumn(k.res) : undefined);
  }
  if (s.havingClause) {
    w.rec.tree.flag(scope, 'having');
    w.pred(s.havingClause, makeCtx(scope, 'having', { clause: 'having' }));
  }
  for (const wd of s.windowClause ?? []) w.windowDef(nodeAs(wd, 'WindowDef'), scope);
  if (s.distinctClause) distinct(w, s.distinctClause, scope);
  if (s.sortClause?.length) {
    w.rec.f.orderBy = true;
    for (const sb of s.sortClause) {
      const k = w.keyColumn(nodeAs(sb, 'SortBy')?.node, scope, 'order');
      if (k.ref) w.rec.keyColumn(w.rec.orderBy, k.ref);
    }
  }
  limits(w, s, scope);
  cartesianCheck(w, scope);
  return { ...out, level: id };
}

/**
 * `a UNION b UNION c ...` is a tree leaning left, as deep as the list of
 * branches is long: its left spine is followed in a loop (each set operation
 * a scope inside the one above it, branches walked in the order written), so
 * that many branches are no deep nesting.
 */
function setOperation(w: Walker, top: SelectStmt, parent: Scope | undefined, level: number, hideParentRels: boolean, corr: JoinType): Output {
  const chain: Array<{ readonly s: SelectStmt; readonly scope: Scope; readonly id: number }> = [];
  let s = top;
  let above = parent;
  let hide = hideParentRels;
  for (;;) {
    recordSetOperation(w, s);
    const scope = new Scope(above, level, hide, corr);
    const id = w.rec.tree.level(scope, 'set-operation');
    w.withClause(s.withClause, scope);
    chain.push({ s, scope, id });
    if (!s.larg || !isSetOperation(s.larg)) break;
    s = s.larg;
    above = scope;
    hide = false;
  }
  const innermost = chain[chain.length - 1];
  let out = w.select(innermost.s.larg, innermost.scope, level, false, corr);
  for (let i = chain.length - 1; i >= 0; i--) {
    const { s: op, scope, id } = chain[i];
    const right = w.select(op.rarg, scope, level, false, corr);
    tail(w, op, scope);
    w.rec.tree.setOperation(id, setOperationOf(op, out.level, right.level));
    out = { ...combine(out, right), level: id };
    for (const name of out.names) w.rec.tree.output(scope, { name });
  }
  return out;
}

/** The tree's record of one set operation node over its two branch levels. */
function setOperationOf(s: SelectStmt, left: number | undefined, right: number | undefined): { op: 'union' | 'intersect' | 'except'; all: boolean; left: number; right: number } {
  const op = s.op === 'SETOP_INTERSECT' ? 'intersect' : s.op === 'SETOP_EXCEPT' ? 'except' : 'union';
  return { op, all: !!s.all, left: left ?? -1, right: right ?? -1 };
}

function valuesLists(w: Walker, rows: readonly Node[], scope: Scope): Output {
  let width = 0;
  for (const row of rows) {
    const items = nodeAs(row, 'List')?.items ?? [];
    width = Math.max(width, items.length);
    for (const it of items) w.expr(it, makeCtx(scope, 'values'));
  }
  const names = Array.from({ length: width }, (_, i) => `column${i + 1}`);
  for (const name of names) w.rec.tree.output(scope, { name });
  return { names, cols: new Map(names.map((n) => [n, null])) };
}

/** SELECT DISTINCT (the plain columns of the select list) or DISTINCT ON (its keys). */
function distinct(w: Walker, clause: readonly Node[], scope: Scope): void {
  w.rec.f.distinct = true;
  // Plain DISTINCT is a list of one empty node.
  const real = clause.filter((d) => tagOf(d) !== undefined);
  const cols: Array<TreeColumn | undefined> = [];
  if (real.length === 0) {
    for (const t of scope.targets) {
      const r = t.node ? plainResolved(w.rec, t.node, scope) : undefined;
      if (r?.ref) w.rec.keyColumn(w.rec.distinct, r.ref);
      cols.push(r ? treeColumn(r) : t.star ? { rel: t.star.id, column: t.star.column } : undefined);
    }
    w.rec.tree.distinct(scope, cols);
    return;
  }
  w.rec.f.distinctOn = true;
  for (const d of real) {
    const k = w.keyColumn(d, scope, 'select');
    if (k.ref) w.rec.keyColumn(w.rec.distinct, k.ref);
    cols.push(k.res ? treeColumn(k.res) : undefined);
  }
  w.rec.tree.distinct(scope, cols);
}

export function walkWindowDef(w: Walker, wd: WindowDef | undefined, scope: Scope): void {
  if (!wd) return;
  const cols: Array<TreeColumn | undefined> = [];
  for (const p of wd.partitionClause ?? []) {
    const k = w.keyColumn(p, scope, 'window');
    if (k.ref) w.rec.keyColumn(w.rec.partitionBy, k.ref);
    cols.push(k.res ? treeColumn(k.res) : undefined);
  }
  // `OVER w` names a window of the WINDOW clause, recorded there.
  if (!(wd.refname && !wd.partitionClause)) w.rec.tree.window(scope, cols);
  for (const o of wd.orderClause ?? []) w.expr(nodeAs(o, 'SortBy')?.node ?? o, makeCtx(scope, 'window'));
}

/**
 * A GROUP BY / ORDER BY / DISTINCT ON / PARTITION BY item: walks it and
 * returns the base column when it is a plain column, an output alias of
 * one, or a position in the select list.
 */
export function walkKeyColumn(w: Walker, n: Node | undefined, scope: Scope, place: Place): KeyColumn {
  if (!n) return {};
  const of = (r: Resolved | undefined): KeyColumn => (r ? { ...(r.ref ? { ref: r.ref } : {}), res: r } : {});
  const c = nodeAs(n, 'A_Const');
  if (c?.ival !== undefined && place !== 'window') {
    const t = scope.targets[(c.ival.ival ?? 0) - 1];
    if (t?.star) return starKey(t.star, scope);
    return of(t?.node ? plainResolved(w.rec, t.node, scope) : undefined);
  }
  const cr = nodeAs(n, 'ColumnRef');
  if (cr && cr.fields?.length === 1 && place !== 'window') {
    const name = stringOf(cr.fields[0]);
    // Output names win in ORDER BY; in GROUP BY input columns win.
    const alias = scope.targets.find((t) => t.name === name && t.node && !isSameColumn(t.node, name));
    if (alias) {
      const input = lookup(w.rec, [name], scope, false);
      if (place === 'order' || !isResolved(input)) return of(plainResolved(w.rec, alias.node, scope));
    }
  }
  const sink: Resolved[] = [];
  w.expr(n, { ...makeCtx(scope, place), sink });
  return tagOf(stripCast(n)) === 'ColumnRef' && sink.length === 1 ? of(sink[0]) : {};
}

/** A key given by position that names a column a `*` expanded to. */
function starKey(star: { readonly id: number; readonly column: string }, scope: Scope): KeyColumn {
  const rel = scope.rels.find((r) => r.id === star.id);
  const ref = rel?.cols?.get(star.column) ?? undefined;
  return rel ? { ...(ref ? { ref } : {}), res: { rel, scope, column: star.column, ref: ref ?? null, depth: 0 } } : {};
}

/** The output column is the unqualified input column of the same name. */
function isSameColumn(n: Node, name: string): boolean {
  const fields = nodeAs(n, 'ColumnRef')?.fields;
  return fields?.length === 1 && stringOf(fields[0]) === name;
}
