/**
 * Statements nested deeper than the extractor follows are refused with an
 * error that says where, never a stack overflow; long lists that SQL writes
 * flat (UNION branches, joins, operator chains) are no nesting, however long.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readSchema, type Catalog } from '../../src/catalog/index.js';
import { readScript } from '../../src/ingest/pg/index.js';
import type { WorkloadQuery } from '../../src/ingest/workload/model.js';
import { analyzeWorkload, extractFacts, FactsNestingError, FactsSyntaxError, MAX_NESTING } from '../../src/workload/extract.js';
import { schemaViewDefinitions } from '../../src/workload/views.js';

let catalog: Catalog;

beforeAll(async () => {
  ({ catalog } = await readSchema([{ file: 'schema.sql', text: 'CREATE TABLE t (id bigint PRIMARY KEY, a int);' }]));
});

const nestedCalls = (n: number) => `SELECT ${'abs('.repeat(n)}a${')'.repeat(n)} FROM t`;
const nestedSubqueries = (n: number) => `SELECT ${'(SELECT '.repeat(n)}1${')'.repeat(n)}`;

function nestingError(f: () => unknown): FactsNestingError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(FactsNestingError);
    return e as FactsNestingError;
  }
  throw new Error('expected a FactsNestingError');
}

describe('nesting', () => {
  it('refuses a statement nested thousands of levels deep with a located error, not a stack overflow', () => {
    const sql = nestedCalls(3000);
    const e = nestingError(() => extractFacts(catalog, sql));
    expect(e).toBeInstanceOf(FactsSyntaxError);
    expect(e.limit).toBe(MAX_NESTING);
    expect(e.message).toMatch(new RegExp(`nests deeper than ${MAX_NESTING} levels \\(line 1, column \\d+ of the statement\\)`));
    // at one of the calls, some hundreds deep
    expect(e.cursor).toBe(e.at!.column - 1);
    expect(sql.slice(e.cursor)).toMatch(/^abs\(abs\(/);
    expect(e.cursor).toBeGreaterThan(4 * (MAX_NESTING / 2));

    expect(() => extractFacts(catalog, nestedSubqueries(1000))).toThrow(FactsNestingError);
  });

  it('locates the error in a statement of a script by its own line and column', () => {
    const inner = `SELECT a\n  FROM t\n WHERE a = ${'abs('.repeat(2000)}1${')'.repeat(2000)}`;
    const script = readScript('q.sql', `SELECT 1;\n\n${inner};\n`);
    const e = nestingError(() => extractFacts(catalog, script.statements[1]));
    expect(e.at!.line).toBe(3);
    const fromText = nestingError(() => extractFacts(catalog, inner));
    expect(e.at).toEqual(fromText.at);
    expect(e.cursor).toBe(fromText.cursor);
  });

  it('counts the levels of the view queries a statement reads through', async () => {
    const views = ['CREATE TABLE t (id bigint, a int);', 'CREATE VIEW v0 AS SELECT id, a FROM t;', ...Array.from({ length: 1000 }, (_, i) => `CREATE VIEW v${i + 1} AS SELECT id, a FROM v${i};`)];
    const schema = await readSchema([{ file: 'views.sql', text: views.join('\n') }]);
    const defs = schemaViewDefinitions(schema.catalog, schema.scripts);
    expect(extractFacts(schema.catalog, 'SELECT a FROM v20 WHERE id = 1', { views: defs }).filters.map((f) => `${f.table}.${f.column}`)).toEqual(['public.t.id']);
    expect(() => extractFacts(schema.catalog, 'SELECT a FROM v1000 WHERE id = 1', { views: defs })).toThrow(FactsNestingError);
  });

  it('gives facts up to the limit', () => {
    expect(extractFacts(catalog, nestedCalls(MAX_NESTING / 4)).tablesRead).toEqual(['public.t']);
    expect(extractFacts(catalog, nestedSubqueries(MAX_NESTING / 10)).features.subqueries.length).toBe(MAX_NESTING / 10);
  });

  it('leaves such a query out of a workload with a diagnostic, and analyses the others', () => {
    const q = (id: string, sql: string): WorkloadQuery => ({ id, fingerprint: id, sql, sample: sql, weight: 1, calls: 1, sources: [{ file: 'w.sql', line: 3, column: 1 }] });
    const w = analyzeWorkload(catalog, [q('deep', nestedSubqueries(1500)), q('flat', 'SELECT a FROM t WHERE id = 1')]);
    expect(w.queries.map((x) => x.query.id)).toEqual(['flat']);
    expect(w.diagnostics).toHaveLength(1);
    expect(w.diagnostics[0]).toMatchObject({ code: 'unsupported-statement', severity: 'error', location: { file: 'w.sql', line: 3, column: 1 } });
    expect(w.diagnostics[0].message).toMatch(/^query deep is left out: the statement nests deeper than \d+ levels \(line 1, column \d+ of the statement\)$/);
  });

  it('follows long flat lists however long: UNION branches, joins, operator chains', () => {
    const union = Array.from({ length: 5000 }, (_, i) => `SELECT a FROM t WHERE id = ${i}`).join(' UNION ALL ');
    const u = extractFacts(catalog, union);
    expect(u.features.setOperations).toEqual(['union all']);
    expect(u.filters).toHaveLength(5000);

    const joins = `SELECT t0.a FROM t t0${Array.from({ length: 3000 }, (_, i) => ` JOIN t t${i + 1} ON t${i + 1}.id = t${i}.a`).join('')}`;
    const j = extractFacts(catalog, joins);
    expect(j.joins).toEqual([{ left: { table: 'public.t', column: 'a' }, right: { table: 'public.t', column: 'id' }, joinType: 'inner', where: 'on', underOr: false }]);
    expect(j.features.cartesian).toEqual([]);

    const chain = `SELECT ${Array.from({ length: 5000 }, () => 'a').join(' + ')} FROM t WHERE id = 1`;
    expect(extractFacts(catalog, chain).unresolved).toEqual([]);
  });
});
