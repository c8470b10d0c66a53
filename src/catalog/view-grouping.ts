/**
 * A view's functional dependencies on primary keys (parse_agg.c,
 * check_functional_grouping): a query may select a table's columns without
 * grouping by them when its GROUP BY holds every column of that table's
 * primary key. PostgreSQL then records a dependency of the view on the key
 * constraint, so the key cannot be dropped while the view stands. Only
 * primary keys count, and only when some column outside the GROUP BY is
 * used outside an aggregate.
 */
import type { Node, RangeVar, SelectStmt } from '../ingest/pg/ast.js';
import { columnRefFields, namesOf, nodeAs, walkNodes } from '../ingest/pg/index.js';
import { AGGREGATES } from '../workload/builtins.js';

/** What the analysis needs of a table the query reads. */
export interface GroupedTable {
  readonly key: string;
  readonly columns: readonly string[];
  readonly primaryKey?: readonly string[];
}

/** A table whose primary key a query's GROUP BY covers, as the query names it, and where that GROUP BY's first column item starts. */
export interface FoundGrouping {
  readonly table: string;
  readonly qualifier: string;
  readonly location: number;
}

/** A call of a built-in aggregate (a call with FILTER, ORDER BY, WITHIN GROUP, * or DISTINCT is one whatever its name). */
function isAggregate(node: Node): boolean {
  const f = nodeAs(node, 'FuncCall');
  if (!f || f.over) return false;
  if (f.agg_star || f.agg_distinct || f.agg_filter || f.agg_order?.length || f.agg_within_group) return true;
  const name = namesOf(f.funcname);
  return AGGREGATES.has(name[name.length - 1] ?? '') && (name.length === 1 || name[0] === 'pg_catalog');
}

/** The tables a SELECT's FROM names directly (not inside subqueries), by the name the query gives them. */
function fromTables(sel: SelectStmt, table: (rv: RangeVar) => GroupedTable | undefined): Map<string, GroupedTable> {
  const out = new Map<string, GroupedTable>();
  walkNodes(sel.fromClause, (tag, _body, node) => {
    if (tag === 'RangeSubselect' || tag === 'RangeFunction') return false;
    const rv = tag === 'RangeVar' ? nodeAs(node, 'RangeVar') : undefined;
    if (!rv) return undefined;
    const t = table(rv);
    if (t) out.set(rv.alias?.aliasname ?? rv.relname ?? '', t);
    return false;
  });
  return out;
}

/** A column reference's table (by the query's name for it) and column, when it names one of `rels`. */
function resolve(fields: string[], rels: ReadonlyMap<string, GroupedTable>): { q: string; column: string } | undefined {
  const column = fields[fields.length - 1];
  if (fields.length >= 2) return rels.has(fields[fields.length - 2]) ? { q: fields[fields.length - 2], column } : undefined;
  const owners = [...rels].filter(([, t]) => t.columns.includes(column));
  return owners.length === 1 ? { q: owners[0][0], column } : undefined;
}

/** The primary keys each GROUP BY of a query covers while the query uses other columns of their tables. */
export function keyGroupings(query: Node | undefined, table: (rv: RangeVar) => GroupedTable | undefined): FoundGrouping[] {
  const out: FoundGrouping[] = [];
  walkNodes(query, (tag, _body, node) => {
    const sel = tag === 'SelectStmt' ? nodeAs(node, 'SelectStmt') : undefined;
    const first = sel?.groupClause?.find((g) => nodeAs(g, 'ColumnRef'));
    if (!sel || !first || sel.groupClause!.some((g) => nodeAs(g, 'GroupingSet'))) return undefined;
    const rels = fromTables(sel, table);
    const grouped = new Map<string, Set<string>>();
    for (const g of sel.groupClause!) {
      const ref = nodeAs(g, 'ColumnRef');
      const r = ref ? resolve(columnRefFields(ref), rels) : undefined;
      if (r) grouped.set(r.q, (grouped.get(r.q) ?? new Set()).add(r.column));
    }
    const used = new Set<string>();
    walkNodes([sel.targetList, sel.havingClause, sel.sortClause], (t, _b, n) => {
      if (t === 'FuncCall' && isAggregate(n)) return false;
      const ref = t === 'ColumnRef' ? nodeAs(n, 'ColumnRef') : undefined;
      if (!ref) return undefined;
      const fields = columnRefFields(ref);
      const targets = fields.length === 1 && fields[0] === '*' ? [...rels.keys()].map((q) => ({ q, column: '*' })) : [resolve(fields, rels)].filter((r) => r !== undefined);
      for (const r of targets) {
        const g = grouped.get(r.q) ?? new Set<string>();
        if (r.column === '*' ? rels.get(r.q)!.columns.some((c) => !g.has(c)) : !g.has(r.column)) used.add(r.q);
      }
      return false;
    });
    for (const [q, t] of rels) {
      const g = grouped.get(q);
      if (!t.primaryKey?.length || !g || !used.has(q) || !t.primaryKey.every((c) => g.has(c))) continue;
      out.push({ table: t.key, qualifier: q, location: nodeAs(first, 'ColumnRef')!.location ?? -1 });
    }
    return undefined;
  });
  return out;
}
