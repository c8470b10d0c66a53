/**
 * INSERT, UPDATE, DELETE and MERGE: the target table and the columns they
 * write, with what each gets (constants, parameters, the column itself,
 * another column), ON CONFLICT, RETURNING; their FROM / USING / source and
 * conditions like a SELECT's.
 */
import type { DeleteStmt, InsertStmt, MergeStmt, Node, RangeVar, ResTarget, ReturningClause, UpdateStmt, WithClause } from '../../ingest/pg/ast.js';
import { nodeAs, tagOf } from '../../ingest/pg/nodes.js';
import type { InsertValue, ValueSource, WriteFacts } from '../model.js';
import { makeCtx, isStar, type Ctx, type Walker } from './context.js';
import { cartesianCheck } from './from.js';
import { isSetOperation } from './outputs.js';
import { Scope, type Rel } from './scope.js';

/** An INSERT/UPDATE/DELETE/MERGE statement node, at the top (no parent) or as a CTE body: its query level; anything else is left alone. */
export function walkModify(w: Walker, stmt: Node, parent?: Scope): number | undefined {
  switch (tagOf(stmt)) {
    case 'InsertStmt':
      return insert(w, nodeAs(stmt, 'InsertStmt')!, parent);
    case 'UpdateStmt':
      return update(w, nodeAs(stmt, 'UpdateStmt')!, parent);
    case 'DeleteStmt':
      return remove(w, nodeAs(stmt, 'DeleteStmt')!, parent);
    case 'MergeStmt':
      return merge(w, nodeAs(stmt, 'MergeStmt')!, parent);
    default:
      return undefined;
  }
}

/** The statement's own scope (one level below a parent) and query level, with its WITH clause walked. */
function statementScope(w: Walker, withClause: WithClause | undefined, parent: Scope | undefined, kind: 'insert' | 'update' | 'delete' | 'merge'): { scope: Scope; level: number } {
  const scope = new Scope(parent, parent ? parent.level + 1 : 0, false, 'inner');
  const level = w.rec.tree.level(scope, kind);
  w.withClause(withClause, scope);
  return { scope, level };
}

/** The table written, as a relation of the scope (the first of its level in the query tree). */
function target(w: Walker, relation: RangeVar | undefined, scope: Scope, level: number): Rel {
  const rv = relation ?? {};
  const relname = rv.relname ?? '';
  const r = w.x.relation(rv.schemaname, relname, w.names);
  w.rec.addReference(rv.location, r.key, r.kind);
  w.rec.written.add(r.key);
  if (r.kind === 'unknown') w.rec.unknown.add(r.key);
  if (r.kind === 'view') w.rec.views.add(r.key);
  const cols = r.kind === 'table' ? w.x.columnsOf(r.key) : r.kind === 'view' ? w.x.viewColumns(r.key) : undefined;
  const rel: Rel = { id: w.newId(), name: rv.alias?.aliasname ?? relname, kind: r.kind, key: r.key, aliased: !!rv.alias, cols };
  scope.rels.push(rel);
  const name = rv.schemaname ? `${rv.schemaname}.${relname}` : relname;
  w.rec.tree.rel(scope, { id: rel.id, kind: r.kind === 'view' && !w.x.isMaterialized(r.key) ? 'view' : r.kind === 'view' ? 'table' : r.kind, key: r.key, name });
  w.rec.tree.dml(level, { target: rel.id });
  return rel;
}

/** The statement's write: its own when it is a modification, else the first data-modifying CTE's. */
function recordWrite(w: Walker, parent: Scope | undefined, facts: WriteFacts): void {
  if (!parent || !w.rec.write) w.rec.write = facts;
}

/** The write facts every statement kind has. */
function written(rel: Rel, columns: readonly string[]): Pick<WriteFacts, 'target' | 'targetKnown' | 'columns'> {
  return { target: rel.key!, targetKnown: rel.kind === 'table', columns: [...new Set(columns)].sort() };
}

function byColumn(a: InsertValue, b: InsertValue): number {
  return a.column < b.column ? -1 : a.column > b.column ? 1 : 0;
}

function returning(w: Walker, clause: ReturningClause | undefined, scope: Scope): void {
  const list = clause?.exprs ?? [];
  if (!list.length) return;
  w.rec.f.returning = true;
  for (const t of list) {
    const v = nodeAs(t, 'ResTarget')?.val;
    if (isStar(nodeAs(v, 'ColumnRef')?.fields)) continue;
    w.expr(v, makeCtx(scope, 'returning'));
  }
}

function insert(w: Walker, s: InsertStmt, parent?: Scope): number {
  const { scope, level } = statementScope(w, s.withClause, parent, 'insert');
  const targetScope = new Scope(scope, scope.level, false, 'inner');
  const rel = target(w, s.relation, targetScope, level);
  const listed = (s.cols ?? []).map((c) => nodeAs(c, 'ResTarget')?.name ?? '');
  const columns = listed.length ? listed : rel.cols ? [...rel.cols.keys()] : [];
  let values: InsertValue[] | undefined;
  let rows: number | undefined;
  let select: WriteFacts['select'];
  const sel = nodeAs(s.selectStmt, 'SelectStmt');
  if (sel && sel.valuesLists && !isSetOperation(sel)) {
    rows = sel.valuesLists.length;
    values = insertValues(w, sel.valuesLists, columns, scope);
  } else if (sel) {
    const out = w.select(sel, scope, scope.level, false, 'inner');
    if (out.level !== undefined) w.rec.tree.dml(level, { source: out.level });
    select = {
      tables: [...w.rec.read].sort(),
      columns: columns.map((column, i) => {
        const src = out.cols?.get(out.names[i]);
        return src ? { column, source: src } : { column };
      }),
    };
  } else {
    values = columns.map((column) => ({ column, value: 'default' as const }));
    rows = 1;
  }
  const onConflict = s.onConflictClause ? conflict(w, s.onConflictClause, rel, targetScope) : undefined;
  returning(w, s.returningClause, targetScope);
  w.rec.tree.dml(level, { setColumns: columns });
  recordWrite(w, parent, {
    ...written(rel, columns),
    ...(values ? { values: [...values].sort(byColumn) } : {}),
    ...(rows !== undefined ? { rows } : {}),
    ...(select ? { select } : {}),
    ...(onConflict ? { onConflict } : {}),
  });
  return level;
}

/** INSERT ... VALUES: per target column, the kind of value the rows give it and the constants among them. */
function insertValues(w: Walker, rows: readonly Node[], columns: readonly string[], scope: Scope): InsertValue[] {
  const perCol = columns.map(() => ({ kinds: new Set<ValueSource>(), consts: new Set<string>() }));
  for (const row of rows) {
    const items = nodeAs(row, 'List')?.items ?? [];
    items.forEach((it, i) => {
      const o = w.operand(it, makeCtx(scope, 'values'));
      const k: ValueSource = tagOf(it) === 'SetToDefault' ? 'default' : o.kind === 'column' ? 'expr' : o.kind;
      const slot = perCol[i];
      if (!slot) return;
      slot.kinds.add(k);
      if (o.kind === 'const') slot.consts.add(o.value);
    });
  }
  return columns.map((column, i) => {
    const k = perCol[i].kinds;
    const value: ValueSource = k.size === 1 ? [...k][0] : k.size === 0 ? 'default' : 'mixed';
    return { column, value, ...(perCol[i].consts.size ? { constants: [...perCol[i].consts].sort() } : {}) };
  });
}

/** ON CONFLICT: its inference columns, and what DO UPDATE sets (`excluded` is the row proposed). */
function conflict(w: Walker, oc: NonNullable<InsertStmt['onConflictClause']>, rel: Rel, targetScope: Scope): WriteFacts['onConflict'] {
  const excluded: Rel = { id: w.newId(), name: 'excluded', kind: 'derived', aliased: true, cols: rel.cols, qualifiedOnly: true };
  targetScope.rels.push(excluded);
  const inferCols: string[] = [];
  for (const e of oc.infer?.indexElems ?? []) {
    const ie = nodeAs(e, 'IndexElem');
    if (ie?.name) inferCols.push(ie.name);
    else if (ie?.expr) w.expr(ie.expr, makeCtx(targetScope, 'on-conflict'));
  }
  if (oc.infer?.whereClause) w.expr(oc.infer.whereClause, makeCtx(targetScope, 'on-conflict-where'));
  const set: string[] = [];
  const unchanged: string[] = [];
  for (const t of oc.targetList ?? []) {
    const rt = nodeAs(t, 'ResTarget');
    if (!rt) continue;
    if (rt.name) {
      set.push(rt.name);
      // SET c = excluded.c / t.c / c: the same attribute, so the value stays the conflicting row's
      const fields = nodeAs(rt.val, 'ColumnRef')?.fields;
      const last = fields ? nodeAs(fields[fields.length - 1], 'String')?.sval : undefined;
      if (last === rt.name && !rt.indirection?.length) unchanged.push(rt.name);
    }
    w.expr(rt.val, makeCtx(targetScope, 'on-conflict'));
  }
  if (oc.whereClause) w.expr(oc.whereClause, makeCtx(targetScope, 'on-conflict-where'));
  return {
    action: oc.action === 'ONCONFLICT_UPDATE' ? 'update' : 'nothing',
    columns: inferCols,
    set: [...new Set(set)].sort(),
    ...(unchanged.length ? { unchanged: [...new Set(unchanged)].sort() } : {}),
  };
}

function update(w: Walker, s: UpdateStmt, parent?: Scope): number {
  const { scope, level } = statementScope(w, s.withClause, parent, 'update');
  const rel = target(w, s.relation, scope, level);
  w.rec.tree.from(scope, { rel: rel.id });
  for (const item of s.fromClause ?? []) w.rec.tree.from(scope, w.fromItem(item, scope).node);
  if (s.whereClause) w.pred(s.whereClause, makeCtx(scope, 'where', { clause: 'where' }));
  const set: string[] = [];
  const values = new Map<string, InsertValue>();
  for (const t of s.targetList ?? []) {
    const rt = nodeAs(t, 'ResTarget');
    if (!rt) continue;
    if (rt.name) set.push(rt.name);
    const v = rt.val;
    const ctx = makeCtx(scope, 'set');
    let value: InsertValue | undefined;
    const m = nodeAs(v, 'MultiAssignRef');
    if (m) {
      // SET (a, b) = (x, y) gives each column its own item; SET (a, b) = (SELECT ...) is walked once.
      const row = nodeAs(m.source, 'RowExpr')?.args;
      if (row) value = setValue(w, rt, row[(m.colno ?? 1) - 1], rel, ctx);
      else if ((m.colno ?? 1) === 1) w.expr(m.source, ctx);
    } else value = setValue(w, rt, v, rel, ctx);
    if (rt.name && !values.has(rt.name)) values.set(rt.name, value ?? { column: rt.name, value: 'expr' });
  }
  returning(w, s.returningClause, scope);
  cartesianCheck(w, scope);
  const sorted = [...values.values()].sort(byColumn);
  w.rec.tree.dml(level, { setColumns: [...new Set(set)] });
  recordWrite(w, parent, { ...written(rel, set), ...(sorted.length ? { values: sorted } : {}) });
  return level;
}

/** The value an UPDATE assigns to one column: a constant, a parameter, the column itself, another column, or an expression. */
function setValue(w: Walker, rt: ResTarget, v: Node | undefined, target: Rel, ctx: Ctx): InsertValue {
  const column = rt.name ?? '';
  if (rt.indirection?.length || !v) {
    w.expr(v, ctx);
    return { column, value: 'expr' };
  }
  const o = w.operand(v, ctx);
  if (o.kind === 'const') return { column, value: 'const', constants: [o.value] };
  if (o.kind === 'param') return { column, value: 'param' };
  if (o.kind === 'column' && o.res.ref) {
    if (o.res.rel.id === target.id && o.res.ref.column === column) return { column, value: 'unchanged' };
    return { column, value: 'expr', source: o.res.ref };
  }
  return { column, value: 'expr' };
}

function remove(w: Walker, s: DeleteStmt, parent?: Scope): number {
  const { scope, level } = statementScope(w, s.withClause, parent, 'delete');
  const rel = target(w, s.relation, scope, level);
  w.rec.tree.from(scope, { rel: rel.id });
  for (const item of s.usingClause ?? []) w.rec.tree.from(scope, w.fromItem(item, scope).node);
  if (s.whereClause) w.pred(s.whereClause, makeCtx(scope, 'where', { clause: 'where' }));
  returning(w, s.returningClause, scope);
  cartesianCheck(w, scope);
  recordWrite(w, parent, written(rel, []));
  return level;
}

function merge(w: Walker, s: MergeStmt, parent?: Scope): number {
  const { scope, level } = statementScope(w, s.withClause, parent, 'merge');
  const rel = target(w, s.relation, scope, level);
  const right = w.fromItem(s.sourceRelation, scope);
  w.rec.tree.from(scope, { rel: rel.id });
  w.rec.tree.from(scope, right.node);
  if (s.joinCondition) {
    w.pred(s.joinCondition, makeCtx(scope, 'join', { clause: 'on', joinSource: 'on' }));
    const a = [...right.ids][0];
    if (a !== undefined) scope.union(rel.id, a);
  }
  const set: string[] = [];
  const updated: string[] = [];
  const values = new Map<string, InsertValue>();
  for (const wc of s.mergeWhenClauses ?? []) {
    const m = nodeAs(wc, 'MergeWhenClause');
    if (!m) continue;
    if (m.condition) w.expr(m.condition, makeCtx(scope, 'merge-when'));
    for (const t of m.targetList ?? []) {
      const rt = nodeAs(t, 'ResTarget');
      if (rt?.name) set.push(rt.name);
      if (rt?.name && m.commandType === 'CMD_UPDATE') {
        updated.push(rt.name);
        // What an UPDATE action gives a column, as UPDATE's SET does (the first action that sets it).
        const v = setValue(w, rt, rt.val, rel, makeCtx(scope, 'merge-when'));
        if (!values.has(rt.name)) values.set(rt.name, v);
      } else if (rt?.val) w.expr(rt.val, makeCtx(scope, 'merge-when'));
    }
    for (const v of m.values ?? []) w.expr(v, makeCtx(scope, 'merge-when'));
  }
  returning(w, s.returningClause, scope);
  const sorted = [...values.values()].sort(byColumn);
  recordWrite(w, parent, { ...written(rel, set), mergeUpdated: [...new Set(updated)].sort(), ...(sorted.length ? { values: sorted } : {}) });
  return level;
}
