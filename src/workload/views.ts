/**
 * View definitions for the fact extractor: the SELECT behind each view, so
 * that a column of a view resolves to the base column it shows. They come
 * from the schema scripts (matched to the catalog's views by where the view
 * was created) and from `CREATE VIEW` statements of the workload itself.
 */
import type { Catalog } from '../catalog/model.js';
import type { Node, ViewStmt } from '../ingest/pg/ast.js';
import { namesOf, nodeAs, nodeOffset, parseSql, qualifiedKey, sessionStatement, type Script, type Statement } from '../ingest/pg/index.js';
import type { WorkloadView } from '../ingest/workload/model.js';

export interface ViewDefinition {
  /** Catalog key, `schema.name` (`pg_temp.name` for a temporary view). */
  readonly key: string;
  /** The view's query: a `{ SelectStmt: ... }` node. */
  readonly query: Node;
  /** Column names given in `CREATE VIEW v (a, b)`, renaming the query's output columns in order. */
  readonly columns: string[];
  /** The search_path the view was created with: its query's unqualified names resolve with it. */
  readonly searchPath?: readonly string[];
  /** Relations the query reads as the catalog resolved them: preferred for its unqualified names. */
  readonly reads?: readonly string[];
}

/**
 * The definition a `CREATE [OR REPLACE] [TEMP] VIEW` statement node gives,
 * or undefined for any other statement (materialized views hold their own
 * rows: their columns are not mapped to base columns).
 */
export function viewFromStatement(catalog: Catalog, node: Node | undefined, searchPath?: readonly string[]): ViewDefinition | undefined {
  const v = plainView(node);
  if (!v?.view?.relname) return undefined;
  const name = v.view.relname;
  const schema = v.view.relpersistence === 't' ? 'pg_temp' : (v.view.schemaname ?? creationSchema(catalog, searchPath ?? ['public']));
  return { key: qualifiedKey(schema, name), query: v.query, columns: namesOf(v.aliases), ...(searchPath ? { searchPath: [...searchPath] } : {}) };
}

/** A CREATE VIEW statement whose query is a SELECT. */
function plainView(node: Node | undefined): (ViewStmt & { readonly query: Node }) | undefined {
  const v = nodeAs(node, 'ViewStmt');
  return v?.query && nodeAs(v.query, 'SelectStmt') ? (v as ViewStmt & { readonly query: Node }) : undefined;
}

/** Where PostgreSQL creates an unqualified object: the first schema of the path that exists. */
function creationSchema(catalog: Catalog, path: readonly string[]): string {
  const real = path.filter((s) => !s.startsWith('$') && s !== 'pg_catalog' && s !== 'pg_temp');
  return real.find((s) => catalog.schemas.includes(s)) ?? real[0] ?? 'public';
}

/**
 * Definitions of the catalog's (non-materialized) views, from the schema
 * scripts the catalog was built from: each CREATE VIEW statement is matched
 * to the catalog view created at the same place, so the view keeps the key
 * and the resolved relations the catalog gave it.
 */
export function schemaViewDefinitions(catalog: Catalog, scripts: readonly Script[]): ViewDefinition[] {
  const byPlace = new Map<string, string>();
  for (const v of Object.values(catalog.views)) {
    if (!v.materialized) byPlace.set(`${v.location.file}\u0000${v.location.line}\u0000${v.location.column}`, v.key);
  }
  if (!byPlace.size) return [];
  const out: ViewDefinition[] = [];
  for (const script of scripts) {
    for (const stmt of script.statements) {
      const v = plainView(stmt.node);
      if (!v?.view) continue;
      const at = script.source.locate(nodeOffset(stmt, v.view.location));
      const key = byPlace.get(`${at.file}\u0000${at.line}\u0000${at.column}`);
      if (!key) continue;
      out.push({ key, query: v.query, columns: namesOf(v.aliases), reads: catalog.views[key].reads });
    }
  }
  return out;
}

/** Definitions of the views a workload creates (each with the search_path it ran with). */
export function workloadViewDefinitions(catalog: Catalog, views: readonly WorkloadView[]): ViewDefinition[] {
  const out: ViewDefinition[] = [];
  for (const w of views) {
    const parsed = parseSql(w.sql);
    if (!parsed.ok) continue;
    const def = viewFromStatement(catalog, parsed.result.stmts?.[0]?.stmt, w.searchPath);
    if (def) out.push(def);
  }
  return out;
}

/**
 * Definitions of the CREATE VIEW statements among script statements, read in
 * order as one session (`SET search_path` applies to the statements after it).
 */
export function statementViewDefinitions(catalog: Catalog, statements: readonly Statement[]): ViewDefinition[] {
  const out: ViewDefinition[] = [];
  let path: readonly string[] | undefined;
  for (const s of statements) {
    if (!s.node) continue;
    const change = sessionStatement(s.node)?.searchPath;
    if (change && !change.local && change.kind !== 'unknown') path = change.kind === 'set' ? change.path : undefined;
    const def = viewFromStatement(catalog, s.node, path);
    if (def) out.push(def);
  }
  return out;
}

/** Every view definition a run has: the schema's, then the workload's (a later definition of the same key replaces an earlier one). */
export function viewDefinitions(catalog: Catalog, scripts: readonly Script[], views: readonly WorkloadView[] = []): ViewDefinition[] {
  return [...schemaViewDefinitions(catalog, scripts), ...workloadViewDefinitions(catalog, views)];
}
