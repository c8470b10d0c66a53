/**
 * Query shapes: the distinct query facts of a workload. A workload of 100,000
 * statements has a few thousand shapes; what the advisor derives from facts
 * alone (routing under a design, columns used, tables touched) is derived
 * once per shape, then applied to each query in workload order, so that sums
 * over the workload add up exactly as they would query by query.
 */
import { partitionRoot } from '../catalog/index.js';
import type { Catalog } from '../catalog/model.js';
import type { QueryFacts, Workload } from '../workload/model.js';

export interface Shape {
  readonly facts: QueryFacts;
  /** Root tables (a partition counts as its parent) it reads or writes, sorted. */
  readonly tables: readonly string[];
  /** Root tables it writes, sorted. */
  readonly written: readonly string[];
}

export interface WorkloadShapes {
  /** In order of first occurrence in the workload. */
  readonly shapes: readonly Shape[];
  /** Per query (index into `workload.queries`), its shape's index. */
  readonly shapeOf: Int32Array;
}

/**
 * Group the queries by their facts. Facts are JSON values, so equal JSON is
 * equal facts. Queries sharing one facts object (a cache upstream) are matched
 * without serialising; other facts are serialised only when a short summary
 * of them (statement, tables, filtered columns) matches an earlier shape's.
 */
export function groupShapes(catalog: Catalog, workload: Workload | undefined): WorkloadShapes {
  const queries = workload?.queries ?? [];
  const shapeOf = new Int32Array(queries.length);
  const byObject = new Map<QueryFacts, number>();
  const bySummary = new Map<string, { readonly first: number; byJson?: Map<string, number> }>();
  const shapes: Shape[] = [];
  const root = (k: string) => partitionRoot(catalog, k);
  const add = (facts: QueryFacts): number => {
    const tables = [...new Set([...facts.tablesRead, ...facts.tablesWritten].map(root))].sort();
    const written = [...new Set(facts.tablesWritten.map(root))].sort();
    shapes.push({ facts, tables, written });
    return shapes.length - 1;
  };
  for (let i = 0; i < queries.length; i++) {
    const facts = queries[i].facts;
    let s = byObject.get(facts);
    if (s === undefined) {
      const key = summary(facts);
      const seen = bySummary.get(key);
      if (!seen) bySummary.set(key, { first: (s = add(facts)) });
      else {
        seen.byJson ??= new Map([[JSON.stringify(shapes[seen.first].facts), seen.first]]);
        const json = JSON.stringify(facts);
        s = seen.byJson.get(json);
        if (s === undefined) seen.byJson.set(json, (s = add(facts)));
      }
      byObject.set(facts, s);
    }
    shapeOf[i] = s;
  }
  return { shapes, shapeOf };
}

/** Parts of the facts' JSON that tell most shapes apart: equal JSON gives equal summaries. */
function summary(f: QueryFacts): string {
  const cols = (xs: ReadonlyArray<{ readonly table: string; readonly column: string }> | undefined) => (xs ?? []).map((x) => `${x.table}.${x.column}`).join(',');
  return [f.kind, f.statement, f.tablesRead?.join(','), f.tablesWritten?.join(','), cols(f.filters), cols(f.joins?.map((j) => j.left)), cols(f.joins?.map((j) => j.right)), f.write?.target].join('\u0000');
}
