/**
 * Queries inside a statement: WITH (plain, recursive, data-modifying CTEs),
 * subqueries in expressions (EXISTS, IN, ANY / ALL, ARRAY, scalar) and the
 * child scope a subquery is walked in, which tells whether it is correlated.
 */
import type { Node, SubLink, WithClause } from '../../ingest/pg/ast.js';
import { nodeAs, stringOf } from '../../ingest/pg/nodes.js';
import type { JoinType, SubqueryKind } from '../model.js';
import { plainColumn, plainResolved } from './columns.js';
import type { Ctx, Operand, Walker } from './context.js';
import { isSetOperation, recordSetOperation, tail } from './outputs.js';
import { combine, rename, Scope, type Cte, type Output } from './scope.js';
import { treeColumn } from './tree.js';

export function walkWithClause(w: Walker, wc: WithClause | undefined, scope: Scope): void {
  if (!wc) return;
  if (wc.recursive) {
    w.rec.f.recursiveCte = true;
    w.rec.tree.flag(scope, 'recursiveWith');
  }
  const defining = w.rec.tree.levelOf(scope);
  for (const c of wc.ctes ?? []) {
    const cte = nodeAs(c, 'CommonTableExpr');
    if (!cte) continue;
    w.rec.f.ctes++;
    const aliases = (cte.aliascolnames ?? []).map(stringOf);
    const q = cte.ctequery;
    const body = nodeAs(q, 'SelectStmt');
    const selfRef = !!wc.recursive && !!body && isSetOperation(body);
    const mat = cte.ctematerialized === 'CTEMaterializeAlways' ? true : cte.ctematerialized === 'CTEMaterializeNever' ? false : undefined;
    const name = cte.ctename ?? '';
    const entry: Cte = {
      refs: 0,
      ...(mat !== undefined ? { materialized: mat } : {}),
      ...(selfRef ? { recursive: true } : {}),
      ...(!body ? { modifying: true } : {}),
      ...(defining !== undefined ? { tree: { level: defining, name } } : {}),
    };
    w.rec.cteEntries.push(entry);
    w.rec.tree.cte(scope, entry);
    if (selfRef && body) {
      // The recursive term sees the CTE with the non-recursive term's columns.
      recordSetOperation(w, body);
      const level = scope.level + 1;
      const inner = new Scope(scope, level, false, 'inner');
      const id = w.rec.tree.level(inner, 'set-operation');
      if (entry.tree) entry.tree.query = id;
      w.withClause(body.withClause, inner);
      const left = w.select(body.larg, inner, level, false, 'inner');
      entry.out = rename(left, aliases);
      scope.ctes.set(name, entry);
      const right = w.select(body.rarg, inner, level, false, 'inner');
      entry.out = rename(combine(left, right), aliases);
      tail(w, body, inner);
      w.rec.tree.setOperation(id, { op: 'union', all: !!body.all, left: left.level ?? -1, right: right.level ?? -1 });
      for (const n of left.names) w.rec.tree.output(inner, { name: n });
      continue;
    }
    const out = statementOutput(w, q, scope);
    if (entry.tree && out.level !== undefined) entry.tree.query = out.level;
    entry.out = rename(out, aliases);
    scope.ctes.set(name, entry);
  }
}

/** A statement used as a CTE body: SELECT (its output), or DML with RETURNING (walked; its output is not followed). */
function statementOutput(w: Walker, q: Node | undefined, parent: Scope): Output {
  const s = nodeAs(q, 'SelectStmt');
  if (s) return w.select(s, parent, parent.level + 1, false, 'inner');
  const level = q ? w.modify(q, parent) : undefined;
  return { names: [], ...(level !== undefined ? { level } : {}) };
}

/** Walks a subquery node (`{ SelectStmt }`) in a child scope; returns its output and whether it is correlated. */
export function walkSubquery(w: Walker, q: Node | undefined, scope: Scope, hide: boolean, corr: JoinType): { out: Output; correlated: boolean } {
  const child = new Scope(scope, scope.level + 1, hide, corr);
  // A wrapper scope so the SELECT's own scope has `child` as parent: correlation to `scope` or above marks `child`.
  const out = w.select(nodeAs(q, 'SelectStmt'), child, scope.level + 1, false, corr);
  return { out, correlated: child.correlated };
}

function sublinkKind(s: SubLink): Exclude<SubqueryKind, 'derived' | 'cte'> {
  const type = s.subLinkType;
  const opName = s.operName ? stringOf(s.operName[s.operName.length - 1]) : undefined;
  if (type === 'EXISTS_SUBLINK') return 'exists';
  if (type === 'ANY_SUBLINK') return opName && opName !== '=' ? 'any' : 'in';
  if (type === 'ALL_SUBLINK') return 'all';
  if (type === 'ARRAY_SUBLINK') return 'array';
  return 'scalar';
}

/**
 * A subquery in an expression. `x IN (SELECT y ...)` (and EXISTS) is a semi
 * join, an anti join under NOT: `x = y` is recorded as a join pair.
 */
export function walkSublink(w: Walker, s: SubLink, outer: Ctx): Operand {
  const { asCondition, ...ctx } = outer;
  const kind = sublinkKind(s);
  if (ctx.place === 'values') w.rec.f.sublinkInValues = true;
  if (ctx.place === 'returning') w.rec.f.sublinkInReturning = true;
  const semi = kind === 'exists' || kind === 'in';
  const corr: JoinType = semi ? (ctx.negated ? 'anti' : 'semi') : 'inner';
  const test = s.testexpr ? w.operand(s.testexpr, { ...ctx, sink: undefined }) : undefined;
  const { out, correlated } = w.selectNode(s.subselect, ctx.scope, false, corr);
  w.rec.subqueries.push({ kind, where: ctx.place, correlated, lateral: false, negated: ctx.negated });
  if (out.level !== undefined) {
    const row = nodeAs(s.testexpr, 'RowExpr');
    const tests = row ? (row.args ?? []) : s.testexpr ? [s.testexpr] : [];
    const testCols = tests.map((t) => {
      const r = plainResolved(w.rec, t, ctx.scope);
      return r ? treeColumn(r) : undefined;
    });
    const operator = s.operName ? stringOf(s.operName[s.operName.length - 1]) : undefined;
    w.rec.tree.sublink(ctx, {
      kind: s.subLinkType === 'ROWCOMPARE_SUBLINK' ? 'row' : kind,
      query: out.level,
      condition: asCondition === true,
      ...(tests.length ? { test: testCols } : {}),
      ...(operator ? { operator } : {}),
    });
  }
  if (test) {
    if (ctx.sink) ctx.sink.push(...test.cols);
    if (kind === 'in' && test.kind === 'column' && test.res.ref && out.cols) {
      const first = out.cols.get(out.names[0]);
      if (first) w.rec.addJoin(test.res.ref, first, corr, 'subquery', ctx.underOr);
    }
    // (a, b) IN (SELECT x, y ...)
    const row = nodeAs(s.testexpr, 'RowExpr');
    if (kind === 'in' && row && out.cols) {
      (row.args ?? []).forEach((arg, i) => {
        const ref = plainColumn(w.rec, arg, ctx.scope);
        const o = out.cols!.get(out.names[i]);
        if (ref && o) w.rec.addJoin(ref, o, corr, 'subquery', ctx.underOr);
      });
    }
  }
  return { kind: 'expr', cols: test?.cols ?? [] };
}

