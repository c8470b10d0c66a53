/**
 * The walk's shared vocabulary: the context an expression is walked in, what
 * an operand turned out to be, how names resolve, and the `Walker` through
 * which each statement family's module calls the others (so that the
 * modules, mutually recursive as SQL is, import none of each other).
 */
import type { Node, SelectStmt, SubLink, WindowDef, WithClause } from '../../ingest/pg/ast.js';
import { nodeAs, tagOf } from '../../ingest/pg/nodes.js';
import type { ColumnRef, FilterClause, JoinSource, JoinType, OrArm, Place, QueryTree, TreeJoin, ValueKind, Volatility } from '../model.js';
import type { FactRecorder } from './recorder.js';
import type { ColMap, Output, Resolved, Scope } from './scope.js';

/** A GROUP BY / ORDER BY / DISTINCT ON / PARTITION BY item: its base column, and how it resolved. */
export interface KeyColumn {
  readonly ref?: ColumnRef;
  readonly res?: Resolved;
}

/** A FROM item walked: the ids of the relations in it, and its node in the query tree's join tree. */
export interface FromItem {
  readonly ids: Set<number>;
  readonly node: TreeJoin;
}

/** How one statement's unqualified names resolve. */
export interface Names {
  readonly path: readonly string[];
  /** Preferred keys by relation name (a catalog view's query, as the catalog resolved it). */
  readonly hints?: ReadonlyMap<string, string>;
  /** The single schema tried last (see `assumeSingleSchema`). */
  readonly fallback?: string;
  /** Set when the fallback schema resolved a name. */
  usedFallback?: boolean;
}

/** What the walk asks of the catalog (the extractor answers, with its caches). */
export interface Resolver {
  /** A relation name as a catalog key, and what the key is. */
  relation(schema: string | undefined, name: string, names: Names): { key: string; kind: 'table' | 'view' | 'unknown' };
  /** A table's columns, each its own base column. */
  columnsOf(key: string): ColMap;
  /** Output columns of a view whose query is known (materialized views excepted). */
  viewColumns(key: string): ColMap | undefined;
  /** The base tables a view reads. */
  viewTables(key: string): string[];
  /** A view's query tree; null when its query is not known. */
  viewTree(key: string): QueryTree | null;
  /** A materialized view (it holds rows of its own: a relation, not a query). */
  isMaterialized(key: string): boolean;
  functionInfo(parts: string[], names: Names): { name: string; volatility: Volatility; aggregate: boolean };
}

/** Where an expression is walked. */
export interface Ctx {
  readonly scope: Scope;
  readonly place: Place;
  readonly clause?: FilterClause;
  readonly underOr: boolean;
  /** Under an arm of a top-level OR (not under a nested one): which. */
  readonly orArm?: OrArm;
  readonly negated: boolean;
  readonly inCase: boolean;
  readonly joinType: JoinType;
  readonly joinSource: JoinSource;
  /** For an outer join's ON: the rel ids of its left side. */
  readonly leftSide?: ReadonlySet<number>;
  /** In a join's ON: the join's node id in the query tree. */
  readonly join?: number;
  /** A subquery walked as a condition by itself (not as an operand). */
  readonly asCondition?: boolean;
  /** Columns met while walking an operand. */
  readonly sink?: Resolved[];
}

/** One side of a comparison. */
export type Operand =
  | { kind: 'column'; res: Resolved; cols: Resolved[] }
  | { kind: 'const'; value: string; cols: Resolved[] }
  | { kind: 'param'; cols: Resolved[] }
  | { kind: 'expr'; cols: Resolved[] };

/**
 * One statement's walk, as the statement families see it: its state, and
 * the entry points of every family. `select`, `fromItem`, `pred`, `expr`,
 * `sublink` and `modify` each descend a level, counted against the nesting
 * limit (see walk.ts); the others pass through to them.
 */
export interface Walker {
  readonly x: Resolver;
  readonly names: Names;
  readonly rec: FactRecorder;
  /** A fresh relation id. */
  newId(): number;
  /** A SELECT at `level`, seen from `parent`: its output columns. */
  select(s: SelectStmt | undefined, parent: Scope | undefined, level: number, hideParentRels: boolean, corr: JoinType): Output;
  /** A subquery node (`{ SelectStmt }`) one level below `scope`: its output and whether it is correlated. */
  selectNode(q: Node | undefined, scope: Scope, hide: boolean, corr: JoinType): { out: Output; correlated: boolean };
  withClause(w: WithClause | undefined, scope: Scope): void;
  /** An INSERT/UPDATE/DELETE/MERGE, at the top (no parent) or as a CTE body: its query level. */
  modify(stmt: Node, parent?: Scope): number | undefined;
  /** A FROM item's relations, added to the scope: their ids, and the item's join-tree node. */
  fromItem(n: Node | undefined, scope: Scope): FromItem;
  /** A boolean condition. */
  pred(n: Node, ctx: Ctx): void;
  operand(n: Node | undefined, ctx: Ctx): Operand;
  sublink(s: SubLink, ctx: Ctx): Operand;
  /** Any expression (or list of them). */
  expr(n: Node | readonly Node[] | undefined, ctx: Ctx): void;
  windowDef(w: WindowDef | undefined, scope: Scope): void;
  /** A GROUP BY / ORDER BY / DISTINCT ON / PARTITION BY item: its base column when it is a plain one. */
  keyColumn(n: Node | undefined, scope: Scope, place: Place): KeyColumn;
}

export function makeCtx(scope: Scope, place: Place, extra: Partial<Ctx> = {}): Ctx {
  return { scope, place, underOr: false, negated: false, inCase: false, joinType: 'inner', joinSource: 'where', ...extra };
}

/** The expression under any casts. */
export function stripCast(n: Node | undefined): Node | undefined {
  let p = n;
  for (let c = nodeAs(p, 'TypeCast'); c; c = nodeAs(p, 'TypeCast')) p = c.arg;
  return p;
}

/** True for `*` and `t.*`. */
export function isStar(fields: readonly Node[] | undefined): boolean {
  return !!fields?.length && tagOf(fields[fields.length - 1]) === 'A_Star';
}

export function valueKind(o: Operand): ValueKind {
  return o.kind === 'const' ? 'const' : o.kind === 'param' ? 'param' : 'expr';
}
