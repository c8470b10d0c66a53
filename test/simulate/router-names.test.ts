/**
 * The router writes task SQL with the names the fact extractor resolved:
 * a query's own search path picks the table, and a CTE that shadows a
 * table's name does so only inside its own scope.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readSchema, type Catalog } from '../../src/catalog/index.js';
import { parseDesign } from '../../src/design/file.js';
import type { WorkloadQuery } from '../../src/ingest/workload/model.js';
import { designView } from '../../src/simulate/cluster-run.js';
import { classifyQuery } from '../../src/simulate/routing/classify.js';
import { ShardRouter } from '../../src/simulate/routing/router.js';
import { buildTopology } from '../../src/simulate/shards.js';
import { analyzeWorkload } from '../../src/workload/extract.js';

const SCHEMA = `
CREATE SCHEMA app;
CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);
CREATE TABLE app.orders (id bigint PRIMARY KEY, note text);
`;
const DESIGN = `
shard_count: 4
tables:
  orders: { kind: distributed, column: id }
  app.orders: { kind: reference }
`;

let catalog: Catalog;
beforeAll(async () => {
  ({ catalog } = await readSchema([{ file: 'schema.sql', text: SCHEMA }]));
});

function tasks(sql: string, searchPath?: string[]): string[] {
  const design = parseDesign(DESIGN, 'plan.yaml', catalog);
  const topology = buildTopology(design, { nodes: 2 });
  const query: WorkloadQuery = { id: 'q', fingerprint: 'q', sql, sample: sql, weight: 1, calls: 1, sources: [], ...(searchPath ? { searchPath } : {}) };
  const [q] = analyzeWorkload(catalog, [query]).queries;
  const route = classifyQuery(q.facts, designView(catalog, design, topology));
  return new ShardRouter({ catalog, topology }).route(sql, q.facts, route).tasks.map((t) => t.sql);
}

describe('task SQL names', () => {
  it('follows the search path the query ran with', () => {
    const [onPublic] = tasks('SELECT id FROM orders WHERE id = 7');
    expect(onPublic).toMatch(/FROM public\.orders_\d+ AS orders WHERE/);
    const [onApp] = tasks('SELECT id FROM orders WHERE id = 7', ['app']);
    expect(onApp).toMatch(/FROM app\.orders_\d+ AS orders WHERE/);
  });

  it('leaves a CTE of the same name alone, and rewrites the table outside its scope', () => {
    const sql = 'SELECT total FROM orders WHERE id IN (WITH orders AS (SELECT 7 AS id) SELECT id FROM orders)';
    const all = tasks(sql);
    expect(all.length).toBe(4);
    for (const t of all) {
      expect(t).toMatch(/^SELECT total FROM public\.orders_\d+ AS orders WHERE/);
      expect(t).toMatch(/WITH orders AS \(SELECT 7 AS id\) SELECT id FROM orders\)$/);
    }
  });
});
