/**
 * BenchBase TPC-C: facts of the procedures' statements, expected values
 * written by hand from reading each statement's SQL (corpus queries.sql).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog/index.js';
import { extractFacts } from '../../src/workload/extract.js';
import type { QueryFacts } from '../../src/workload/model.js';
import { labelled, loadDataset, type LabelledStatement } from './corpus-helpers.js';

let catalog: Catalog;
let stmts: LabelledStatement[];

beforeAll(async () => {
  const ds = await loadDataset('benchbase-tpcc');
  catalog = ds.catalog;
  stmts = labelled(ds.text, ds.statements, /^-- stmt: (\S+)/);
});

function facts(label: string): QueryFacts {
  const s = stmts.find((x) => x.label === label);
  if (!s) throw new Error(`no statement ${label}`);
  return extractFacts(catalog, s.statement);
}

/** `table.column op value` for every filter, table without the `public.` prefix. */
function filters(f: QueryFacts): string[] {
  return f.filters.map((x) => `${x.table.replace('public.', '')}.${x.column} ${x.op} ${x.value}${x.underOr ? ' (or)' : ''}`).sort();
}

function eqParams(table: string, columns: string[]): string[] {
  return columns.map((c) => `${table}.${c} = param`).sort();
}

describe('TPC-C statement facts', () => {
  it('has all 33 statements', () => {
    expect(stmts).toHaveLength(33);
    expect(stmts.every((s) => s.label !== '')).toBe(true);
  });

  it('delivGetOrderIdSQL: new_order by district, oldest order first', () => {
    const f = facts('delivGetOrderIdSQL');
    expect(f.kind).toBe('select');
    expect(f.tablesRead).toEqual(['public.new_order']);
    expect(f.tablesWritten).toEqual([]);
    expect(filters(f)).toEqual(eqParams('new_order', ['no_d_id', 'no_w_id']));
    expect(f.orderBy).toEqual([{ table: 'public.new_order', column: 'no_o_id' }]);
    expect(f.features.limit).toBe(true);
    expect(f.features.offset).toBe(false);
    expect(f.joins).toEqual([]);
  });

  it('delivDeleteNewOrderSQL: delete by full key', () => {
    const f = facts('delivDeleteNewOrderSQL');
    expect(f.kind).toBe('delete');
    expect(f.tablesWritten).toEqual(['public.new_order']);
    expect(f.write?.target).toBe('public.new_order');
    expect(f.write?.columns).toEqual([]);
    expect(filters(f)).toEqual(eqParams('new_order', ['no_o_id', 'no_d_id', 'no_w_id']));
  });

  it('delivUpdateCarrierIdSQL: sets o_carrier_id', () => {
    const f = facts('delivUpdateCarrierIdSQL');
    expect(f.kind).toBe('update');
    expect(f.tablesWritten).toEqual(['public.oorder']);
    expect(f.write?.columns).toEqual(['o_carrier_id']);
    expect(filters(f)).toEqual(eqParams('oorder', ['o_id', 'o_d_id', 'o_w_id']));
  });

  it('delivUpdateDeliveryDateSQL: sets ol_delivery_d on one order', () => {
    const f = facts('delivUpdateDeliveryDateSQL');
    expect(f.write?.target).toBe('public.order_line');
    expect(f.write?.columns).toEqual(['ol_delivery_d']);
    expect(filters(f)).toEqual(eqParams('order_line', ['ol_o_id', 'ol_d_id', 'ol_w_id']));
  });

  it('delivSumOrderAmountSQL: an aggregate over one order', () => {
    const f = facts('delivSumOrderAmountSQL');
    expect(f.tablesRead).toEqual(['public.order_line']);
    expect(f.features.aggregates).toBe(true);
    expect(f.groupBy).toEqual([]);
    expect(f.functions.map((x) => [x.name, x.aggregate, x.where])).toEqual([['pg_catalog.sum', true, 'select']]);
    expect(filters(f)).toEqual(eqParams('order_line', ['ol_o_id', 'ol_d_id', 'ol_w_id']));
  });

  it('delivUpdateCustBalDelivCntSQL: two counters on one customer', () => {
    const f = facts('delivUpdateCustBalDelivCntSQL');
    expect(f.write?.target).toBe('public.customer');
    expect(f.write?.columns).toEqual(['c_balance', 'c_delivery_cnt']);
    expect(filters(f)).toEqual(eqParams('customer', ['c_w_id', 'c_d_id', 'c_id']));
  });

  it('stmtGetWhseSQL: warehouse by id', () => {
    const f = facts('stmtGetWhseSQL');
    expect(f.tablesRead).toEqual(['public.warehouse']);
    expect(f.filters).toEqual([
      { table: 'public.warehouse', column: 'w_id', op: '=', value: 'param', underOr: false, clause: 'where', inSubquery: false },
    ]);
  });

  it('stmtGetDistSQL: district row locked FOR UPDATE', () => {
    const f = facts('stmtGetDistSQL');
    expect(f.features.locking).toEqual(['for update']);
    expect(filters(f)).toEqual(eqParams('district', ['d_w_id', 'd_id']));
  });

  it('stmtInsertNewOrderSQL: three parameters', () => {
    const f = facts('stmtInsertNewOrderSQL');
    expect(f.kind).toBe('insert');
    expect(f.tablesWritten).toEqual(['public.new_order']);
    expect(f.write?.columns).toEqual(['no_d_id', 'no_o_id', 'no_w_id']);
    expect(f.write?.rows).toBe(1);
    expect(f.write?.values).toEqual([
      { column: 'no_d_id', value: 'param' },
      { column: 'no_o_id', value: 'param' },
      { column: 'no_w_id', value: 'param' },
    ]);
    expect(f.tablesRead).toEqual([]);
  });

  it('stmtInsertOOrderSQL: seven columns', () => {
    const f = facts('stmtInsertOOrderSQL');
    expect(f.write?.columns).toEqual(['o_all_local', 'o_c_id', 'o_d_id', 'o_entry_d', 'o_id', 'o_ol_cnt', 'o_w_id']);
    expect(f.write?.values?.every((v) => v.value === 'param')).toBe(true);
  });

  it('stmtGetStockSQL: stock row locked', () => {
    const f = facts('stmtGetStockSQL');
    expect(f.tablesRead).toEqual(['public.stock']);
    expect(f.features.locking).toEqual(['for update']);
    expect(filters(f)).toEqual(eqParams('stock', ['s_i_id', 's_w_id']));
  });

  it('stmtUpdateStockSQL: four columns set', () => {
    const f = facts('stmtUpdateStockSQL');
    expect(f.write?.columns).toEqual(['s_order_cnt', 's_quantity', 's_remote_cnt', 's_ytd']);
    expect(filters(f)).toEqual(eqParams('stock', ['s_i_id', 's_w_id']));
  });

  it('stmtInsertOrderLineSQL: nine columns', () => {
    const f = facts('stmtInsertOrderLineSQL');
    expect(f.write?.target).toBe('public.order_line');
    expect(f.write?.columns).toEqual([
      'ol_amount',
      'ol_d_id',
      'ol_dist_info',
      'ol_i_id',
      'ol_number',
      'ol_o_id',
      'ol_quantity',
      'ol_supply_w_id',
      'ol_w_id',
    ]);
  });

  it('ordStatGetNewestOrdSQL: newest order of a customer', () => {
    const f = facts('ordStatGetNewestOrdSQL');
    expect(filters(f)).toEqual(eqParams('oorder', ['o_w_id', 'o_d_id', 'o_c_id']));
    expect(f.orderBy).toEqual([{ table: 'public.oorder', column: 'o_id' }]);
    expect(f.features.limit).toBe(true);
  });

  it('customerByNameSQL: by last name, ordered by first name', () => {
    const f = facts('customerByNameSQL');
    expect(filters(f)).toEqual(eqParams('customer', ['c_w_id', 'c_d_id', 'c_last']));
    expect(f.orderBy).toEqual([{ table: 'public.customer', column: 'c_first' }]);
  });

  it('payUpdateWhseSQL: w_ytd on one warehouse', () => {
    const f = facts('payUpdateWhseSQL');
    expect(f.write?.columns).toEqual(['w_ytd']);
    expect(filters(f)).toEqual(eqParams('warehouse', ['w_id']));
  });

  it('payUpdateCustBalCdataSQL: four columns', () => {
    const f = facts('payUpdateCustBalCdataSQL');
    expect(f.write?.columns).toEqual(['c_balance', 'c_data', 'c_payment_cnt', 'c_ytd_payment']);
    expect(filters(f)).toEqual(eqParams('customer', ['c_w_id', 'c_d_id', 'c_id']));
  });

  it('payInsertHistSQL: eight columns of history', () => {
    const f = facts('payInsertHistSQL');
    expect(f.tablesWritten).toEqual(['public.history']);
    expect(f.write?.columns).toEqual(['h_amount', 'h_c_d_id', 'h_c_id', 'h_c_w_id', 'h_d_id', 'h_data', 'h_date', 'h_w_id']);
  });

  it('stockGetCountStockSQL: order_line joined to stock on the item, counted distinct', () => {
    const f = facts('stockGetCountStockSQL');
    expect(f.tablesRead).toEqual(['public.order_line', 'public.stock']);
    expect(f.joins).toEqual([
      {
        left: { table: 'public.order_line', column: 'ol_i_id' },
        right: { table: 'public.stock', column: 's_i_id' },
        joinType: 'inner',
        where: 'where',
        underOr: false,
      },
    ]);
    expect(filters(f)).toEqual([
      'order_line.ol_d_id = param',
      'order_line.ol_o_id range param',
      'order_line.ol_w_id = param',
      'stock.s_quantity range param',
      'stock.s_w_id = param',
    ]);
    expect(f.features.aggregates).toBe(true);
    expect(f.features.cartesian).toEqual([]);
    expect(f.unresolved).toEqual([]);
  });

  it('no TPC-C statement leaves a column unresolved', () => {
    for (const s of stmts) expect(extractFacts(catalog, s.statement).unresolved, s.label).toEqual([]);
  });
});
