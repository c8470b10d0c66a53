/**
 * Columns a table's CHECK constraints leave NULL by design: the rows belong
 * to one of several parents (`num_nonnulls(group_id, project_id) = 1`,
 * `(project_id IS NULL) <> (namespace_id IS NULL)`, `project_id IS NOT NULL
 * OR namespace_id IS NOT NULL`), or the column is set only for some of them
 * (`project_id IS NULL OR ...`). Such a column is no distribution column and
 * no backfill hop: the migration's SET NOT NULL would fail on every row that
 * belongs to another parent.
 *
 * Read from the CHECK's parse tree, evaluated in SQL's three-valued logic: a
 * column is optional by a CHECK that tests whether it is NULL and can pass
 * (true or NULL) with it NULL, for some NULL or non-NULL value of the other
 * columns the CHECK tests.
 */
import { partitionRoot } from '../catalog/index.js';
import type { Catalog, CheckConstraint, Table } from '../catalog/model.js';
import type { Node } from '../ingest/pg/ast.js';
import { columnRefFields, nodeAs, parseExpression, stringOf, stripCasts } from '../ingest/pg/index.js';

export interface OptionalKey {
  /** The constraint that lets the column be NULL. */
  readonly check: CheckConstraint;
  /** The partition the constraint is on, when it is a partition's (rows of that partition have the column NULL). */
  readonly partition?: string;
  /** The other columns one of which may be set while this one is NULL (the other parents of an either-or); empty when the rows that lack it lack them all. */
  readonly others: string[];
}

/** Truth values as a set: true, false, NULL. */
const T = 1;
const F = 2;
const N = 4;
const ANY = T | F | N;

/** What an expression may evaluate to: a set of truth values, or a value (an integer range when known) that is NULL never, always or maybe. */
type Abs = { readonly truth: number } | { readonly nulls: 'never' | 'always' | 'maybe'; readonly range?: readonly [number, number] };

const UNKNOWN: Abs = { nulls: 'maybe' };
/** Per comparison operator, whether it holds when the left side is less than, equal to, greater than the right. */
const HOLDS: Record<string, readonly [boolean, boolean, boolean]> = {
  '=': [false, true, false],
  '<>': [true, false, true],
  '!=': [true, false, true],
  '<': [true, false, false],
  '<=': [true, true, false],
  '>': [false, false, true],
  '>=': [false, true, true],
};
/** Past this many other tested columns the CHECK is not evaluated (2^n assignments). */
const MAX_OTHERS = 8;

function nullsOf(a: Abs): 'never' | 'always' | 'maybe' {
  if ('nulls' in a) return a.nulls;
  return a.truth === N ? 'always' : a.truth & N ? 'maybe' : 'never';
}

function each(mask: number): number[] {
  return [T, F, N].filter((v) => mask & v);
}

function and(a: number, b: number): number {
  if (a === F || b === F) return F;
  if (a === N || b === N) return N;
  return T;
}

function or(a: number, b: number): number {
  if (a === T || b === T) return T;
  if (a === N || b === N) return N;
  return F;
}

/** NOT over a set of truth values. */
const flip = (mask: number) => each(mask).reduce((m, x) => m | (x === T ? F : x === F ? T : N), 0);

function combine(masks: number[], op: (a: number, b: number) => number): number {
  let acc = masks[0];
  for (const m of masks.slice(1)) {
    let next = 0;
    for (const x of each(acc)) for (const y of each(m)) next |= op(x, y);
    acc = next;
  }
  return acc;
}

/** As a truth value: a boolean expression's set, anything else unknown (NULL only when it is NULL). */
function truthOf(a: Abs): number {
  if ('truth' in a) return a.truth;
  return a.nulls === 'always' ? N : a.nulls === 'never' ? T | F : ANY;
}

function compare(op: string, l: Abs, r: Abs): number {
  const ln = nullsOf(l);
  const rn = nullsOf(r);
  if (ln === 'always' || rn === 'always') return N;
  const maybeNull = ln === 'maybe' || rn === 'maybe' ? N : 0;
  if ('range' in l && 'range' in r && l.range && r.range) {
    const [a, b] = l.range;
    const [c, d] = r.range;
    // some x in [a, b] and y in [c, d] with x < y, x = y, x > y
    const can = ([lt, eq, gt]: readonly boolean[]) => (lt && a < d) || (eq && a <= d && c <= b) || (gt && b > c);
    return (can(HOLDS[op]) ? T : 0) | (can(HOLDS[op].map((x) => !x)) ? F : 0) | maybeNull;
  }
  if ('truth' in l && 'truth' in r && (op === '=' || op === '<>' || op === '!=')) {
    let out = 0;
    for (const x of each(l.truth)) for (const y of each(r.truth)) out |= x === N || y === N ? N : (x === y) === (op === '=') ? T : F;
    return out;
  }
  return T | F | maybeNull;
}

function evaluate(node: Node | undefined, isNull: (column: string) => boolean | undefined): Abs {
  const n = stripCasts(node);
  const ref = nodeAs(n, 'ColumnRef');
  if (ref) {
    const v = isNull(columnRefFields(ref).at(-1) ?? '');
    return { nulls: v === undefined ? 'maybe' : v ? 'always' : 'never' };
  }
  const c = nodeAs(n, 'A_Const');
  if (c) {
    if (c.isnull) return { nulls: 'always' };
    if (c.boolval) return { truth: c.boolval.boolval ? T : F };
    if (c.ival) return { nulls: 'never', range: [c.ival.ival ?? 0, c.ival.ival ?? 0] };
    return { nulls: 'never' };
  }
  const test = nodeAs(n, 'NullTest');
  if (test) {
    const v = nullsOf(evaluate(test.arg, isNull));
    const isNullResult = v === 'always' ? T : v === 'never' ? F : T | F;
    return { truth: test.nulltesttype === 'IS_NOT_NULL' ? flip(isNullResult) : isNullResult };
  }
  const bool = nodeAs(n, 'BoolExpr');
  if (bool) {
    const args = (bool.args ?? []).map((a) => truthOf(evaluate(a, isNull)));
    if (bool.boolop === 'NOT_EXPR') return { truth: flip(args[0] ?? ANY) };
    return { truth: combine(args, bool.boolop === 'AND_EXPR' ? and : or) };
  }
  const fn = nodeAs(n, 'FuncCall');
  if (fn) {
    const name = stringOf(fn.funcname?.at(-1));
    if (name === 'num_nulls' || name === 'num_nonnulls') {
      const states = (fn.args ?? []).map((a) => nullsOf(evaluate(a, isNull)));
      const sure = states.filter((s) => s === (name === 'num_nulls' ? 'always' : 'never')).length;
      const maybe = states.filter((s) => s === 'maybe').length;
      return { nulls: 'never', range: [sure, sure + maybe] };
    }
    return UNKNOWN;
  }
  const expr = nodeAs(n, 'A_Expr');
  if (expr) {
    const op = stringOf(expr.name?.at(-1));
    const l = evaluate(expr.lexpr, isNull);
    const r = evaluate(expr.rexpr, isNull);
    if (expr.kind === 'AEXPR_OP' && Object.hasOwn(HOLDS, op)) return { truth: compare(op, l, r) };
    if (expr.kind === 'AEXPR_DISTINCT' || expr.kind === 'AEXPR_NOT_DISTINCT') {
      const [ln, rn] = [nullsOf(l), nullsOf(r)];
      const same = ln === 'always' && rn === 'always' ? T : (ln === 'always' && rn === 'never') || (ln === 'never' && rn === 'always') ? F : T | F;
      return { truth: expr.kind === 'AEXPR_NOT_DISTINCT' ? same : flip(same) };
    }
  }
  return UNKNOWN;
}

/** The columns whose NULL-ness the expression tests: IS [NOT] NULL, IS [NOT] DISTINCT FROM NULL, num_nulls / num_nonnulls. */
function nullTested(node: Node | undefined, out = new Set<string>()): Set<string> {
  const n = stripCasts(node);
  const column = (x: Node | undefined) => {
    const ref = nodeAs(stripCasts(x), 'ColumnRef');
    const name = ref && columnRefFields(ref).at(-1);
    if (name) out.add(name);
  };
  const test = nodeAs(n, 'NullTest');
  if (test) column(test.arg);
  const fn = nodeAs(n, 'FuncCall');
  if (fn && ['num_nulls', 'num_nonnulls'].includes(stringOf(fn.funcname?.at(-1)))) for (const a of fn.args ?? []) column(a);
  const expr = nodeAs(n, 'A_Expr');
  if (expr?.kind === 'AEXPR_DISTINCT' || expr?.kind === 'AEXPR_NOT_DISTINCT') {
    if (nodeAs(stripCasts(expr.rexpr), 'A_Const')?.isnull) column(expr.lexpr);
    if (nodeAs(stripCasts(expr.lexpr), 'A_Const')?.isnull) column(expr.rexpr);
  }
  for (const child of [...(nodeAs(n, 'BoolExpr')?.args ?? []), ...(expr ? [expr.lexpr, expr.rexpr] : [])]) nullTested(child, out);
  return out;
}

/**
 * Whether the table's CHECKs let `column` be NULL by design: taken together
 * (a staged `CHECK (x IS NOT NULL)` next to an either-or keeps it set), they
 * can all pass with it NULL. The constraint named is the one that weighs it
 * against other columns, else the first that tests it. For a partitioned
 * table, each of its `partitions` too: a partition whose CHECKs leave the
 * column NULL (`num_nonnulls(namespace_id, project_id) = 0` for the rows of
 * no project) holds rows without it.
 */
export function optionalKeyOf(t: Table, column: string, partitions: readonly Table[] = []): OptionalKey | undefined {
  const own = checkedOptional(t, column);
  if (own) return own;
  for (const p of partitions) {
    const found = checkedOptional(p, column);
    if (found) return { ...found, partition: p.key };
  }
  return undefined;
}

/** Per partitioned table (its root), the partitions under it, sorted by key. */
export function partitionsByRoot(catalog: Catalog): Map<string, Table[]> {
  const out = new Map<string, Table[]>();
  for (const t of Object.values(catalog.tables)) {
    if (!t.partitionOf) continue;
    const root = partitionRoot(catalog, t.key);
    const list = out.get(root);
    if (list) list.push(t);
    else out.set(root, [t]);
  }
  for (const list of out.values()) list.sort((a, b) => (a.key < b.key ? -1 : 1));
  return out;
}

function checkedOptional(t: Table, column: string): OptionalKey | undefined {
  const col = t.columns.find((c) => c.name === column);
  if (!col || col.notNull || t.primaryKey?.columns.includes(column)) return undefined;
  const tests: Array<{ check: CheckConstraint; tree: Node; others: string[] }> = [];
  for (const check of t.checks) {
    if (!/null/i.test(check.expression) || !check.expression.includes(column)) continue;
    const tree = parseExpression(check.expression);
    const tested = tree ? nullTested(tree) : undefined;
    if (tree && tested?.has(column)) tests.push({ check, tree, others: [...tested].filter((c) => c !== column).sort() });
  }
  if (!tests.length) return undefined;
  const others = [...new Set(tests.flatMap((x) => x.others))].sort();
  if (others.length > MAX_OTHERS) return undefined;
  // Bit i set: the i-th other column NULL. All clear first: the column NULL while the others are set.
  const all = (1 << others.length) - 1;
  let passes = false;
  for (let bits = 0; bits <= all; bits++) {
    const isNull = (c: string) => (c === column ? true : others.includes(c) ? ((bits >> others.indexOf(c)) & 1) === 1 : undefined);
    if (!tests.every((x) => truthOf(evaluate(x.tree, isNull)) & (T | N))) continue;
    if (bits !== all) {
      const named = tests.find((x) => x.others.length) ?? tests[0];
      return { check: named.check, others: named.others };
    }
    passes = true;
  }
  // NULL only with the others NULL too (`num_nonnulls(a, b) = 0`): rows of no parent, not of another.
  return passes ? { check: tests[0].check, others: [] } : undefined;
}
