/**
 * Citus's relation restriction equivalence (relation_restriction_equivalence.c):
 * whether the distribution columns of a query's distributed relations are all
 * equal to each other, through the equalities PostgreSQL's planner holds:
 * the equivalence classes of each planner level (equalities in WHERE and
 * inner-join ON, semi joins, correlated subqueries through their parameters,
 * equal constants) and the join restrictions of outer and anti joins, with a
 * column of a subquery followed down to the column it shows
 * (AddRteSubqueryToAttributeEquivalenceClass), through every branch of a
 * UNION. Only distribution columns join the classes Citus builds, so an
 * outer join's equality links two tables only when it is on both keys.
 */
import type { Layout } from './layout.js';
import { joinType, plannerLevels, sublinkJoin } from './prep.js';
import { allQueries, leftmost, setLeaves, tableRels, type Col, type Query, type Rel } from './query.js';

type Edge = readonly [string, string];

class UnionFind {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let r = x;
    for (let p = this.parent.get(r); p !== undefined && p !== r; p = this.parent.get(r)) r = p;
    // path compression
    let c = x;
    while (c !== r) {
      const next = this.parent.get(c)!;
      this.parent.set(c, r);
      c = next;
    }
    return r;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

export const colKey = (c: Col): string => `${c.rel}|${c.column}`;

export class Equivalence {
  /** Per planner level: equalities that form equivalence classes (any columns, constants). */
  private readonly ecEdges = new Map<Query, Edge[]>();
  /** Per planner level: equalities that are only join restrictions (outer and anti joins). */
  private readonly restrictionEdges = new Map<Query, Array<readonly [Col, Col]>>();
  private readonly relById = new Map<number, Rel>();
  readonly levels: Map<Query, Query>;
  private readonly ownerOfRel = new Map<number, Query>();

  constructor(
    root: Query,
    private readonly layout: Layout,
  ) {
    this.levels = plannerLevels(root);
    const all = allQueries(root);
    for (const q of all) for (const r of q.rels) {
      this.relById.set(r.id, r);
      this.ownerOfRel.set(r.id, q);
    }
    const anti = new Set<Query>();
    for (const q of all) for (const s of q.sublinks) if (sublinkJoin(q, s) === 'anti') anti.add(s.query);
    for (const q of all) this.collect(q, anti.has(q));
  }

  /** The planner level of the query that holds a FROM item. */
  levelOfRel(rel: number): Query | undefined {
    const q = this.ownerOfRel.get(rel);
    return q ? this.levels.get(q) : undefined;
  }

  private collect(q: Query, antiJoined: boolean): void {
    const level = this.levels.get(q) ?? q;
    const ec = this.ecEdges.get(level) ?? [];
    const rs = this.restrictionEdges.get(level) ?? [];
    this.ecEdges.set(level, ec);
    this.restrictionEdges.set(level, rs);
    for (const e of q.equalities) {
      if (e.underOr || e.negated) continue;
      let forms: 'ec' | 'restriction' | undefined;
      if (e.clause === 'where') forms = antiJoined ? 'restriction' : 'ec';
      else if (e.clause === 'on') forms = joinType(q, e.join) === 'inner' && !antiJoined ? 'ec' : 'restriction';
      if (forms === 'ec') ec.push([colKey(e.a), colKey(e.b)]);
      else if (forms === 'restriction') rs.push([e.a, e.b]);
    }
    for (const f of q.filters) {
      if (f.underOr || f.negated || f.op !== '=' || f.value !== 'const' || !f.values?.length) continue;
      if (f.clause === 'where' || (f.clause === 'on' && joinType(q, f.join) === 'inner')) ec.push([colKey(f.column), `const|${level.id}|${f.values[0]}`]);
    }
    for (const s of q.sublinks) {
      if (sublinkJoin(q, s) !== 'semi' || s.kind !== 'in' || !s.test) continue;
      s.test.forEach((t, i) => {
        if (!t) return;
        for (const o of outputColumns(s.query, i)) ec.push([colKey(t), colKey(o)]);
      });
    }
  }

  /**
   * RestrictionEquivalenceForPartitionKeys: the distributed relations among
   * `rels` (their instances) have equal distribution keys, by the
   * equivalences of the given planner levels (every level when undefined).
   * A plain local table makes it false; at most one distributed relation
   * makes it true.
   */
  keysEqual(rels: readonly Rel[], levels?: Iterable<Query>): boolean {
    if (rels.some((r) => r.kind === 'table' && this.layout.local(r.table))) return false;
    const sharded = rels.filter((r) => r.kind === 'table' && this.layout.sharded(r.table));
    if (sharded.length <= 1) return true;
    const keyed = sharded.filter((r) => this.layout.hash(r.table));
    if (!keyed.length) return true;
    const uf = this.unionFind(levels ?? this.ecEdges.keys());
    const root = uf.find(`${keyed[0].id}|${this.layout.column(keyed[0].table)}`);
    return keyed.every((r) => uf.find(`${r.id}|${this.layout.column(r.table)}`) === root);
  }

  /** The classes of the given planner levels, with every subquery column joined to the columns it shows. */
  unionFind(levels: Iterable<Query>, extra: readonly Edge[] = []): UnionFind {
    const uf = new UnionFind();
    const seen = new Set<string>();
    const resolve = (key: string): void => {
      if (seen.has(key)) return;
      seen.add(key);
      const [relText, column] = splitKey(key);
      const rel = this.relById.get(Number(relText));
      if (!rel?.query || rel.kind !== 'subquery') return;
      for (const o of subqueryColumn(rel, column)) {
        const k = colKey(o);
        uf.union(key, k);
        resolve(k);
      }
    };
    const link = (a: string, b: string): void => {
      uf.union(a, b);
      if (!a.startsWith('const|')) resolve(a);
      if (!b.startsWith('const|')) resolve(b);
    };
    for (const level of levels) {
      for (const [a, b] of this.ecEdges.get(level) ?? []) link(a, b);
      for (const [a, b] of this.restrictionEdges.get(level) ?? []) {
        const ka = this.keyColumns(a);
        const kb = this.keyColumns(b);
        if (!ka.length || !kb.length) continue;
        for (const k of [...ka, ...kb]) uf.union(colKey(ka[0]), colKey(k));
      }
    }
    for (const [a, b] of extra) link(a, b);
    return uf;
  }

  /** The distribution columns a column shows, followed down through subqueries (none when it is no key). */
  keyColumns(c: Col): Col[] {
    return this.baseColumns(c).filter((b) => this.layout.isKey(this.relById.get(b.rel)?.table, b.column));
  }

  /** The table columns a column shows, through subqueries and every branch of a set operation. */
  baseColumns(c: Col, depth = 0): Col[] {
    const rel = this.relById.get(c.rel);
    if (!rel || depth > 64) return [];
    if (rel.kind === 'table') return [c];
    if (rel.kind !== 'subquery' || !rel.query) return [];
    return subqueryColumn(rel, c.column).flatMap((o) => this.baseColumns(o, depth + 1));
  }

  rel(id: number): Rel | undefined {
    return this.relById.get(id);
  }
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('|');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** The position of a named column among a subquery item's columns. */
export function columnIndex(rel: Rel, column: string): number {
  if (rel.columns) return rel.columns.indexOf(column);
  if (!rel.query) return -1;
  return leftmost(rel.query).outputs.findIndex((o) => o.name === column);
}

/** The plain columns a subquery item's column shows (one per branch of a set operation). */
export function subqueryColumn(rel: Rel, column: string): Col[] {
  if (!rel.query) return [];
  const i = columnIndex(rel, column);
  return i < 0 ? [] : outputColumns(rel.query, i);
}

/** The plain columns output `i` of a query shows: its own, or each branch's of a set operation. */
export function outputColumns(q: Query, i: number): Col[] {
  if (q.setOperation) return setLeaves(q).flatMap((l) => outputColumns(l, i));
  const c = q.outputs[i]?.column;
  return c ? [c] : [];
}

/** Every table item under `q` that still is one (recursive planning replaces some by results). */
export function relationsOf(q: Query): Rel[] {
  return tableRels(q);
}
