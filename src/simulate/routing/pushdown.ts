/**
 * Citus's subquery pushdown checks (query_pushdown_planning.c): whether a
 * subquery can run on every shard as it is (DeferErrorIfCannotPushdownSubquery),
 * whether the query must be planned by pushing its subqueries down
 * (ShouldUseSubqueryPushDown), and the errors of that path
 * (DeferErrorIfUnsupportedSubqueryPushdown), each in Citus's order and words.
 */
import type { Equivalence } from './equivalence.js';
import type { Layout } from './layout.js';
import { hasOuterJoinExpr, hasSemiJoin, remainingSublinks, remainingSubqueries } from './prep.js';
import { allQueries, leftmost, tableRels, type Col, type Query, type Rel } from './query.js';
import type { CitusError } from './types.js';

export const ERR = {
  complexColocated: { message: 'complex joins are only supported when all distributed tables are co-located and joined on their distribution columns' },
  repartition: { message: 'the query contains a join that requires repartitioning', hint: 'Set citus.enable_repartition_joins to on to enable repartitioning' },
  complexEqui: { message: 'complex joins are only supported when all distributed tables are joined on their distribution columns with equal operator' },
  cartesian: { message: 'cannot perform distributed planning on this query', detail: 'Cartesian products are currently unsupported' },
  recursiveCte: { message: 'recursive CTEs are only supported when they contain a filter on the distribution column' },
  recursiveComplex: { message: 'recursive complex joins are only supported when all distributed tables are co-located and joined on their distribution columns' },
  cteOuter: { message: 'CTEs that refer to other subqueries are not supported in multi-shard queries' },
  havingOuter: { message: 'Subqueries in HAVING cannot refer to outer query' },
} satisfies Record<string, CitusError>;

const FILTER_HINT = "Consider using an equality filter on the distributed table's partition column.";

const cannotPush = (detail: string): CitusError => ({ message: 'cannot push down this subquery', detail });

/** How a FROM clause recurs on every shard (RecurringTuplesType), when it has no distributed table. */
export type Recurring = 'reference' | 'function' | 'empty' | 'result' | 'values';

export class Pushdown {
  constructor(
    private readonly layout: Layout,
    private readonly eq: Equivalence,
  ) {}

  /** A table item of a distributed (or single-shard) table, anywhere in `q`'s range table and below (IsDistributedTableRTE). */
  rtableHasSharded(q: Query): boolean {
    return q.rels.some((r) => (r.kind === 'table' && this.layout.sharded(r.table)) || (!!r.query && allQueries(r.query).some((x) => x.rels.some((y) => y.kind === 'table' && this.layout.sharded(y.table)))));
  }

  /** Any Citus table anywhere in `q` (IsCitusTableRTE over the range table, deeply). */
  hasCitusTable(q: Query): boolean {
    return tableRels(q).some((r) => this.layout.citus(r.table));
  }

  /** A plain local table (or materialized view) in `q`'s range table, deeply (IsLocalTableRteOrMatView). */
  hasLocalTable(q: Query): boolean {
    return tableRels(q).some((r) => this.layout.local(r.table));
  }

  /** FromClauseRecurringTupleType. */
  fromClauseRecurs(q: Query): Recurring | undefined {
    if (!q.rels.length) return 'empty';
    if (this.rtableHasSharded(q)) return undefined;
    return this.recurringType(q.rels);
  }

  /** HasRecurringTuples over range tables, into the queries of their subqueries (a query without FROM recurs too). */
  private recurringType(rels: readonly Rel[]): Recurring | undefined {
    for (const r of rels) {
      if (r.kind === 'table' && this.layout.role(r.table) === 'reference') return 'reference';
      if (r.kind === 'function') return 'function';
      if (r.kind === 'result') return 'result';
      if (r.query) {
        const inner = this.queryRecurs(r.query);
        if (inner) return inner;
      }
    }
    return undefined;
  }

  private queryRecurs(q: Query): Recurring | undefined {
    if (q.kind === 'values') return 'values';
    if (q.setOperation) return this.queryRecurs(q.setOperation.left) ?? this.queryRecurs(q.setOperation.right);
    if (!q.rels.length) return 'empty';
    return this.recurringType(q.rels);
  }

  /** DeferErrorIfFromClauseRecurs: sublinks over a FROM clause that recurs on every shard. */
  fromClauseRecursError(q: Query): CitusError | undefined {
    if (!q.sublinks.length) return undefined;
    const t = this.fromClauseRecurs(q);
    const what: Record<Recurring, string> = {
      reference: 'a reference table',
      function: 'a set returning function',
      result: 'a CTE or subquery',
      empty: 'a subquery without FROM',
      values: 'VALUES',
    };
    return t ? { message: `correlated subqueries are not supported when the FROM clause contains ${what[t]}` } : undefined;
  }

  /** IsPartitionColumn: a column that is, through subqueries (the first branch of a set operation), a table's distribution column. */
  isPartitionColumn(c: Col | undefined): boolean {
    if (!c) return false;
    const base = this.referencedColumn(c);
    return !!base && this.layout.isKey(this.eq.rel(base.rel)?.table, base.column);
  }

  /** FindReferencedTableColumn: the table column a column shows, following the leftmost branch of set operations. */
  referencedColumn(c: Col, depth = 0): Col | undefined {
    const rel = this.eq.rel(c.rel);
    if (!rel || depth > 64) return undefined;
    if (rel.kind === 'table') return c;
    if (rel.kind !== 'subquery' || !rel.query) return undefined;
    const i = rel.columns ? rel.columns.indexOf(c.column) : leftmost(rel.query).outputs.findIndex((o) => o.name === c.column);
    const o = i < 0 ? undefined : leftmost(rel.query).outputs[i]?.column;
    return o ? this.referencedColumn(o, depth + 1) : undefined;
  }

  /** TargetListOnPartitionColumn over GROUP BY / DISTINCT / PARTITION BY items. */
  onPartitionColumn(q: Query, items: ReadonlyArray<Col | undefined>): boolean {
    if (items.some((c) => c && this.isOwnColumn(q, c) && this.isPartitionColumn(c))) return true;
    return !allQueries(q).some((x) => x.rels.some((r) => r.kind === 'table' && this.layout.hash(r.table)));
  }

  /** A column of `q`'s own range table (skipOuterVars). */
  private isOwnColumn(q: Query, c: Col): boolean {
    return q.rels.some((r) => r.id === c.rel);
  }

  /** SafeToPushdownWindowFunction; the detail when it is not. */
  windowPushdownProblem(q: Query): string | undefined {
    if (!q.windowFunctions) return undefined;
    if (q.windows.some((w) => w.length === 0)) return 'Window functions without PARTITION BY on distribution column is currently unsupported';
    if (!q.windows.every((w) => this.onPartitionColumn(q, w))) return 'Window functions with PARTITION BY list missing distribution column is currently unsupported';
    return undefined;
  }

  /** DeferErrorIfSubqueryRequiresMerge. */
  private requiresMerge(q: Query, lateral = false, ref = 'another query'): string | undefined {
    let detail: string | undefined;
    const sub = `${lateral ? 'lateral ' : ''}subquery`;
    if (q.offset) detail = `Offset clause is currently unsupported when a ${sub} references a column from ${ref}`;
    if (q.limit) detail = `Limit clause is currently unsupported when a ${sub} references a column from ${ref}`;
    if (q.groupBy.length && !this.onPartitionColumn(q, q.groupBy)) detail = `Group by list without partition column is currently unsupported when a ${sub} references a column from ${ref}`;
    if (q.aggregates && !q.groupBy.length) detail = `Aggregates without group by are currently unsupported when a ${sub} references a column from ${ref}`;
    if (q.having && !q.groupBy.length) detail = `Having qual without group by on partition column is currently unsupported when a ${sub} references a column from ${ref}`;
    const w = this.windowPushdownProblem(q);
    if (w) detail = w;
    if (q.distinct && !this.onPartitionColumn(q, q.distinct)) detail = 'Distinct on columns without partition column is currently unsupported';
    return detail;
  }

  /** DeferErrorIfUnsupportedTableCombination. */
  private tableCombination(q: Query): string | undefined {
    for (const r of q.rels) {
      if (r.kind === 'table' || r.kind === 'subquery' || r.kind === 'result') continue;
      if (r.kind === 'function') {
        if (r.volatility !== 'immutable') return 'Only immutable functions can be used as a table expressions in a multi-shard query';
        continue;
      }
      if (r.kind === 'cte') return 'CTEs in subqueries are currently unsupported';
      return 'Table expressions other than relations, subqueries, and immutable functions are currently unsupported';
    }
    return undefined;
  }

  /** DeferErrorIfUnsupportedUnionQuery. */
  unsupportedUnion(q: Query): CitusError | undefined {
    const ops: Query[] = [];
    const walk = (x: Query) => {
      if (!x.setOperation) return;
      ops.push(x);
      walk(x.setOperation.left);
      walk(x.setOperation.right);
    };
    walk(q);
    let recur: Recurring | undefined;
    for (const op of ops) {
      if (op.setOperation!.op !== 'union') return cannotPush('Intersect and Except are currently unsupported');
      for (const leaf of [op.setOperation!.left, op.setOperation!.right]) {
        if (leaf.setOperation) continue;
        recur = this.fromClauseRecurs(leaf);
        if (recur) break;
      }
      if (recur) break;
    }
    const details: Record<Recurring, string> = {
      reference: 'Reference tables are not supported with union operator',
      function: 'Table functions are not supported with union operator',
      empty: 'Subqueries without a FROM clause are not supported with union operator',
      result: 'Complex subqueries and CTEs are not supported within a UNION',
      values: 'VALUES is not supported within a UNION',
    };
    return recur ? cannotPush(details[recur]) : undefined;
  }

  /** DeferErrorIfCannotPushdownSubquery(subquery, outerMostQueryHasLimit = false). */
  cannotPushdown(q: Query): CitusError | undefined {
    const combination = this.tableCombination(q);
    if (combination) return cannotPush(combination);
    let detail: string | undefined;
    if (!q.rels.length && q.outputs.some((o) => o.mutable)) detail = 'Subqueries without a FROM clause can only contain immutable functions';
    if (!q.correlated) {
      const merge = this.requiresMerge(q);
      if (merge) return cannotPush(merge);
    }
    if (q.setOperation) {
      const u = this.unsupportedUnion(q);
      if (u) return u;
    }
    if (q.recursiveWith) detail = 'Recursive queries are currently unsupported';
    if (q.ctes.length) detail = 'Common Table Expressions are currently unsupported';
    if (q.locking) detail = 'For Update/Share commands are currently unsupported';
    if (q.groupingSets) detail = 'could not run distributed query with GROUPING SETS, CUBE, or ROLLUP';
    const recurs = this.fromClauseRecursError(q);
    if (recurs) return recurs;
    return detail ? cannotPush(detail) : undefined;
  }

  /**
   * DeferredErrorIfUnsupportedLateralSubquery: a LATERAL subquery over a
   * distributed table that refers to an item recurring on every shard (a
   * reference table, a function, VALUES, an intermediate result) must not
   * need a merge step (LIMIT, GROUP BY without the key, ...).
   */
  unsupportedLateral(q: Query): CitusError | undefined {
    for (const l of q.rels) {
      if (l.kind !== 'subquery' || !l.lateral || !l.query) continue;
      if (!allQueries(l.query).some((x) => x.rels.some((t) => t.kind === 'table' && this.layout.sharded(t.table)))) continue;
      // The FROM items of the planner level the subquery is joined at (PostgreSQL merges simple subqueries into it)
      const level = this.eq.levels.get(q) ?? q;
      const levelRels = [...this.eq.levels].filter(([, lv]) => lv === level).flatMap(([x]) => x.rels);
      const outer = new Set([...q.rels, ...levelRels].map((r) => r.id));
      const seen = new Set<number>();
      for (const x of allQueries(l.query)) {
        for (const c of [...x.equalities.flatMap((e) => [e.a, e.b]), ...x.filters.map((f) => f.column)]) if (outer.has(c.rel)) seen.add(c.rel);
        for (const k of x.links) for (const id of k.rels) if (outer.has(id)) seen.add(id);
      }
      for (const id of seen) {
        const r = [...q.rels, ...levelRels].find((x) => x.id === id)!;
        const t = this.recurringType([r]);
        if (!t) continue;
        const described: Record<Recurring, string> = {
          reference: `a reference table (${r.alias ?? r.name ?? ''})`,
          function: `a table function (${r.alias ?? r.name ?? ''})`,
          empty: `a subquery without FROM (${r.alias ?? ''})`,
          result: 'complex subqueries, CTEs or local tables',
          values: 'a VALUES clause',
        };
        const d = this.requiresMerge(l.query, true, described[t]);
        if (d) return cannotPush(d);
      }
    }
    return undefined;
  }

  /** ContainsUnionSubquery: a single FROM subquery that is (or holds, the same way) a UNION. */
  containsUnionSubquery(q: Query): boolean {
    if (q.rels.length !== 1) return false;
    const r = q.rels[0];
    if (r.kind !== 'subquery' || !r.query) return false;
    if (r.query.setOperation) return r.query.setOperation.op === 'union';
    return this.containsUnionSubquery(r.query);
  }

  /**
   * SafeToPushdownUnionSubquery: every distributed relation's key is output
   * at the same position of its query, joins keep them equal, and the tables
   * are colocated.
   */
  safeToPushdownUnion(q: Query, rels: readonly Rel[]): boolean {
    const keyed = rels.filter((r) => r.kind === 'table' && this.layout.hash(r.table));
    const owners = allQueries(q);
    let position: number | undefined;
    const members: string[] = [];
    for (const r of keyed) {
      const owner = owners.find((x) => x.rels.some((y) => y.id === r.id));
      if (!owner) continue;
      const key = this.layout.column(r.table)!;
      const i = owner.outputs.findIndex((o) => o.column && this.referencedColumn(o.column)?.rel === r.id && this.referencedColumn(o.column)?.column === key);
      if (i < 0) continue;
      if (position === undefined) position = i;
      else if (position !== i) continue;
      members.push(`${r.id}|${key}`);
    }
    const extra = members.slice(1).map((m) => [members[0], m] as const);
    const uf = this.eq.unionFind(new Set([...this.eq.levels.values()]), extra);
    if (keyed.length > 1) {
      const root = uf.find(`${keyed[0].id}|${this.layout.column(keyed[0].table)}`);
      if (!keyed.every((r) => uf.find(`${r.id}|${this.layout.column(r.table)}`) === root)) return false;
    }
    const groups = new Set(rels.filter((r) => r.kind === 'table' && this.layout.sharded(r.table)).map((r) => this.layout.group(r.table)));
    return groups.size <= 1;
  }

  /** ShouldUseSubqueryPushDown, on the query as PostgreSQL rewrites it. */
  shouldUsePushdown(q: Query): boolean {
    if (remainingSubqueries(q).length) return true;
    const sublinks = remainingSublinks(q);
    if (sublinks.some((s) => s.clause === 'where' || s.clause === 'on' || s.clause === 'having')) return true;
    if (q.outputs.some((o) => o.sublink) || sublinks.some((s) => s.clause === 'other')) return true;
    const all = allQueries(q);
    if (hasSemiJoin(all)) return true;
    if (all.some((x) => x.kind === 'values' || x.rels.some((r) => r.kind === 'function' || r.kind === 'result'))) return true;
    if (hasOuterJoinExpr(q) || this.pulledUpOuterJoin(q)) return true;
    if (q.windowFunctions && !this.windowPushdownProblem(q)) return true;
    return false;
  }

  /** An outer join (or anti join) in what PostgreSQL merges into `q`. */
  private pulledUpOuterJoin(q: Query): boolean {
    const merged = allQueries(q).filter((x) => this.eq.levels.get(x) === (this.eq.levels.get(q) ?? q));
    return merged.some((x) => x !== q && hasOuterJoinExpr(x)) || merged.some((x) => x.sublinks.some((s) => s.kind === 'exists' && s.negated && s.condition && !s.underOr && s.clause === 'where'));
  }

  /** DeferErrorIfQueryNotSupported (MultiNodeTree's and the pushdown path's first check). */
  queryNotSupported(q: Query): CitusError | undefined {
    let e: CitusError | undefined;
    const hint = this.hintShown(q) ? { hint: FILTER_HINT } : {};
    if (q.setOperation) e = { message: 'could not run distributed query with UNION, INTERSECT, or EXCEPT', ...hint };
    if (q.recursiveWith) e = { message: 'could not run distributed query with RECURSIVE', ...hint };
    if (q.ctes.length) e = { message: 'could not run distributed query with common table expressions', ...hint };
    if (q.locking) e = { message: 'could not run distributed query with FOR UPDATE/SHARE commands', ...hint };
    if (q.groupingSets) e = { message: 'could not run distributed query with GROUPING SETS, CUBE, or ROLLUP', ...hint };
    if (allQueries(q).some((x) => x.groupingFunction)) e = { message: 'could not run distributed query with GROUPING', ...hint };
    if (tableRels(q).some((r) => this.layout.role(r.table) === 'citus-local' || this.layout.local(r.table))) {
      e = {
        message: 'direct joins between distributed and local tables are not supported',
        hint: 'Use CTE\'s or subqueries to select from local tables and use them in joins',
      };
    }
    return e;
  }

  /** ErrorHintRequired: the hint shows when the sharded tables are in one colocation group. */
  private hintShown(q: Query): boolean {
    const groups = new Set(tableRels(q).filter((r) => this.layout.sharded(r.table)).map((r) => this.layout.group(r.table)));
    return groups.size <= 1;
  }
}
