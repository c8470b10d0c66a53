/**
 * Query levels and the relations they see: a `Scope` per SELECT (or DML)
 * level, the FROM items (`Rel`) in it with their output columns, the CTEs it
 * defines, and what a query level outputs. Plain data and small operations
 * on it; the walk fills them.
 */
import type { Node } from '../../ingest/pg/ast.js';
import type { ColumnRef, JoinType, UnresolvedColumn } from '../model.js';

/** Output column name -> the base column it shows (null: computed). */
export type ColMap = Map<string, ColumnRef | null>;

export interface Rel {
  readonly id: number;
  /** The name a qualified reference uses: alias, else the relation name. */
  readonly name: string;
  readonly kind: 'table' | 'view' | 'cte' | 'derived' | 'function' | 'unknown' | 'join';
  /** Catalog key (tables, views) or qualified name as written (unknown). */
  readonly key?: string;
  readonly aliased: boolean;
  /** Output columns -> base column (null: computed); undefined: columns not known. */
  readonly cols?: ColMap;
  /** A join alias: reachable only by its name. */
  readonly qualifiedOnly?: boolean;
  /** A join alias: which member relation shows each of its columns, under which name. */
  readonly members?: ReadonlyMap<string, { readonly id: number; readonly column: string }>;
}

/** What a query level outputs. */
export interface Output {
  readonly names: string[];
  /** undefined when the output is not fully known (a `*` over a view, ...). */
  readonly cols?: ColMap;
  /** The query level (of the statement's query tree) that makes it. */
  readonly level?: number;
}

export interface Cte {
  out?: Output;
  /** FROM references to it. */
  refs: number;
  /** MATERIALIZED / NOT MATERIALIZED as written. */
  readonly materialized?: boolean;
  /** WITH RECURSIVE whose body refers to itself. */
  readonly recursive?: boolean;
  /** INSERT/UPDATE/DELETE/MERGE body: never inlined. */
  readonly modifying?: boolean;
  /** In the query tree: the level whose WITH defines it, its name, and its body's level. */
  tree?: { readonly level: number; readonly name: string; query?: number };
}

/** An output column of the select list: its name, and its expression unless it came from a `*`. */
export interface Target {
  readonly name: string;
  readonly node?: Node;
  /** A column a `*` expanded to: the relation and the column's name in it. */
  readonly star?: { readonly id: number; readonly column: string };
}

export class Scope {
  readonly rels: Rel[] = [];
  readonly ctes = new Map<string, Cte>();
  readonly merged = new Set<string>();
  /** Union-find over rel ids: which FROM items are linked by a join condition. */
  readonly link = new Map<number, number>();
  correlated = false;
  /** Output columns (for GROUP BY / ORDER BY by name or position). */
  targets: Target[] = [];

  constructor(
    readonly parent: Scope | undefined,
    readonly level: number,
    /** A non-lateral derived table does not see its parent's FROM items (but sees its CTEs and outer levels). */
    readonly hideParentRels: boolean,
    /** Join type of equalities correlating this scope to an outer one. */
    readonly corrJoin: JoinType,
  ) {}

  find(id: number): number {
    let r = id;
    while (this.link.has(r) && this.link.get(r) !== r) r = this.link.get(r)!;
    return r;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.link.set(Math.max(ra, rb), Math.min(ra, rb));
  }
  cte(name: string): Cte | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const c = s.ctes.get(name);
      if (c) return c;
    }
    return undefined;
  }
}

/** A column reference resolved to the relation that has it. */
export interface Resolved {
  readonly rel: Rel;
  readonly scope: Scope;
  /** The column's name in `rel`. */
  readonly column: string;
  readonly ref: ColumnRef | null;
  /** Levels up from the scope of the reference (0 = same query level). */
  readonly depth: number;
}

/** Why a column of this relation cannot be resolved to a base column. */
export function reasonFor(r: Rel): UnresolvedColumn['reason'] {
  return r.kind === 'view' ? 'view-column' : r.kind === 'function' ? 'function-column' : 'unknown-relation';
}

/** An output renamed by a column alias list (`AS x(a, b)`, `WITH c(a, b)`, `CREATE VIEW v(a, b)`). */
export function rename(out: Output, aliases: readonly string[]): Output {
  if (!aliases.length) return out;
  const names = out.names.map((n, i) => aliases[i] ?? n);
  for (let i = out.names.length; i < aliases.length; i++) names.push(aliases[i]);
  if (!out.cols) return { names };
  const cols: ColMap = new Map();
  out.names.forEach((n, i) => {
    const nn = aliases[i] ?? n;
    if (!cols.has(nn)) cols.set(nn, out.cols!.get(n) ?? null);
  });
  return { names, cols };
}

/** A set operation's output: the left branch's names; a base column only where both branches agree. */
export function combine(l: Output, r: Output): Output {
  if (!l.cols) return { names: l.names };
  const cols: ColMap = new Map();
  l.names.forEach((n, i) => {
    const a = l.cols!.get(n) ?? null;
    const b = r.cols?.get(r.names[i]) ?? null;
    if (!cols.has(n)) cols.set(n, a && b && a.table === b.table && a.column === b.column ? a : null);
  });
  return { names: l.names, cols };
}
