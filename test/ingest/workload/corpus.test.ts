/**
 * Every corpus workload reads with no diagnostics, and every statement in it is
 * accounted for (counted independently by parsing the whole file at once).
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadParser, parseSql } from '../../../src/ingest/pg/index.js';
import { readWorkload, type WorkloadInput } from '../../../src/ingest/workload/index.js';
import { corpusDatasets, corpusDir } from '../../support/corpus.js';

const withQueries = corpusDatasets().filter((d) => d.queriesPath);

function statementsInFile(path: string): number {
  const r = parseSql(readFileSync(path, 'utf8'));
  if (!r.ok) throw new Error(`${path} does not parse as a whole: ${r.error.message}`);
  return (r.result.stmts ?? []).length;
}

describe('corpus workloads', () => {
  beforeAll(loadParser);

  it('has the workloads the corpus README lists', () => {
    expect(withQueries.length).toBe(21);
  });

  it.each(withQueries.map((d) => [d.name, d.queriesPath!]))('%s: every statement read, no diagnostics', async (name, path) => {
    // relative to the root that holds the dataset (the shared corpus or the repository's)
    const w = await readWorkload([`${name}/queries.sql`], dirname(dirname(path)));
    expect(w.diagnostics).toEqual([]);
    expect(w.inputs).toEqual([{ file: `${name}/queries.sql`, format: 'sql', statements: statementsInFile(path) }]);
    expect(w.queries.length).toBeGreaterThan(0);
    for (const q of w.queries) expect(q.sources[0].file).toBe(`${name}/queries.sql`);
  });

  const get = async (name: string): Promise<WorkloadInput> => readWorkload([`${name}/queries.sql`], corpusDir());

  it('tpcc: procedure names and mix weights', async () => {
    const w = await get('benchbase-tpcc');
    const stock = w.queries.find((q) => q.sql.startsWith('SELECT COUNT(DISTINCT (S_I_ID))'));
    expect(stock?.label).toBe('StockLevel');
    expect(stock?.weight).toBe(4);
    const newOrder = w.queries.filter((q) => q.label === 'NewOrder');
    expect(newOrder.length).toBeGreaterThan(5);
    for (const q of newOrder) if (!q.labels) expect(q.weight).toBe(45);
    // a statement several procedures run: the weights add up, every label kept
    const shared = w.queries.find((q) => (q.labels?.length ?? 0) > 1);
    expect(shared).toBeDefined();
    expect(shared!.weight).toBeGreaterThan(45);
    // weights of the mix: NewOrder 45 + Payment 43 + OrderStatus 4 + Delivery 4 + StockLevel 4 (per statement)
    expect(w.queries[0].weight).toBeGreaterThanOrEqual(45);
  });

  it('auctionmark: procedures outside the mix (weight n/a) weigh 0', async () => {
    const w = await get('benchbase-auctionmark');
    const close = w.queries.filter((q) => q.label === 'CloseAuctions' && !q.labels);
    expect(close.length).toBeGreaterThan(0);
    for (const q of close) expect(q.weight).toBe(0);
  });

  it('tpch: Q15 is three statements under one label', async () => {
    const w = await get('tpch');
    const q15 = w.queries.filter((q) => q.label === 'Q15');
    expect(q15.map((q) => q.command).sort()).toEqual(['SelectStmt', 'ViewStmt', 'DropStmt'].sort());
    // the view it creates is kept, so that the SELECT sees through it
    expect(w.views?.map((v) => [v.sql.split('\n')[0], v.location.line, v.searchPath])).toEqual([['create view revenue0 (supplier_no, total_revenue) as', 450, undefined]]);
    expect(w.queries.filter((q) => /^Q\d+$/.test(q.label ?? '')).length).toBe(24);
  });

  it('tpcds: labels from the dsqgen start/end comments', async () => {
    const w = await get('tpcds');
    expect(w.queries.find((q) => q.label === 'query1')?.sources[0].line).toBeGreaterThan(5);
    expect(w.queries.every((q) => q.label?.startsWith('query'))).toBe(true);
  });

  it('citus examples: BEGIN ... COMMIT blocks are transactions; file :: function comments label', async () => {
    const mt = await get('citus-tutorial-multitenant');
    expect(mt.transactions).toHaveLength(1);
    expect(mt.transactions[0].queries).toHaveLength(2);
    expect(mt.transactions[0].committed).toBe(true);
    const rails = await get('citus-example-ad-analytics-rails');
    expect(rails.queries.every((q) => q.label?.includes(' :: '))).toBe(true);
  });
});
