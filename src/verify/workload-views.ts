/**
 * A view the workload creates itself (TPC-H Q15: CREATE VIEW, SELECT from it,
 * DROP VIEW) is not on the cluster, and a read-only session cannot create it.
 * The statements that read it are planned through its query instead, written
 * in as a subquery where the view is named, which is how PostgreSQL (and
 * Citus after it) plans a view. shardwise predicts the statement as written:
 * it sees through the workload's views itself.
 */
import type { Node, RangeVar } from '@pgsql/types';
import type { WorkloadView } from '../ingest/workload/model.js';
import { deparseNode, makeNode, nodeAs, parseSql, walkNodes } from '../ingest/pg/index.js';

interface ViewQuery {
  readonly schema?: string;
  readonly query: Node;
  readonly columns: Node[];
}

function definitions(views: readonly WorkloadView[]): Map<string, ViewQuery> {
  const out = new Map<string, ViewQuery>();
  for (const v of views) {
    const parsed = parseSql(v.sql);
    const stmt = parsed.ok ? nodeAs(parsed.result.stmts?.[0]?.stmt, 'ViewStmt') : undefined;
    const name = stmt?.view?.relname;
    if (!stmt?.query || !name || out.has(name)) continue;
    out.set(name, { ...(stmt.view?.schemaname ? { schema: stmt.view.schemaname } : {}), query: stmt.query, columns: stmt.aliases ?? [] });
  }
  return out;
}

/** The statement with the workload's views it reads written in as subqueries; undefined when it reads none. */
export function inlineWorkloadViews(sql: string, views: readonly WorkloadView[]): { readonly sql: string; readonly views: string[] } | undefined {
  if (!views.length) return undefined;
  const defs = definitions(views);
  const parsed = parseSql(sql);
  if (!defs.size || !parsed.ok || parsed.result.stmts?.length !== 1) return undefined;
  const used = new Set<string>();
  walkNodes(parsed.result, (tag, body, node) => {
    if (tag !== 'RangeVar') return true;
    const rv = body as RangeVar;
    const def = defs.get(rv.relname ?? '');
    if (!def || (rv.schemaname && def.schema && rv.schemaname !== def.schema)) return true;
    used.add(rv.relname!);
    const alias = { aliasname: rv.alias?.aliasname ?? rv.relname!, ...(rv.alias?.colnames?.length || def.columns.length ? { colnames: rv.alias?.colnames ?? def.columns } : {}) };
    const subselect = nodeAs(makeNode('RangeSubselect', { subquery: structuredClone(def.query), alias }), 'RangeSubselect')!;
    // The tree is this function's own: the FROM item becomes the subquery in place.
    const slot = node as unknown as Record<string, unknown>;
    delete slot.RangeVar;
    slot.RangeSubselect = subselect;
    return false;
  });
  if (!used.size) return undefined;
  return { sql: deparseNode(parsed.result.stmts[0].stmt!), views: [...used].sort() };
}
