/**
 * What UPDATE and DELETE do to the rows the model knows of: which columns'
 * NULLs a statement clears or adds, and when it empties a table. PostgreSQL
 * semantics, no Citus rule: the planner's checks of these statements are the
 * router's (route.ts).
 */
import type { Table } from '../../catalog/model.js';
import type { DeleteStmt, Node, RangeVar, UpdateStmt } from '../../ingest/pg/ast.js';
import { nodeAs, someNode, stringOf, stripCasts } from '../../ingest/pg/index.js';
import { isMetadataTable } from './citus-catalog.js';
import { checkUpdateTargets } from './postgres-rewrite.js';
import { deleteHeld, updateHeld } from './row-changes.js';
import type { ClusterState } from './state.js';

/** Can an expression yield NULL: never, always, or depending on the rows. */
type Nullness = 'never' | 'null' | 'maybe';

/** A range variable's alias -> table key ('' when not a table the model knows). */
type RangeVars = Map<string, string>;

/** The table column a column reference names. */
interface ColumnOf {
  readonly alias: string;
  readonly table: string;
  readonly column: string;
}

const NO_VARIABLES: ReadonlySet<string> = new Set();

export function update(s: ClusterState, body: UpdateStmt): void {
  if (metadataChange(s, body.relation, 'UPDATE')) return;
  checkUpdateTargets(s.mustTable(body.relation), body);
  updateRows(s, body);
  updateHeld(s, body);
}

export function deleteFrom(s: ClusterState, body: DeleteStmt): void {
  if (metadataChange(s, body.relation, 'DELETE')) return;
  s.mustTable(body.relation);
  deleteRows(s, body);
  deleteHeld(s, body);
}

/** A change to Citus's metadata tables by hand: the model cannot follow it, and says so. */
export function metadataChange(s: ClusterState, rv: RangeVar | undefined, what: string): boolean {
  if (!isMetadataTable(rv)) return false;
  s.notModelled = `${what} on ${rv?.relname}, Citus's own metadata, is not modelled`;
  return true;
}

/**
 * UPDATE: which columns' NULLs it clears or adds. `SET c = <never NULL>`
 * clears c's NULLs when it reaches every row where c is NULL: no WHERE, or
 * a WHERE made of `c IS NULL` (or an OR holding it) and join equalities of
 * UPDATE ... FROM whose columns hold no NULL (rows without a match keep
 * NULL; a join on a column with NULLs cannot reach them all). `SET c = NULL`
 * adds NULLs. Conditions on `variables` (a routine's batch bounds) are
 * dropped: the routine repeats the statement until it is done.
 */
export function updateRows(s: ClusterState, body: UpdateStmt, variables: ReadonlySet<string> = NO_VARIABLES): void {
  const key = s.relationKey(body.relation);
  const t = s.builder.peekTable(key);
  const d = s.data.get(key);
  if (!t || !d || d.rows === 0) return;
  const vars = rangeVars(s, body.relation, body.fromClause);
  const target = targetAlias(body.relation);
  const conj = conjuncts(body.whereClause).filter((c) => !mentions(c, variables));
  const from = [...vars.entries()].filter(([a]) => a !== target);
  const fromEmpty = from.some(([, k]) => k && s.data.get(k)?.rows === 0);
  const joinOk = (c: Node): boolean => {
    const a = nodeAs(c, 'A_Expr');
    if (!a || a.kind !== 'AEXPR_OP' || stringOf(a.name?.[0]) !== '=') return false;
    const l = columnOf(s, a.lexpr, vars);
    const r = columnOf(s, a.rexpr, vars);
    return !!l && !!r && l.alias !== r.alias && !!l.table && !!r.table && !s.hasNulls(l.table, l.column) && !s.hasNulls(r.table, r.column);
  };
  const reachesNullRows = (col: string): boolean => {
    if (fromEmpty) return false;
    return conj.every((c) => isNullTestOf(c, col, target, t) || (from.length > 0 && joinOk(c)));
  };
  const updated = new Map<string, number | undefined>();
  for (const tgt of body.targetList ?? []) {
    const rt = nodeAs(tgt, 'ResTarget');
    const col = rt?.name ?? '';
    const c = t.columns.find((x) => x.name === col);
    if (!rt || rt.indirection || !c) continue;
    const value: Nullness = nodeAs(rt.val, 'SetToDefault') ? (c.default || c.identity || c.generated ? 'never' : 'null') : nullness(s, rt.val, vars);
    const existing = d.firstNull[col];
    if (value === 'never') updated.set(col, reachesNullRows(col) ? undefined : existing);
    else if (value === 'null') updated.set(col, conj.length || from.length ? Math.min(existing ?? Infinity, d.rows - 1) : 0);
    else {
      // NULL for the rows where the source is NULL: the source's first NULL when every row is updated in place
      const src = columnOf(s, rt.val, vars);
      const srcFirst = src && src.alias === target ? d.firstNull[src.column] : undefined;
      updated.set(col, existing ?? (!conj.length && !from.length && srcFirst !== undefined ? srcFirst : d.rows - 1));
    }
  }
  for (const [col, first] of updated) {
    if (first === undefined) delete d.firstNull[col];
    else d.firstNull[col] = first;
  }
}

/** DELETE: no WHERE empties the table; `WHERE c IS NULL` (or an OR holding it) removes c's NULLs. */
export function deleteRows(s: ClusterState, body: DeleteStmt, variables: ReadonlySet<string> = NO_VARIABLES): void {
  const key = s.relationKey(body.relation);
  const t = s.builder.peekTable(key);
  if (!t) return;
  const conj = conjuncts(body.whereClause).filter((c) => !mentions(c, variables));
  if (!conj.length && !body.usingClause?.length) {
    s.data.set(key, { rows: 0, firstNull: {}, held: s.data.get(key)?.held });
    return;
  }
  const d = s.data.get(key);
  if (!d?.rows || conj.length !== 1) return;
  const target = targetAlias(body.relation);
  for (const col of t.columns.map((c) => c.name)) {
    if (d.firstNull[col] === undefined || !isNullTestOf(conj[0], col, target, t)) continue;
    if (d.rows === 1) {
      s.data.set(key, { rows: 0, firstNull: {}, held: d.held });
      return;
    }
    delete d.firstNull[col];
  }
}

function targetAlias(rv: RangeVar | undefined): string {
  return rv?.alias?.aliasname ?? rv?.relname ?? '';
}

/** The range variables of an UPDATE/DELETE: the target, then FROM / USING (joins walked through). */
function rangeVars(s: ClusterState, target: RangeVar | undefined, from: readonly Node[] | undefined): RangeVars {
  const out: RangeVars = new Map();
  const add = (rv: RangeVar) => {
    const key = s.relationKey(rv);
    out.set(rv.alias?.aliasname ?? rv.relname ?? '', s.builder.peekTable(key) ? key : '');
  };
  if (target) add(target);
  const stack = [...(from ?? [])].reverse();
  for (let n = stack.pop(); n; n = stack.pop()) {
    const rv = nodeAs(n, 'RangeVar');
    const join = nodeAs(n, 'JoinExpr');
    const sub = nodeAs(n, 'RangeSubselect');
    if (rv) add(rv);
    else if (join) stack.push(...[join.larg, join.rarg].filter((x): x is Node => !!x).reverse());
    else if (sub?.alias?.aliasname) out.set(sub.alias.aliasname, '');
  }
  return out;
}

/** The table column a column reference names among the range variables; undefined for anything else (a variable, an expression). */
function columnOf(s: ClusterState, node: Node | undefined, vars: RangeVars): ColumnOf | undefined {
  const fields = nodeAs(stripCasts(node), 'ColumnRef')?.fields;
  if (!fields || !fields.every((f) => nodeAs(f, 'String'))) return undefined;
  const names = fields.map(stringOf);
  const column = names[names.length - 1];
  if (names.length >= 2) {
    const alias = names[names.length - 2];
    return vars.has(alias) ? { alias, table: vars.get(alias)!, column } : undefined;
  }
  for (const [alias, table] of vars) {
    if (table && s.builder.peekTable(table)?.columns.some((c) => c.name === column)) return { alias, table, column };
  }
  return undefined;
}

/** Can `n` yield NULL for some row? */
function nullness(s: ClusterState, n: Node | undefined, vars: RangeVars): Nullness {
  const of = (x: Node | undefined) => nullness(s, x, vars);
  const all = (xs: Nullness[]): Nullness => (xs.every((x) => x === 'never') ? 'never' : xs.every((x) => x === 'null') ? 'null' : 'maybe');
  const cast = nodeAs(n, 'TypeCast');
  if (cast) return of(cast.arg);
  const c = nodeAs(n, 'A_Const');
  if (c) return c.isnull ? 'null' : 'never';
  if (nodeAs(n, 'ColumnRef')) {
    const ref = columnOf(s, n, vars);
    if (!ref || !ref.table) return 'maybe';
    return s.hasNulls(ref.table, ref.column) ? 'maybe' : 'never';
  }
  const coalesce = nodeAs(n, 'CoalesceExpr');
  if (coalesce) {
    const xs = (coalesce.args ?? []).map(of);
    return xs.includes('never') ? 'never' : xs.every((x) => x === 'null') ? 'null' : 'maybe';
  }
  if (nodeAs(n, 'SetToDefault')) return 'maybe'; // resolved by the caller, which knows the column
  if (nodeAs(n, 'SQLValueFunction') || nodeAs(n, 'NullTest') || nodeAs(n, 'BooleanTest')) return 'never';
  const fc = nodeAs(n, 'FuncCall');
  if (fc) {
    if (stringOf(fc.funcname?.[fc.funcname.length - 1]) === 'nullif') return 'maybe';
    const xs = (fc.args ?? []).map(of);
    return xs.includes('null') || xs.includes('maybe') ? 'maybe' : 'never';
  }
  const ax = nodeAs(n, 'A_Expr');
  if (ax) {
    const xs = [ax.lexpr, ax.rexpr].filter((x): x is Node => !!x).map((x) => (nodeAs(x, 'List') ? 'maybe' : of(x)));
    return xs.includes('null') ? 'null' : all(xs) === 'never' ? 'never' : 'maybe';
  }
  const ce = nodeAs(n, 'CaseExpr');
  if (ce) {
    if (!ce.defresult) return 'maybe';
    return all([...(ce.args ?? []).map((w) => of(nodeAs(w, 'CaseWhen')?.result)), of(ce.defresult)]);
  }
  return 'maybe';
}

/** The top-level AND terms of a WHERE clause. */
function conjuncts(where: Node | undefined): Node[] {
  const out: Node[] = [];
  const stack = where ? [where] : [];
  for (let n = stack.pop(); n; n = stack.pop()) {
    const b = nodeAs(n, 'BoolExpr');
    if (b?.boolop === 'AND_EXPR') stack.push(...[...(b.args ?? [])].reverse());
    else out.push(n);
  }
  return out;
}

/** Does the expression name one of `names` as a bare identifier (a routine variable)? */
function mentions(node: Node, names: ReadonlySet<string>): boolean {
  if (!names.size) return false;
  return someNode(node, (tag, _body, n) => {
    const f = tag === 'ColumnRef' ? nodeAs(n, 'ColumnRef')?.fields : undefined;
    return f?.length === 1 && names.has(stringOf(f[0]));
  });
}

/** Is `cond` `col IS NULL` on the target (or an OR with such a branch), so that it holds on every row where col is NULL? */
function isNullTestOf(cond: Node | undefined, col: string, alias: string, t: Table): boolean {
  const or = nodeAs(cond, 'BoolExpr');
  if (or?.boolop === 'OR_EXPR') return (or.args ?? []).some((a) => isNullTestOf(a, col, alias, t));
  const nt = nodeAs(cond, 'NullTest');
  if (!nt || nt.nulltesttype !== 'IS_NULL') return false;
  const names = (nodeAs(nt.arg, 'ColumnRef')?.fields ?? []).map(stringOf);
  if (names[names.length - 1] !== col || !t.columns.some((c) => c.name === col)) return false;
  return names.length === 1 || names[names.length - 2] === alias;
}
