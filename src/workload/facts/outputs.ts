/**
 * What a query level outputs: its select list (names, and the base column
 * each plain column shows), and what applies to the whole output: set
 * operations, ORDER BY, LIMIT / OFFSET and row locking.
 */
import type { Node, ResTarget, SelectStmt } from '../../ingest/pg/ast.js';
import { columnRefFields, nodeAs, stringOf, tagOf } from '../../ingest/pg/nodes.js';
import { star } from './columns.js';
import { isStar, makeCtx, stripCast, type Walker } from './context.js';
import type { ColMap, Output, Resolved, Scope } from './scope.js';
import { treeColumn } from './tree.js';

/** The select list: walks it, records it as the scope's targets, and returns the output. */
export function selectList(w: Walker, list: readonly Node[], scope: Scope): Output {
  const names: string[] = [];
  const cols: ColMap = new Map();
  let known = true;
  const ctx = makeCtx(scope, 'select');
  for (const t of list) {
    const rt = nodeAs(t, 'ResTarget');
    if (!rt) continue;
    const v = rt.val;
    const cr = nodeAs(v, 'ColumnRef');
    if (cr && isStar(cr.fields)) {
      const exp = star(w.rec, columnRefFields(cr).slice(0, -1), scope);
      if (!exp) known = false;
      else
        for (const [n, r, rel] of exp) {
          names.push(n);
          if (!cols.has(n)) cols.set(n, r);
          const m = rel.members?.get(n);
          const star = m ?? { id: rel.id, column: n };
          scope.targets.push({ name: n, star });
          w.rec.tree.output(scope, { name: n, column: { rel: star.id, column: star.column } });
        }
      continue;
    }
    const sink: Resolved[] = [];
    const mark = w.rec.tree.mark();
    w.expr(v, { ...ctx, sink });
    const seen = w.rec.tree.since(mark);
    const name = rt.name ?? outputName(v);
    names.push(name);
    const plain = tagOf(stripCast(v)) === 'ColumnRef' && sink.length === 1 ? sink[0] : undefined;
    if (!cols.has(name)) cols.set(name, plain?.ref ?? null);
    scope.targets.push({ name, node: v });
    w.rec.tree.output(scope, {
      name,
      ...(plain ? { column: treeColumn(plain) } : {}),
      ...(seen.volatile ? { volatile: true } : {}),
      ...(seen.mutable ? { mutable: true } : {}),
      ...(seen.nextval ? { nextval: true } : {}),
      ...(seen.sublink ? { sublink: true } : {}),
    });
  }
  return known ? { names, cols } : { names };
}

/** The name PostgreSQL gives an output column written without `AS`. */
function outputName(v: ResTarget['val']): string {
  const cast = nodeAs(v, 'TypeCast');
  const p = cast ? cast.arg : v;
  const cr = nodeAs(p, 'ColumnRef');
  if (cr) return stringOf(cr.fields?.[cr.fields.length - 1]) || '?column?';
  const fn = nodeAs(p, 'FuncCall');
  if (fn) return stringOf(fn.funcname?.[fn.funcname.length - 1]);
  const t = tagOf(p);
  if (t === 'CaseExpr') return 'case';
  if (t === 'CoalesceExpr') return 'coalesce';
  if (cast) return stringOf(cast.typeName?.names?.[cast.typeName.names.length - 1]) || '?column?';
  return '?column?';
}

/** UNION / INTERSECT / EXCEPT (not a plain SELECT). */
export function isSetOperation(s: SelectStmt): boolean {
  return !!s.op && s.op !== 'SETOP_NONE';
}

/** Records a set operation: `union`, `union all`, ... */
export function recordSetOperation(w: Walker, s: SelectStmt): void {
  const op = String(s.op).replace('SETOP_', '').toLowerCase();
  w.rec.setOps.add(s.all ? `${op} all` : op);
}

/** ORDER BY / LIMIT / locking of a set-operation statement. */
export function tail(w: Walker, s: SelectStmt, scope: Scope): void {
  if (s.sortClause?.length) {
    w.rec.f.orderBy = true;
    for (const sb of s.sortClause) w.expr(nodeAs(sb, 'SortBy')?.node, makeCtx(scope, 'order'));
  }
  limits(w, s, scope);
}

/** LIMIT, OFFSET and FOR UPDATE / SHARE. */
export function limits(w: Walker, s: SelectStmt, scope: Scope): void {
  if (s.limitCount && !nodeAs(s.limitCount, 'A_Const')?.isnull) {
    w.rec.f.limit = true;
    w.rec.tree.flag(scope, 'limit');
    w.expr(s.limitCount, makeCtx(scope, 'limit'));
  }
  if (s.limitOffset) {
    w.rec.f.offset = true;
    w.rec.tree.flag(scope, 'offset');
    w.expr(s.limitOffset, makeCtx(scope, 'limit'));
  }
  if (s.lockingClause?.length) w.rec.tree.flag(scope, 'locking');
  for (const l of s.lockingClause ?? []) {
    const st = String(nodeAs(l, 'LockingClause')?.strength ?? '');
    w.rec.locking.add(st === 'LCS_FORUPDATE' ? 'for update' : st === 'LCS_FORNOKEYUPDATE' ? 'for no key update' : st === 'LCS_FORSHARE' ? 'for share' : 'for key share');
  }
}
