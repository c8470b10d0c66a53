/**
 * The extractor of one run: what the walk asks of the catalog (relation
 * names, columns, functions, views seen through), with per-catalog caches,
 * and the entry that turns SQL text, a script statement or a statement node
 * into one statement's facts.
 */
import type { Catalog } from '../../catalog/model.js';
import type { Node } from '../../ingest/pg/ast.js';
import { parseSql, qualifiedKey, splitKey, type Statement } from '../../ingest/pg/index.js';
import { AGGREGATES, BUILTIN_VOLATILITY } from '../builtins.js';
import type { QueryFacts, QueryTree, Volatility } from '../model.js';
import type { ViewDefinition } from '../views.js';
import type { Names, Resolver } from './context.js';
import { FactsSyntaxError } from './errors.js';
import { rename, type ColMap } from './scope.js';
import { Walk, type Nesting, type StatementSource } from './walk.js';

export interface ExtractOptions {
  /** Schemas searched for unqualified relation and function names. Default `['public']`. */
  readonly searchPath?: readonly string[];
  /**
   * The queries behind views (see `views.ts`): a column of such a view resolves
   * to the base column it shows when the view's output is a plain column. A
   * definition whose key the catalog does not have (a view the workload
   * creates) makes that view known.
   */
  readonly views?: readonly ViewDefinition[];
  /**
   * When every table and view of the catalog lives in one schema other than
   * `public`, resolve unqualified names that the search path does not find in
   * that schema (a statement with its own search path excepted). Default false.
   */
  readonly assumeSingleSchema?: boolean;
  /**
   * The key an unqualified relation name resolves to in the session that runs
   * the statement (a simulated session tracks its own search_path); a key the
   * catalog does not have falls back to the search path.
   */
  readonly resolveRelation?: (name: string) => string;
}

/**
 * Extracts facts for many statements against one catalog. Holds only
 * per-catalog caches; make one per run.
 */
export class FactExtractor implements Resolver {
  private readonly searchPath: readonly string[];
  private readonly tableCols = new Map<string, ColMap>();
  private readonly viewBases = new Map<string, string[]>();
  /** Definitions of plain views, by key (the last one given wins). */
  private readonly viewDefs = new Map<string, ViewDefinition>();
  /** Output columns of defined views (null: not known), and the tables a view the catalog lacks reads. */
  private readonly viewOut = new Map<string, ColMap | null>();
  private readonly viewReads = new Map<string, string[]>();
  private readonly viewTrees = new Map<string, QueryTree | null>();
  private readonly viewsInProgress = new Set<string>();
  /** The depth of the statement being walked, which the walks of the views it reads continue. */
  private readonly nesting: Nesting = { depth: 0 };
  /** See `assumeSingleSchema`. */
  readonly singleSchema?: string;
  private readonly sessionResolve?: (name: string) => string;

  constructor(
    readonly catalog: Catalog,
    options: ExtractOptions = {},
  ) {
    this.searchPath = options.searchPath ?? ['public'];
    if (options.resolveRelation) this.sessionResolve = options.resolveRelation;
    for (const v of options.views ?? []) {
      if (this.catalog.views[v.key]?.materialized || this.catalog.tables[v.key]) continue;
      this.viewDefs.set(v.key, v);
    }
    if (options.assumeSingleSchema) {
      const schemas = new Set([...Object.values(catalog.tables), ...Object.values(catalog.views)].map((r) => r.schema));
      const [only] = schemas;
      if (schemas.size === 1 && only !== 'public') this.singleSchema = only;
    }
  }

  /** Facts of one statement: SQL text (the first statement is used), a script Statement, or a statement node. */
  extract(input: string | Statement | Node, options: { readonly searchPath?: readonly string[] } = {}): QueryFacts {
    return this.extractWith(input, options).facts;
  }

  /** `extract`, also saying whether the single-schema fallback resolved a name. */
  extractWith(input: string | Statement | Node, options: { readonly searchPath?: readonly string[] } = {}): { facts: QueryFacts; usedFallback: boolean } {
    const { node, source } = statementOf(input);
    const names: Names = options.searchPath ? { path: options.searchPath } : { path: this.searchPath, ...(this.singleSchema ? { fallback: this.singleSchema } : {}) };
    // A walk that failed left its depth behind.
    this.nesting.depth = 0;
    const facts = new Walk(this, names, source, this.nesting).run(node);
    return { facts, usedFallback: names.usedFallback === true };
  }

  /** Output columns of a view whose query is known (materialized views excepted). */
  viewColumns(key: string): ColMap | undefined {
    this.defineView(key);
    return this.viewOut.get(key) ?? undefined;
  }

  /** Walks a defined view's query once: its output columns and the tables it reads. */
  private defineView(key: string): void {
    if (this.viewOut.has(key) || this.viewsInProgress.has(key)) return;
    const def = this.viewDefs.get(key);
    if (!def) return;
    this.viewsInProgress.add(key);
    try {
      const hints = new Map<string, string>();
      const dup = new Set<string>();
      for (const r of def.reads ?? []) {
        const { name } = splitKey(r);
        if (hints.has(name)) dup.add(name);
        hints.set(name, r);
      }
      for (const d of dup) hints.delete(d);
      const names: Names = {
        path: def.searchPath ?? this.searchPath,
        ...(hints.size ? { hints } : {}),
        ...(!def.searchPath && this.singleSchema ? { fallback: this.singleSchema } : {}),
      };
      const { out, tablesRead, complete, tree } = new Walk(this, names, undefined, this.nesting).runQuery(def.query);
      // A view whose query names relations we do not know shows columns we cannot vouch for.
      this.viewOut.set(key, complete ? (rename(out, def.columns).cols ?? null) : null);
      this.viewTrees.set(key, tree ? { ...tree, ...(def.columns.length ? { columns: rename(out, def.columns).names } : {}) } : null);
      if (!this.catalog.views[key]) this.viewReads.set(key, tablesRead);
    } finally {
      this.viewsInProgress.delete(key);
    }
  }

  viewTree(key: string): QueryTree | null {
    this.defineView(key);
    return this.viewTrees.get(key) ?? null;
  }

  isMaterialized(key: string): boolean {
    return this.catalog.views[key]?.materialized === true;
  }

  columnsOf(key: string): ColMap {
    let m = this.tableCols.get(key);
    if (!m) {
      m = new Map();
      for (const c of this.catalog.tables[key].columns) m.set(c.name, { table: key, column: c.name });
      this.tableCols.set(key, m);
    }
    return m;
  }

  /** The base tables a view reads, through the views it reads (materialized views count as relations). */
  viewTables(key: string): string[] {
    const cached = this.viewBases.get(key);
    if (cached) return cached;
    if (!this.catalog.views[key] && this.viewDefs.has(key)) {
      // A view the workload creates: the tables its query reads.
      this.defineView(key);
      return this.viewReads.get(key) ?? [];
    }
    const out = new Set<string>();
    const seen = new Set<string>();
    // Depth first, in the order the views read them (a stack, so that a long chain of views is no deep recursion).
    const stack = [key];
    while (stack.length) {
      const k = stack.pop()!;
      if (seen.has(k)) continue;
      seen.add(k);
      const v = this.catalog.views[k];
      if (!v || v.materialized) {
        if (this.catalog.tables[k] || v) out.add(k);
        continue;
      }
      for (let i = v.reads.length - 1; i >= 0; i--) stack.push(v.reads[i]);
    }
    const list = [...out].sort();
    this.viewBases.set(key, list);
    return list;
  }

  private kindOf(key: string): 'table' | 'view' | undefined {
    return this.catalog.tables[key] ? 'table' : this.catalog.views[key] || this.viewDefs.has(key) ? 'view' : undefined;
  }

  /** Resolve a relation name to a catalog key. */
  relation(schema: string | undefined, name: string, names: Names = { path: this.searchPath }): { key: string; kind: 'table' | 'view' | 'unknown' } {
    if (schema) {
      const key = qualifiedKey(schema, name);
      return { key, kind: this.kindOf(key) ?? 'unknown' };
    }
    if (this.sessionResolve) {
      const key = this.sessionResolve(name);
      const kind = this.kindOf(key);
      if (kind) return { key, kind };
    }
    const hinted = names.hints?.get(name);
    if (hinted) {
      const kind = this.kindOf(hinted);
      if (kind) return { key: hinted, kind };
    }
    // Temporary objects come first, then the path, then pg_catalog (when the path does not name it).
    for (const s of ['pg_temp', ...names.path, 'pg_catalog']) {
      if (s.startsWith('$')) continue;
      const key = qualifiedKey(s, name);
      const kind = this.kindOf(key);
      if (kind) return { key, kind };
    }
    if (names.fallback) {
      const key = qualifiedKey(names.fallback, name);
      const kind = this.kindOf(key);
      if (kind) {
        names.usedFallback = true;
        return { key, kind };
      }
    }
    return { key: `${names.path.find((s) => !s.startsWith('$')) ?? 'public'}.${name}`, kind: 'unknown' };
  }

  functionInfo(parts: string[], names: Names = { path: this.searchPath }): { name: string; volatility: Volatility; aggregate: boolean } {
    const fname = parts[parts.length - 1];
    const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
    if (schema === undefined || schema === 'pg_catalog') {
      const v = BUILTIN_VOLATILITY.get(fname);
      if (v) return { name: `pg_catalog.${fname}`, volatility: v, aggregate: AGGREGATES.has(fname) };
    }
    const schemas = schema ? [schema] : names.fallback ? [...names.path, names.fallback] : names.path;
    for (const s of schemas) {
      const f = this.catalog.functions[qualifiedKey(s, fname)];
      if (f) return { name: f.key, volatility: f.volatility, aggregate: false };
    }
    if (schema === undefined && AGGREGATES.has(fname)) return { name: `pg_catalog.${fname}`, volatility: 'immutable', aggregate: true };
    return { name: parts.join('.'), volatility: 'unknown', aggregate: false };
  }
}

/** The statement node of an input, and how its tree's locations map into its text. */
function statementOf(input: string | Statement | Node): { node: Node; source: StatementSource } {
  // The walk bounds nesting itself, flat lists aside, and says where: the parser's coarser bound is lifted.
  if (typeof input === 'string') {
    const r = parseSql(input, { maxDepth: Infinity });
    if (!r.ok) throw new FactsSyntaxError(r.error.message, r.error.cursor);
    const node = r.result.stmts?.[0]?.stmt;
    if (!node) throw new FactsSyntaxError('no statement');
    return { node, source: { base: 0, text: input } };
  }
  if (isStatement(input)) {
    if (!input.node && input.error?.tooDeep) {
      const r = parseSql(input.sql, { maxDepth: Infinity });
      const node = r.ok ? r.result.stmts?.[0]?.stmt : undefined;
      if (node) return { node, source: { base: 0, text: input.sql } };
    }
    if (!input.node) throw new FactsSyntaxError(input.error?.message ?? 'statement did not parse');
    // Tree locations count from the file offset nodeBase; the statement's text starts at startByte.
    return { node: input.node, source: { base: input.nodeBase - input.startByte, text: input.sql } };
  }
  return { node: input, source: { base: 0 } };
}

function isStatement(input: Statement | Node): input is Statement {
  return 'sql' in input && 'location' in input;
}
