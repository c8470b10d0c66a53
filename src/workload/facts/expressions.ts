/**
 * Expressions: column references resolved (and collected into the context's
 * sink), function calls with their volatility and clause, CASE / COALESCE
 * context, and subqueries handed to the subquery family. Conditions go
 * through `predicates.ts` first, which calls here for their operands.
 */
import type { A_Expr, FuncCall, Node } from '../../ingest/pg/ast.js';
import { columnRefFields, nodeAs, stringOf, unwrap } from '../../ingest/pg/nodes.js';
import { SET_RETURNING, SQL_VALUE_FUNCTIONS, WINDOW_FUNCTIONS } from '../builtins.js';
import { isResolved, lookup, star } from './columns.js';
import { isStar, type Ctx, type Walker } from './context.js';
import type { Resolved } from './scope.js';

/** Walks one expression node: resolves columns, records functions and subqueries. */
export function walkExpression(w: Walker, n: Node, ctx: Ctx): void {
  const u = unwrap(n);
  if (!u) return;
  switch (u.tag) {
    case 'ColumnRef': {
      const b = nodeAs(n, 'ColumnRef')!;
      const fields = columnRefFields(b);
      if (isStar(b.fields)) {
        // count(*) has agg_star instead; `t.*` in an expression: all columns of t.
        star(w.rec, fields.slice(0, -1), ctx.scope);
        return;
      }
      const r = lookup(w.rec, fields, ctx.scope, true);
      if (isResolved(r) && r.depth > 0) w.rec.tree.flag(ctx.scope, ctx.clause === 'where' ? 'outerInWhere' : 'outerElsewhere');
      if (isResolved(r) && ctx.sink) ctx.sink.push(r);
      return;
    }
    case 'A_Const':
    case 'ParamRef':
    case 'SetToDefault':
      return;
    case 'TypeCast':
      w.expr(nodeAs(n, 'TypeCast')!.arg, ctx);
      return;
    case 'SubLink':
      w.sublink(nodeAs(n, 'SubLink')!, ctx);
      return;
    case 'FuncCall':
      funcCall(w, nodeAs(n, 'FuncCall')!, ctx);
      return;
    case 'SQLValueFunction': {
      const op = String(nodeAs(n, 'SQLValueFunction')!.op);
      const name = SQL_VALUE_FUNCTIONS[op] ?? op.toLowerCase();
      w.rec.tree.call(ctx.scope, 'stable');
      w.rec.addFunction({ name: `pg_catalog.${name}`, volatility: 'stable', where: ctx.place, inCaseOrCoalesce: ctx.inCase, columnArgs: false, aggregate: false, window: false });
      return;
    }
    case 'CaseExpr':
    case 'CoalesceExpr':
    case 'MinMaxExpr':
    case 'NullIfExpr':
      children(w, u.body, u.tag === 'MinMaxExpr' ? ctx : { ...ctx, inCase: true }, 'location');
      return;
    case 'A_Expr':
      operatorChain(w, nodeAs(n, 'A_Expr')!, ctx);
      return;
    case 'BoolExpr':
      children(w, u.body, ctx, 'location', 'name', 'kind');
      return;
    case 'GroupingSet':
      w.rec.f.groupingSets = true;
      w.rec.tree.flag(ctx.scope, 'groupingSets');
      w.expr(nodeAs(n, 'GroupingSet')!.content, ctx);
      return;
    case 'GroupingFunc':
      w.rec.tree.flag(ctx.scope, 'groupingFunction');
      w.expr(nodeAs(n, 'GroupingFunc')!.args, ctx);
      return;
    case 'SortBy':
      w.expr(nodeAs(n, 'SortBy')!.node, ctx);
      return;
    case 'WindowDef':
      w.windowDef(nodeAs(n, 'WindowDef'), ctx.scope);
      return;
    case 'String':
    case 'Integer':
    case 'Float':
    case 'Boolean':
    case 'TypeName':
      return;
    default:
      children(w, u.body, ctx);
  }
}

/** The nodes and node lists among a node's fields (bare structs, which are not nodes, are skipped), in field order. */
function children(w: Walker, body: Record<string, unknown>, ctx: Ctx, ...skip: string[]): void {
  for (const k in body) {
    if (skip.includes(k)) continue;
    const v = body[k];
    if (!v || typeof v !== 'object') continue;
    if (Array.isArray(v)) for (const x of v as Node[]) w.expr(x, ctx);
    else if (/^[A-Z]/.test(Object.keys(v)[0] ?? '')) w.expr(v as Node, ctx);
  }
}

/**
 * An operator expression. `a || b || c ...` is a tree as deep as the chain
 * is long, leaning left: its left spine is followed in a loop (operands in
 * the order written), so that a long chain is no deep nesting.
 */
function operatorChain(w: Walker, top: A_Expr, ctx: Ctx): void {
  const rights: Array<Node | undefined> = [];
  let e = top;
  for (let l = nodeAs(e.lexpr, 'A_Expr'); l; l = nodeAs(e.lexpr, 'A_Expr')) {
    rights.push(e.rexpr);
    e = l;
  }
  w.expr(e.lexpr, ctx);
  w.expr(e.rexpr, ctx);
  for (let i = rights.length - 1; i >= 0; i--) w.expr(rights[i], ctx);
}

function funcCall(w: Walker, b: FuncCall, ctx: Ctx): void {
  const parts = (b.funcname ?? []).map(stringOf);
  const info = w.x.functionInfo(parts, w.names);
  const fname = parts[parts.length - 1];
  const isWindow = !!b.over;
  const aggregate = !isWindow && (info.aggregate || !!b.agg_star || !!b.agg_distinct || !!b.agg_order || !!b.agg_filter || b.agg_within_group === true);
  if (aggregate) {
    w.rec.f.aggregates = true;
    w.rec.tree.flag(ctx.scope, 'aggregates');
  }
  if (isWindow || WINDOW_FUNCTIONS.has(fname)) {
    w.rec.f.windowFunctions = true;
    w.rec.tree.flag(ctx.scope, 'windowFunctions');
  }
  w.rec.tree.call(ctx.scope, info.volatility, info.name);
  if (ctx.place === 'select' && (SET_RETURNING.has(info.name) || (parts.length === 1 && SET_RETURNING.has(`pg_catalog.${fname}`)))) w.rec.tree.flag(ctx.scope, 'targetSrf');
  const sink: Resolved[] = [];
  const inner: Ctx = { ...ctx, sink, inCase: ctx.inCase || fname === 'coalesce' };
  for (const a of b.args ?? []) w.expr(a, inner);
  for (const o of b.agg_order ?? []) w.expr(o, inner);
  w.expr(b.agg_filter, inner);
  if (ctx.sink) ctx.sink.push(...sink);
  if (b.over) w.windowDef(b.over, ctx.scope);
  w.rec.addFunction({
    name: info.name,
    volatility: info.volatility,
    where: ctx.place,
    inCaseOrCoalesce: ctx.inCase,
    columnArgs: sink.length > 0,
    aggregate,
    window: isWindow,
  });
}
