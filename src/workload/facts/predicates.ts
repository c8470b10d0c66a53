/**
 * Conditions (WHERE, ON, HAVING, MERGE ... ON): ANDs, ORs and NOTs are
 * followed with what they mean for the atoms under them; an atom comparing
 * columns of two relations is a join pair, one comparing a column with a
 * value is a filter; every condition links the FROM items it names.
 */
import type { A_Expr, Node } from '../../ingest/pg/ast.js';
import { constValue, nodeAs, stringOf, tagOf } from '../../ingest/pg/nodes.js';
import type { ColumnRef, FilterOp, ValueKind } from '../model.js';
import { stripCast, valueKind, type Ctx, type Operand, type Walker } from './context.js';
import type { Resolved } from './scope.js';
import { treeColumn } from './tree.js';

const RANGE_OPS = new Set(['<', '<=', '>', '>=']);

/** A boolean condition: ANDs, ORs and NOTs are followed; atoms give joins and filters. */
export function walkCondition(w: Walker, n: Node, ctx: Ctx): void {
  const b = nodeAs(n, 'BoolExpr');
  if (b) {
    // eval_const_expressions: an OR drops its constant FALSE arms, and one left with a single arm is that arm
    const args = b.boolop === 'OR_EXPR' && (b.args ?? []).some((a) => !isFalse(a)) ? (b.args ?? []).filter((a) => !isFalse(a)) : (b.args ?? []);
    if (b.boolop === 'OR_EXPR' && args.length === 1) return w.pred(args[0], ctx);
    const next: Ctx = b.boolop === 'OR_EXPR' ? { ...ctx, underOr: true, orArm: undefined } : b.boolop === 'NOT_EXPR' ? { ...ctx, negated: !ctx.negated } : ctx;
    // The arms of an OR that is not under another OR or a NOT: shard pruning reads each arm on its own
    const group = b.boolop === 'OR_EXPR' && !ctx.underOr && !ctx.negated ? w.newId() : undefined;
    args.forEach((a, arm) => w.pred(a, group === undefined ? next : { ...next, orArm: { group, arm, arms: args.length } }));
    // find_duplicate_ors: a comparison every arm of an OR has is pulled out of it, and holds by itself.
    if (b.boolop === 'OR_EXPR' && !ctx.negated) for (const common of commonConjuncts(args)) w.pred(common, ctx);
    return;
  }
  const a = nodeAs(n, 'A_Expr');
  if (a) return atom(w, a, ctx);
  const c = nodeAs(n, 'A_Const');
  if (c && ctx.clause === 'where' && !ctx.underOr && !ctx.negated && (isFalse(n) || constValue(c).kind === 'null')) w.rec.tree.flag(ctx.scope, 'falseWhere');
  const s = nodeAs(n, 'SubLink');
  if (s) {
    w.sublink(s, { ...ctx, asCondition: true });
    return;
  }
  const sink: Resolved[] = [];
  w.expr(n, { ...ctx, sink });
  link(w, ctx, sink);
}

/** The constant FALSE. */
function isFalse(n: Node): boolean {
  const c = nodeAs(n, 'A_Const');
  return !!c && constValue(c).kind === 'boolean' && constValue(c).text === 'false';
}

/** The comparisons ANDed at the top of every arm of an OR (PostgreSQL's find_duplicate_ors). */
function commonConjuncts(arms: readonly Node[]): Node[] {
  if (arms.length < 2) return [];
  const conjuncts = (n: Node): Node[] => {
    const b = nodeAs(n, 'BoolExpr');
    return b?.boolop === 'AND_EXPR' ? (b.args ?? []).flatMap(conjuncts) : [n];
  };
  const keyed = arms.map((arm) => new Map(conjuncts(arm).filter((c) => nodeAs(c, 'A_Expr')).map((c) => [shapeOf(c), c] as const)));
  return [...keyed[0]].filter(([k]) => keyed.every((m) => m.has(k))).map(([, c]) => c);
}

/** A node's text without its locations: equal for the same comparison written twice. */
function shapeOf(n: Node): string {
  return JSON.stringify(n, (k, v: unknown) => (k === 'location' ? undefined : v));
}

/** The FROM items of this level whose columns one condition names are linked (not a cartesian product). */
export function link(w: Walker, ctx: Ctx, cols: Resolved[]): void {
  const scope = ctx.scope;
  let first: number | undefined;
  const ids = new Set<number>();
  for (const c of cols) {
    if (c.depth !== 0) continue;
    ids.add(treeColumn(c).rel);
    if (first === undefined) first = c.rel.id;
    else scope.union(first, c.rel.id);
  }
  if (ids.size > 1) w.rec.tree.link(ctx, [...ids]);
}

/** One side of a comparison: a column, a constant, a parameter or an expression (with the columns it names). */
export function walkOperand(w: Walker, n: Node | undefined, ctx: Ctx): Operand {
  const p = stripCast(n);
  const c = nodeAs(p, 'A_Const');
  if (c) {
    w.expr(n, ctx);
    return { kind: 'const', value: constValue(c).text, cols: [] };
  }
  const t = tagOf(p);
  if (t === 'ParamRef') {
    w.expr(n, ctx);
    return { kind: 'param', cols: [] };
  }
  const sink: Resolved[] = [];
  w.expr(n, { ...ctx, sink });
  if (t === 'ColumnRef' && sink.length === 1) return { kind: 'column', res: sink[0], cols: sink };
  return { kind: 'expr', cols: sink };
}

/** Every operand's kind when they all have one (constants, or parameters), else `expr`. */
function commonKind(items: Operand[]): ValueKind {
  return items.length && items.every((i) => i.kind === 'const') ? 'const' : items.length && items.every((i) => i.kind === 'param') ? 'param' : 'expr';
}

function constants(items: Operand[]): string[] {
  return items.map((i) => (i.kind === 'const' ? i.value : ''));
}

function listItems(n: Node | undefined): Node[] {
  return nodeAs(n, 'List')?.items ?? [];
}

function atom(w: Walker, a: A_Expr, ctx: Ctx): void {
  const op = stringOf(a.name?.[a.name.length - 1]);
  const kind = a.kind ?? '';
  if (kind === 'AEXPR_IN' || (kind === 'AEXPR_OP_ANY' && op === '=')) {
    const l = w.operand(a.lexpr, ctx);
    let items: Operand[];
    let count: number | undefined;
    const array = nodeAs(stripCast(a.rexpr), 'A_ArrayExpr');
    if (kind === 'AEXPR_IN') items = listItems(a.rexpr).map((i) => w.operand(i, ctx));
    else if (array) items = (array.elements ?? []).map((i) => w.operand(i, ctx));
    else items = [w.operand(a.rexpr, ctx)];
    const isList = kind === 'AEXPR_IN' || !!array;
    if (isList) count = items.length;
    link(w, ctx, [...l.cols, ...items.flatMap((i) => i.cols)]);
    const negated = ctx.negated || op === '<>';
    const value = commonKind(items);
    if (l.kind === 'column' && !negated) {
      if (isList || value === 'param') w.rec.tree.filter(ctx, l.res, 'in', value, value === 'const' ? constants(items) : undefined, count);
      else if (items.length === 1 && items[0].kind === 'column') w.rec.tree.equality(ctx, l.res, items[0].res);
    }
    if (l.kind !== 'column' || !l.res.ref) return;
    // `x = ANY($1)` is an IN over an array parameter; `x = ANY(col)` is not a filter on constants.
    if (!isList && value === 'expr') return filter(w, l.res.ref, 'other', 'expr', ctx);
    filter(w, l.res.ref, negated ? 'other' : 'in', value, ctx, value === 'const' ? constants(items) : undefined, count);
    return;
  }
  if (kind === 'AEXPR_BETWEEN' || kind === 'AEXPR_NOT_BETWEEN' || kind === 'AEXPR_BETWEEN_SYM' || kind === 'AEXPR_NOT_BETWEEN_SYM') {
    const l = w.operand(a.lexpr, ctx);
    const bounds = listItems(a.rexpr).map((i) => w.operand(i, ctx));
    link(w, ctx, [...l.cols, ...bounds.flatMap((i) => i.cols)]);
    if (l.kind !== 'column' || !l.res.ref) return;
    const value: ValueKind = bounds.every((i) => i.kind === 'const') ? 'const' : bounds.every((i) => i.kind === 'param') ? 'param' : 'expr';
    const negated = ctx.negated || kind.startsWith('AEXPR_NOT');
    filter(w, l.res.ref, negated ? 'other' : 'range', value, ctx, value === 'const' ? constants(bounds) : undefined);
    return;
  }
  if (!a.lexpr || !a.rexpr) {
    const sink: Resolved[] = [];
    w.expr({ A_Expr: a }, { ...ctx, sink });
    link(w, ctx, sink);
    return;
  }
  const l = w.operand(a.lexpr, ctx);
  const r = w.operand(a.rexpr, ctx);
  link(w, ctx, [...l.cols, ...r.cols]);
  const isEq = kind === 'AEXPR_OP' && op === '=' && !ctx.negated;
  if (isEq && l.kind === 'column' && r.kind === 'column') {
    w.rec.tree.equality(ctx, l.res, r.res);
    if (l.res.rel.id === r.res.rel.id || !l.res.ref || !r.res.ref) return;
    pairFrom(w, l.res, r.res, ctx);
    return;
  }
  if (isEq && l.kind === 'column' && r.kind !== 'column' && r.kind !== 'expr') w.rec.tree.filter(ctx, l.res, '=', r.kind, r.kind === 'const' ? [r.value] : undefined);
  if (isEq && r.kind === 'column' && l.kind !== 'column' && l.kind !== 'expr') w.rec.tree.filter(ctx, r.res, '=', l.kind, l.kind === 'const' ? [l.value] : undefined);
  const fop: FilterOp = isEq ? '=' : kind === 'AEXPR_OP' && RANGE_OPS.has(op) && !ctx.negated ? 'range' : 'other';
  if (l.kind === 'column' && r.kind === 'column') return; // a non-equi join: not a filter
  if (l.kind === 'column' && l.res.ref) filter(w, l.res.ref, fop, valueKind(r), ctx, r.kind === 'const' ? [r.value] : undefined);
  if (r.kind === 'column' && r.res.ref) filter(w, r.res.ref, fop, valueKind(l), ctx, l.kind === 'const' ? [l.value] : undefined);
}

function filter(w: Walker, ref: ColumnRef, op: FilterOp, value: ValueKind, ctx: Ctx, values?: string[], count?: number): void {
  w.rec.addFilter(ref, op, value, { clause: ctx.clause, underOr: ctx.underOr, level: ctx.scope.level }, values, count);
}

/** An equality between columns of two relations: a join pair, oriented for outer joins; a correlation when one is of an outer level. */
function pairFrom(w: Walker, a: Resolved, b: Resolved, ctx: Ctx): void {
  const correlated = (a.depth === 0) !== (b.depth === 0);
  if (correlated) {
    w.rec.addJoin(a.ref!, b.ref!, ctx.scope.corrJoin, 'subquery', ctx.underOr);
    return;
  }
  let [l, r] = [a, b];
  if ((ctx.joinType === 'left' || ctx.joinType === 'right') && ctx.leftSide && !ctx.leftSide.has(a.rel.id) && ctx.leftSide.has(b.rel.id)) [l, r] = [b, a];
  w.rec.addJoin(l.ref!, r.ref!, ctx.joinType, ctx.joinSource, ctx.underOr);
}
