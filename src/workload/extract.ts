/**
 * Statement -> QueryFacts, in one walk of the parse tree with context: which
 * scope (query level) we are in, which clause, whether under OR / NOT / CASE,
 * which join. Column references are resolved through aliases, CTEs, derived
 * tables, USING/NATURAL joins and views whose query is known (`views.ts`) to
 * base table columns; what cannot be resolved is reported in `unresolved`,
 * never guessed.
 *
 * The walk lives in `facts/`, a module per statement family: `select.ts`,
 * `modify.ts` (INSERT / UPDATE / DELETE / MERGE), `subqueries.ts` (WITH and
 * subqueries), `from.ts`, `predicates.ts`, `expressions.ts`, `outputs.ts`
 * (select lists, set operations), `columns.ts` (name resolution), tied
 * together by `walk.ts`; `extractor.ts` answers what they ask of the catalog.
 */
import type { Catalog, Diagnostic } from '../catalog/model.js';
import type { Node } from '../ingest/pg/ast.js';
import type { Statement } from '../ingest/pg/index.js';
import type { WorkloadQuery } from '../ingest/workload/model.js';
import { FactsNestingError, FactsSyntaxError } from './facts/errors.js';
import { FactExtractor, type ExtractOptions } from './facts/extractor.js';
import type { AnalyzedQuery, QueryFacts, Workload } from './model.js';

export { FactsNestingError, FactsSyntaxError } from './facts/errors.js';
export { FactExtractor, type ExtractOptions } from './facts/extractor.js';
export { MAX_NESTING } from './facts/walk.js';

/** Facts of one statement (SQL text, a script Statement, or a parse-tree statement node). */
export function extractFacts(catalog: Catalog, input: string | Statement | Node, options?: ExtractOptions): QueryFacts {
  return new FactExtractor(catalog, options).extract(input);
}

/**
 * Facts for every query of a workload. The sample (with real values) is
 * used when it parses, else the normalized text. Queries whose SQL does not
 * parse are left out, with a `syntax-error` diagnostic, and so are queries
 * nesting deeper than the walk follows (`unsupported-statement`). A query's
 * own `searchPath` (from a `SET search_path` of its session) resolves its
 * names; without one, and without `options.searchPath`, a catalog whose
 * tables all live in one schema other than `public` resolves unqualified
 * names there (`assumeSingleSchema`, on unless the options say otherwise).
 */
export function analyzeWorkload(catalog: Catalog, queries: readonly WorkloadQuery[], options: ExtractOptions = {}): Workload {
  const x = new FactExtractor(catalog, { assumeSingleSchema: options.searchPath === undefined, ...options });
  const out: AnalyzedQuery[] = [];
  const diagnostics: Diagnostic[] = [];
  let assumed = false;
  for (const query of queries) {
    let facts: QueryFacts | undefined;
    let error: FactsSyntaxError | undefined;
    for (const text of query.sample && query.sample !== query.sql ? [query.sample, query.sql] : [query.sql]) {
      try {
        const r = x.extractWith(text, query.searchPath ? { searchPath: query.searchPath } : {});
        facts = r.facts;
        if (r.usedFallback) assumed = true;
        break;
      } catch (e) {
        if (!(e instanceof FactsSyntaxError)) throw e;
        error ??= e;
      }
    }
    if (facts) out.push({ query, facts });
    else diagnostics.push(leftOut(query, error));
  }
  return { queries: out, diagnostics, ...(assumed && x.singleSchema ? { assumedSchema: x.singleSchema } : {}) };
}

/** The diagnostic for a query that gives no facts. */
function leftOut(query: WorkloadQuery, error: FactsSyntaxError | undefined): Diagnostic {
  const location = query.sources[0] ?? { file: '', line: 0, column: 0 };
  if (error instanceof FactsNestingError) {
    return {
      code: 'unsupported-statement',
      severity: 'error',
      message: `query ${query.id} is left out: ${error.message}`,
      location,
      hint: `shardwise follows statements up to ${error.limit} levels deep (subqueries, function calls and parentheses inside each other)`,
    };
  }
  return { code: 'syntax-error', severity: 'error', message: `query ${query.id} does not parse: ${error?.message ?? 'unknown error'}`, location };
}
