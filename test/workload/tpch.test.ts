/**
 * TPC-H Q1-Q22: equi-join pairs against the joins the TPC-H specification's
 * query texts state (v2.17.3, section 2.4), written here by hand.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog/index.js';
import { extractFacts } from '../../src/workload/extract.js';
import type { JoinPair, QueryFacts } from '../../src/workload/model.js';
import { statementViewDefinitions, type ViewDefinition } from '../../src/workload/views.js';
import { labelled, loadDataset, type LabelledStatement } from './corpus-helpers.js';

let catalog: Catalog;
let stmts: LabelledStatement[];
/** The views the query file creates (Q15's revenue0), as the workload reader passes them on. */
let views: ViewDefinition[];

beforeAll(async () => {
  const ds = await loadDataset('tpch');
  catalog = ds.catalog;
  stmts = labelled(ds.text, ds.statements, /^-- (Q\d+)\s+weight/);
  views = statementViewDefinitions(catalog, ds.statements);
});

function query(q: string, withViews = true): QueryFacts {
  const s = stmts.find((x) => x.label === q && x.statement.node && 'SelectStmt' in x.statement.node);
  if (!s) throw new Error(`no SELECT for ${q}`);
  return extractFacts(catalog, s.statement, withViews ? { views } : {});
}

/** `a.x=b.y` with the two sides in sorted order (tables without schema). */
function norm(pair: string): string {
  return pair.split('=').sort().join('=');
}
function pairOf(j: JoinPair): string {
  return norm(`${j.left.table.replace('public.', '')}.${j.left.column}=${j.right.table.replace('public.', '')}.${j.right.column}`);
}
function pairs(f: QueryFacts): string[] {
  return [...new Set(f.joins.map(pairOf))].sort();
}
function expected(...p: string[]): string[] {
  return [...new Set(p.map(norm))].sort();
}
function typed(f: QueryFacts, pair: string): string[] {
  return f.joins
    .filter((j) => pairOf(j) === norm(pair))
    .map((j) => `${j.joinType}/${j.where}`)
    .sort();
}

// Joins of each query, from the specification's text (n1/n2, l1/l2/l3 are instances of nation/lineitem).
const SPEC: Record<string, string[]> = {
  Q1: [],
  Q2: [
    'part.p_partkey=partsupp.ps_partkey',
    'supplier.s_suppkey=partsupp.ps_suppkey',
    'supplier.s_nationkey=nation.n_nationkey',
    'nation.n_regionkey=region.r_regionkey',
  ],
  Q3: ['customer.c_custkey=orders.o_custkey', 'lineitem.l_orderkey=orders.o_orderkey'],
  Q4: ['lineitem.l_orderkey=orders.o_orderkey'],
  Q5: [
    'customer.c_custkey=orders.o_custkey',
    'lineitem.l_orderkey=orders.o_orderkey',
    'lineitem.l_suppkey=supplier.s_suppkey',
    'customer.c_nationkey=supplier.s_nationkey',
    'supplier.s_nationkey=nation.n_nationkey',
    'nation.n_regionkey=region.r_regionkey',
  ],
  Q6: [],
  Q7: [
    'supplier.s_suppkey=lineitem.l_suppkey',
    'orders.o_orderkey=lineitem.l_orderkey',
    'customer.c_custkey=orders.o_custkey',
    'supplier.s_nationkey=nation.n_nationkey',
    'customer.c_nationkey=nation.n_nationkey',
  ],
  Q8: [
    'part.p_partkey=lineitem.l_partkey',
    'supplier.s_suppkey=lineitem.l_suppkey',
    'lineitem.l_orderkey=orders.o_orderkey',
    'orders.o_custkey=customer.c_custkey',
    'customer.c_nationkey=nation.n_nationkey',
    'nation.n_regionkey=region.r_regionkey',
    'supplier.s_nationkey=nation.n_nationkey',
  ],
  Q9: [
    'supplier.s_suppkey=lineitem.l_suppkey',
    'partsupp.ps_suppkey=lineitem.l_suppkey',
    'partsupp.ps_partkey=lineitem.l_partkey',
    'part.p_partkey=lineitem.l_partkey',
    'orders.o_orderkey=lineitem.l_orderkey',
    'supplier.s_nationkey=nation.n_nationkey',
  ],
  Q10: ['customer.c_custkey=orders.o_custkey', 'lineitem.l_orderkey=orders.o_orderkey', 'customer.c_nationkey=nation.n_nationkey'],
  Q11: ['partsupp.ps_suppkey=supplier.s_suppkey', 'supplier.s_nationkey=nation.n_nationkey'],
  Q12: ['orders.o_orderkey=lineitem.l_orderkey'],
  Q13: ['customer.c_custkey=orders.o_custkey'],
  Q14: ['lineitem.l_partkey=part.p_partkey'],
  // Q15 joins supplier to the view revenue0 (which the workload itself creates) on supplier_no, its l_suppkey.
  Q15: ['supplier.s_suppkey=lineitem.l_suppkey'],
  Q16: ['part.p_partkey=partsupp.ps_partkey', 'partsupp.ps_suppkey=supplier.s_suppkey'],
  Q17: ['part.p_partkey=lineitem.l_partkey'],
  Q18: ['customer.c_custkey=orders.o_custkey', 'orders.o_orderkey=lineitem.l_orderkey'],
  Q19: ['part.p_partkey=lineitem.l_partkey'],
  Q20: [
    'supplier.s_suppkey=partsupp.ps_suppkey',
    'partsupp.ps_partkey=part.p_partkey',
    'lineitem.l_partkey=partsupp.ps_partkey',
    'lineitem.l_suppkey=partsupp.ps_suppkey',
    'supplier.s_nationkey=nation.n_nationkey',
  ],
  Q21: [
    'supplier.s_suppkey=lineitem.l_suppkey',
    'orders.o_orderkey=lineitem.l_orderkey',
    'supplier.s_nationkey=nation.n_nationkey',
    // l2.l_orderkey = l1.l_orderkey (EXISTS) and l3.l_orderkey = l1.l_orderkey (NOT EXISTS)
    'lineitem.l_orderkey=lineitem.l_orderkey',
  ],
  Q22: ['orders.o_custkey=customer.c_custkey'],
};

describe('TPC-H join pairs', () => {
  for (const [q, spec] of Object.entries(SPEC)) {
    it(`${q} joins as the specification says`, () => {
      expect(pairs(query(q))).toEqual(expected(...spec));
    });
  }

  it('Q3 tables and filters', () => {
    const f = query('Q3');
    expect(f.tablesRead).toEqual(['public.customer', 'public.lineitem', 'public.orders']);
    const seg = f.filters.find((x) => x.column === 'c_mktsegment');
    expect(seg).toMatchObject({ table: 'public.customer', op: '=', value: 'const', values: ['BUILDING'] });
    expect(f.groupBy.map((c) => c.column)).toEqual(['l_orderkey', 'o_orderdate', 'o_shippriority']);
    expect(f.features.limit).toBe(true);
  });

  it('Q4: the order/lineitem join is a semi-join through EXISTS', () => {
    const f = query('Q4');
    expect(typed(f, 'lineitem.l_orderkey=orders.o_orderkey')).toEqual(['semi/subquery']);
    expect(f.features.subqueries).toEqual([{ kind: 'exists', where: 'where', correlated: true, lateral: false, negated: false }]);
  });

  it('Q13: customer LEFT OUTER JOIN orders, customer preserved', () => {
    const f = query('Q13');
    expect(f.joins).toEqual([
      {
        left: { table: 'public.customer', column: 'c_custkey' },
        right: { table: 'public.orders', column: 'o_custkey' },
        joinType: 'left',
        where: 'on',
        underOr: false,
      },
    ]);
    expect(f.features.outerJoins).toBe(true);
  });

  it('Q16: NOT IN (SELECT s_suppkey ...) is an anti-join', () => {
    expect(typed(query('Q16'), 'partsupp.ps_suppkey=supplier.s_suppkey')).toEqual(['anti/subquery']);
  });

  it('Q17: the correlated scalar subquery joins lineitem to part', () => {
    const f = query('Q17');
    expect(typed(f, 'part.p_partkey=lineitem.l_partkey')).toEqual(['inner/subquery', 'inner/where']);
    expect(f.features.subqueries).toEqual([{ kind: 'scalar', where: 'where', correlated: true, lateral: false, negated: false }]);
  });

  it('Q18: IN (SELECT l_orderkey ... HAVING) is a semi-join, not correlated', () => {
    const f = query('Q18');
    expect(typed(f, 'orders.o_orderkey=lineitem.l_orderkey')).toEqual(['inner/where', 'semi/subquery']);
    expect(f.features.subqueries).toEqual([{ kind: 'in', where: 'where', correlated: false, lateral: false, negated: false }]);
  });

  it('Q19: the part/lineitem join every OR branch has holds by itself (PostgreSQL pulls it out: find_duplicate_ors)', () => {
    const f = query('Q19');
    expect(f.joins.map((j) => `${j.left.column}=${j.right.column}/${j.underOr ? 'or' : 'and'}`).sort()).toEqual(['l_partkey=p_partkey/and', 'l_partkey=p_partkey/or']);
    expect(f.filters.filter((x) => x.column === 'p_container').every((x) => x.op === 'in' && x.underOr && x.count === 4)).toBe(true);
  });

  it('Q21: EXISTS l2 is a semi-join, NOT EXISTS l3 an anti-join', () => {
    expect(typed(query('Q21'), 'lineitem.l_orderkey=lineitem.l_orderkey')).toEqual(['anti/subquery', 'semi/subquery']);
  });

  it('Q22: NOT EXISTS on orders is an anti-join; IN on substring(c_phone) is not a column filter', () => {
    const f = query('Q22');
    expect(typed(f, 'orders.o_custkey=customer.c_custkey')).toEqual(['anti/subquery']);
    // The IN list compares an expression of c_phone, so no column has an IN filter.
    expect(f.filters.filter((x) => x.op === 'in')).toEqual([]);
    expect(f.filters.filter((x) => x.column === 'c_acctbal').map((x) => `${x.op}/${x.value}`).sort()).toEqual(['range/const', 'range/expr']);
  });

  it('Q15 sees through the view it creates: revenue0 reads lineitem, supplier_no is l_suppkey', () => {
    expect(views.map((v) => v.key)).toEqual(['public.revenue0']);
    const f = query('Q15');
    expect(f.unknownRelations).toEqual([]);
    expect(f.unresolved).toEqual([]);
    expect(f.views).toEqual(['public.revenue0']);
    expect(f.tablesRead).toEqual(['public.lineitem', 'public.supplier']);
    expect(typed(f, 'supplier.s_suppkey=lineitem.l_suppkey')).toEqual(['inner/where']);
  });

  it('Q15 without the view definition: revenue0 unknown, its columns unresolved', () => {
    const f = query('Q15', false);
    expect(f.unknownRelations).toEqual(['public.revenue0']);
    expect(f.unresolved.map((u) => u.column).sort()).toEqual(['supplier_no', 'total_revenue']);
  });

  it('no query is a cartesian product', () => {
    for (const q of Object.keys(SPEC)) expect(query(q).features.cartesian, q).toEqual([]);
  });
});
