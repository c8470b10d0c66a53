/**
 * Statement -> QueryFacts, in one walk of the parse tree with context: which
 * scope (query level) we are in, which clause, whether under OR / NOT / CASE,
 * which join. Column references are resolved through aliases, CTEs, derived
 * tables, USING/NATURAL joins and views whose query is known (`views.ts`) to
 * base table columns; what cannot be resolved is reported in `unresolved`,
 * never guessed.
 */
import type { Catalog, Diagnostic } from '../catalog/model.js';
import type { Node } from '../ingest/pg/ast.js';
import { parseSql, type Statement, splitKey, qualifiedKey } from '../ingest/pg/index.js';
import type { WorkloadQuery } from '../ingest/workload/model.js';
import { AGGREGATES, BUILTIN_VOLATILITY, SQL_VALUE_FUNCTIONS, WINDOW_FUNCTIONS } from './builtins.js';
import type { ViewDefinition } from './views.js';
import type {
  AnalyzedQuery,
  ColumnFilter,
  ColumnRef,
  FilterClause,
  FilterOp,
  FunctionCall,
  InsertValue,
  JoinPair,
  JoinSource,
  JoinType,
  Place,
  QueryFacts,
  QueryKind,
  SubqueryFact,
  SubqueryKind,
  UnresolvedColumn,
  ValueKind,
  ValueSource,
  Volatility,
  Workload,
  WriteFacts,
} from './model.js';

// The parse tree is walked generically: node bodies are read as plain records.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any;

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
}

/** How one statement's unqualified names resolve. */
interface Names {
  readonly path: readonly string[];
  /** Preferred keys by relation name (a catalog view's query, as the catalog resolved it). */
  readonly hints?: ReadonlyMap<string, string>;
  /** The single schema tried last (see `assumeSingleSchema`). */
  readonly fallback?: string;
  /** Set when the fallback schema resolved a name. */
  usedFallback?: boolean;
}

/** Thrown by `extractFacts` when given SQL that does not parse. */
export class FactsSyntaxError extends Error {
  constructor(
    message: string,
    readonly cursor?: number,
  ) {
    super(message);
    this.name = 'FactsSyntaxError';
  }
}

// ---------------------------------------------------------------- scopes

type ColMap = Map<string, ColumnRef | null>;

interface Rel {
  readonly id: number;
  /** The name a qualified reference uses: alias, else the relation name. */
  readonly name: string;
  readonly kind: 'table' | 'view' | 'cte' | 'derived' | 'function' | 'unknown' | 'join';
  /** Catalog key (tables, views) or qualified name as written (unknown). */
  readonly key?: string;
  readonly aliased: boolean;
  /** Output columns -> base column (null: computed); undefined: columns not known. */
  readonly cols?: ColMap;
  /** A join alias: reachable only by its name. */
  readonly qualifiedOnly?: boolean;
}

interface Output {
  readonly names: string[];
  /** undefined when the output is not fully known (a `*` over a view, ...). */
  readonly cols?: ColMap;
}

interface Cte {
  out?: Output;
  /** FROM references to it. */
  refs: number;
  /** MATERIALIZED / NOT MATERIALIZED as written. */
  readonly materialized?: boolean;
  /** WITH RECURSIVE whose body refers to itself. */
  readonly recursive?: boolean;
  /** INSERT/UPDATE/DELETE/MERGE body: never inlined. */
  readonly modifying?: boolean;
}

class Scope {
  readonly rels: Rel[] = [];
  readonly ctes = new Map<string, Cte>();
  readonly merged = new Set<string>();
  /** Union-find over rel ids: which FROM items are linked by a join condition. */
  readonly link = new Map<number, number>();
  correlated = false;
  /** Output columns (for GROUP BY / ORDER BY by name or position). */
  targets: Array<{ name: string; node?: J }> = [];

  constructor(
    readonly parent: Scope | undefined,
    readonly level: number,
    /** A non-lateral derived table does not see its parent's FROM items (but sees its CTEs and outer levels). */
    readonly hideParentRels: boolean,
    /** Join type of equalities correlating this scope to an outer one. */
    readonly corrJoin: JoinType,
  ) {}

  find(id: number): number {
    let r = id;
    while (this.link.has(r) && this.link.get(r) !== r) r = this.link.get(r)!;
    return r;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.link.set(Math.max(ra, rb), Math.min(ra, rb));
  }
  cte(name: string): Cte | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const c = s.ctes.get(name);
      if (c) return c;
    }
    return undefined;
  }
}

interface Resolved {
  readonly rel: Rel;
  readonly scope: Scope;
  readonly ref: ColumnRef | null;
  /** Levels up from the scope of the reference (0 = same query level). */
  readonly depth: number;
}

interface Ctx {
  readonly scope: Scope;
  readonly place: Place;
  readonly clause?: FilterClause;
  readonly underOr: boolean;
  readonly negated: boolean;
  readonly inCase: boolean;
  readonly joinType: JoinType;
  readonly joinSource: JoinSource;
  /** For an outer join's ON: the rel ids of its left side. */
  readonly leftSide?: ReadonlySet<number>;
  /** Columns met while walking an operand. */
  readonly sink?: Resolved[];
}

type Operand =
  | { kind: 'column'; res: Resolved; cols: Resolved[] }
  | { kind: 'const'; value: string; cols: Resolved[] }
  | { kind: 'param'; cols: Resolved[] }
  | { kind: 'expr'; cols: Resolved[] };

// ---------------------------------------------------------------- helpers

function nodeType(n: J): string | undefined {
  if (!n || typeof n !== 'object') return undefined;
  for (const k in n) return k;
  return undefined;
}

function str(n: J): string {
  return n?.String?.sval ?? '';
}

function constText(c: J): string {
  if (c.isnull) return 'NULL';
  if (c.ival) return String(c.ival.ival ?? 0);
  if (c.fval) return String(c.fval.fval ?? '0');
  if (c.sval) return c.sval.sval ?? '';
  if (c.boolval) return c.boolval.boolval ? 'true' : 'false';
  if (c.bsval) return c.bsval.bsval ?? '';
  return '';
}

function cmpRef(a: ColumnRef, b: ColumnRef): number {
  return a.table < b.table ? -1 : a.table > b.table ? 1 : a.column < b.column ? -1 : a.column > b.column ? 1 : 0;
}

function sortedByJson<T>(m: Map<string, T>): T[] {
  return [...m.keys()].sort().map((k) => m.get(k)!);
}

const FLIP: Partial<Record<JoinType, JoinType>> = { left: 'right', right: 'left' };

const RANGE_OPS = new Set(['<', '<=', '>', '>=']);

// ---------------------------------------------------------------- extractor

/**
 * Extracts facts for many statements against one catalog. Holds only
 * per-catalog caches; make one per run.
 */
export class FactExtractor {
  private readonly searchPath: readonly string[];
  private readonly tableCols = new Map<string, ColMap>();
  private readonly viewBases = new Map<string, string[]>();
  /** Definitions of plain views, by key (the last one given wins). */
  private readonly viewDefs = new Map<string, ViewDefinition>();
  /** Output columns of defined views (null: not known), and the tables a view the catalog lacks reads. */
  private readonly viewOut = new Map<string, ColMap | null>();
  private readonly viewReads = new Map<string, string[]>();
  private readonly viewsInProgress = new Set<string>();
  /** See `assumeSingleSchema`. */
  readonly singleSchema?: string;

  constructor(
    readonly catalog: Catalog,
    options: ExtractOptions = {},
  ) {
    this.searchPath = options.searchPath ?? ['public'];
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

  /** @internal `extract`, also saying whether the single-schema fallback resolved a name. */
  extractWith(input: string | Statement | Node, options: { readonly searchPath?: readonly string[] } = {}): { facts: QueryFacts; usedFallback: boolean } {
    let node: J;
    if (typeof input === 'string') {
      const r = parseSql(input);
      if (!r.ok) throw new FactsSyntaxError(r.error.message, r.error.cursor);
      node = r.result.stmts?.[0]?.stmt;
      if (!node) throw new FactsSyntaxError('no statement');
    } else if ('sql' in input && 'location' in input) {
      if (!input.node) throw new FactsSyntaxError(input.error?.message ?? 'statement did not parse');
      node = input.node;
    } else {
      node = input;
    }
    const names: Names = options.searchPath ? { path: options.searchPath } : { path: this.searchPath, ...(this.singleSchema ? { fallback: this.singleSchema } : {}) };
    const facts = new Walk(this, names).run(node);
    return { facts, usedFallback: names.usedFallback === true };
  }

  /** @internal Output columns of a view whose query is known (materialized views excepted). */
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
      const walk = new Walk(this, names);
      const { out, tablesRead, complete } = walk.runQuery(def.query);
      // A view whose query names relations we do not know shows columns we cannot vouch for.
      this.viewOut.set(key, complete ? (rename(out, def.columns).cols ?? null) : null);
      if (!this.catalog.views[key]) this.viewReads.set(key, tablesRead);
    } finally {
      this.viewsInProgress.delete(key);
    }
  }

  /** @internal */
  columnsOf(key: string): ColMap {
    let m = this.tableCols.get(key);
    if (!m) {
      m = new Map();
      for (const c of this.catalog.tables[key].columns) m.set(c.name, { table: key, column: c.name });
      this.tableCols.set(key, m);
    }
    return m;
  }

  /** @internal The base tables a view reads, recursively (materialized views count as relations). */
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
    const visit = (k: string): void => {
      if (seen.has(k)) return;
      seen.add(k);
      const v = this.catalog.views[k];
      if (!v || (v.materialized && k !== key)) {
        if (this.catalog.tables[k] || this.catalog.views[k]) out.add(k);
        return;
      }
      if (v.materialized) {
        out.add(k);
        return;
      }
      for (const r of v.reads) visit(r);
    };
    visit(key);
    const list = [...out].sort();
    this.viewBases.set(key, list);
    return list;
  }

  private kindOf(key: string): 'table' | 'view' | undefined {
    return this.catalog.tables[key] ? 'table' : this.catalog.views[key] || this.viewDefs.has(key) ? 'view' : undefined;
  }

  /** @internal Resolve a relation name to a catalog key. */
  relation(schema: string | undefined, name: string, names: Names = { path: this.searchPath }): { key: string; kind: 'table' | 'view' | 'unknown' } {
    if (schema) {
      const key = qualifiedKey(schema, name);
      return { key, kind: this.kindOf(key) ?? 'unknown' };
    }
    const hinted = names.hints?.get(name);
    if (hinted) {
      const kind = this.kindOf(hinted);
      if (kind) return { key: hinted, kind };
    }
    // Temporary objects come first, then the path, then pg_catalog (when the path does not name it).
    for (const s of ['pg_temp', ...names.path, 'pg_catalog']) {
      if (s.startsWith('$')) continue;
      const key = `${s}.${name}`;
      const kind = this.kindOf(key);
      if (kind) return { key, kind };
    }
    if (names.fallback) {
      const key = `${names.fallback}.${name}`;
      const kind = this.kindOf(key);
      if (kind) {
        names.usedFallback = true;
        return { key, kind };
      }
    }
    return { key: `${names.path.find((s) => !s.startsWith('$')) ?? 'public'}.${name}`, kind: 'unknown' };
  }

  /** @internal */
  functionInfo(parts: string[], names: Names = { path: this.searchPath }): { name: string; volatility: Volatility; aggregate: boolean } {
    const fname = parts[parts.length - 1];
    const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
    if (schema === undefined || schema === 'pg_catalog') {
      const v = BUILTIN_VOLATILITY.get(fname);
      if (v) return { name: `pg_catalog.${fname}`, volatility: v, aggregate: AGGREGATES.has(fname) };
    }
    const schemas = schema ? [schema] : names.fallback ? [...names.path, names.fallback] : names.path;
    for (const s of schemas) {
      const f = this.catalog.functions[`${s}.${fname}`];
      if (f) return { name: f.key, volatility: f.volatility, aggregate: false };
    }
    if (schema === undefined && AGGREGATES.has(fname)) return { name: `pg_catalog.${fname}`, volatility: 'immutable', aggregate: true };
    return { name: parts.join('.'), volatility: 'unknown', aggregate: false };
  }
}

/** One statement's walk: all mutable state lives here. */
class Walk {
  private nextId = 1;
  private readonly read = new Set<string>();
  private readonly written = new Set<string>();
  private readonly views = new Set<string>();
  private readonly unknown = new Set<string>();
  private readonly joins = new Map<string, JoinPair>();
  private readonly filters = new Map<string, ColumnFilter>();
  private readonly groupBy = new Map<string, ColumnRef>();
  private readonly distinct = new Map<string, ColumnRef>();
  private readonly partitionBy = new Map<string, ColumnRef>();
  private readonly orderBy = new Map<string, ColumnRef>();
  private readonly functions = new Map<string, FunctionCall>();
  private readonly subqueries: SubqueryFact[] = [];
  private readonly unresolved = new Map<string, UnresolvedColumn>();
  private readonly setOps = new Set<string>();
  private readonly locking = new Set<string>();
  private readonly cartesian = new Map<string, [string, string]>();
  private readonly cteEntries: Cte[] = [];
  private f = {
    limit: false,
    offset: false,
    orderBy: false,
    aggregates: false,
    windowFunctions: false,
    distinct: false,
    distinctOn: false,
    ctes: 0,
    recursiveCte: false,
    groupingSets: false,
    lateral: false,
    outerJoins: false,
    tablesample: false,
    returning: false,
    sublinkInValues: false,
    sublinkInReturning: false,
    functionsInFrom: false,
  };
  private write?: WriteFacts;

  constructor(
    private readonly x: FactExtractor,
    private readonly names: Names,
  ) {}

  /** A view's query (a SelectStmt node): its output columns and the base tables it reads. */
  runQuery(stmt: J): { out: Output; tablesRead: string[]; complete: boolean } {
    const out = this.select(stmt?.SelectStmt, undefined, 0, false, 'inner');
    return { out, tablesRead: [...this.read].sort(), complete: this.unknown.size === 0 };
  }

  run(stmt: J): QueryFacts {
    const type = nodeType(stmt) ?? 'unknown';
    const body = stmt[type];
    let kind: QueryKind = 'other';
    switch (type) {
      case 'SelectStmt':
        kind = 'select';
        this.select(body, undefined, 0, false, 'inner');
        break;
      case 'InsertStmt':
        kind = 'insert';
        this.insert(body);
        break;
      case 'UpdateStmt':
        kind = 'update';
        this.update(body);
        break;
      case 'DeleteStmt':
        kind = 'delete';
        this.delete(body);
        break;
      case 'MergeStmt':
        kind = 'merge';
        this.merge(body);
        break;
      default:
        break;
    }
    const sortSet = (s: Set<string>): string[] => [...s].sort();
    const refs = (m: Map<string, ColumnRef>): ColumnRef[] => [...m.values()].sort(cmpRef);
    const subqueries = this.subqueries
      .map((s) => [`${s.kind}\u0001${s.where}\u0001${+s.correlated}${+s.lateral}${+s.negated}`, s] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map((p) => p[1]);
    return {
      kind,
      statement: type,
      tablesRead: sortSet(this.read),
      tablesWritten: sortSet(this.written),
      views: sortSet(this.views),
      unknownRelations: sortSet(this.unknown),
      joins: sortedByJson(this.joins),
      filters: sortedByJson(this.filters),
      groupBy: refs(this.groupBy),
      distinct: refs(this.distinct),
      partitionBy: refs(this.partitionBy),
      orderBy: refs(this.orderBy),
      ...(this.write ? { write: this.write } : {}),
      functions: sortedByJson(this.functions),
      features: {
        ...this.f,
        setOperations: sortSet(this.setOps),
        locking: sortSet(this.locking),
        subqueries,
        cartesian: sortedByJson(this.cartesian),
        // PostgreSQL (and Citus) inline a SELECT CTE unless it is MATERIALIZED, or referenced twice without NOT MATERIALIZED.
        materializedCtes: this.cteEntries.filter((c) => !c.recursive && (c.modifying || c.materialized === true || (c.materialized === undefined && c.refs > 1))).length,
      },
      unresolved: sortedByJson(this.unresolved),
    };
  }

  // ------------------------------------------------------------ statements

  private newScope(parent: Scope | undefined, level: number, hide: boolean, corr: JoinType): Scope {
    return new Scope(parent, level, hide, corr);
  }

  private ctx(scope: Scope, place: Place, extra: Partial<Ctx> = {}): Ctx {
    return { scope, place, underOr: false, negated: false, inCase: false, joinType: 'inner', joinSource: 'where', ...extra };
  }

  private withClause(w: J, scope: Scope): void {
    if (!w) return;
    if (w.recursive) this.f.recursiveCte = true;
    for (const c of w.ctes ?? []) {
      const cte = c.CommonTableExpr;
      if (!cte) continue;
      this.f.ctes++;
      const aliases: string[] = (cte.aliascolnames ?? []).map(str);
      const q = cte.ctequery;
      const qt = nodeType(q);
      const selfRef = !!w.recursive && qt === 'SelectStmt' && !!q.SelectStmt.op && q.SelectStmt.op !== 'SETOP_NONE';
      const mat = cte.ctematerialized === 'CTEMaterializeAlways' ? true : cte.ctematerialized === 'CTEMaterializeNever' ? false : undefined;
      const entry: Cte = { refs: 0, ...(mat !== undefined ? { materialized: mat } : {}), ...(selfRef ? { recursive: true } : {}), ...(qt !== 'SelectStmt' ? { modifying: true } : {}) };
      this.cteEntries.push(entry);
      if (selfRef) {
        // The recursive term sees the CTE with the non-recursive term's columns.
        const s = q.SelectStmt;
        this.setOp(s);
        const inner = this.newScope(scope, scope.level + 1, false, 'inner');
        this.withClause(s.withClause, inner);
        const left = this.select(s.larg, inner, scope.level + 1, false, 'inner');
        entry.out = rename(left, aliases);
        scope.ctes.set(cte.ctename, entry);
        const right = this.select(s.rarg, inner, scope.level + 1, false, 'inner');
        entry.out = rename(combine(left, right), aliases);
        this.tail(s, inner);
        continue;
      }
      const out = this.statementOutput(q, scope);
      entry.out = rename(out, aliases);
      scope.ctes.set(cte.ctename, entry);
    }
  }

  /** A statement used as a CTE body or subquery: SELECT, or DML with RETURNING. */
  private statementOutput(q: J, parent: Scope): Output {
    const qt = nodeType(q);
    if (qt === 'SelectStmt') return this.select(q.SelectStmt, parent, parent.level + 1, false, 'inner');
    if (qt === 'InsertStmt') this.insert(q.InsertStmt, parent);
    else if (qt === 'UpdateStmt') this.update(q.UpdateStmt, parent);
    else if (qt === 'DeleteStmt') this.delete(q.DeleteStmt, parent);
    else if (qt === 'MergeStmt') this.merge(q.MergeStmt, parent);
    return { names: [] };
  }

  private setOp(s: J): void {
    const op = String(s.op).replace('SETOP_', '').toLowerCase();
    this.setOps.add(s.all ? `${op} all` : op);
  }

  /** ORDER BY / LIMIT / locking of a set-operation statement. */
  private tail(s: J, scope: Scope): void {
    if (s.sortClause?.length) {
      this.f.orderBy = true;
      for (const sb of s.sortClause) this.expr(sb.SortBy?.node, this.ctx(scope, 'order'));
    }
    this.limits(s, scope);
  }

  private limits(s: J, scope: Scope): void {
    if (s.limitCount && !s.limitCount.A_Const?.isnull) {
      this.f.limit = true;
      this.expr(s.limitCount, this.ctx(scope, 'limit'));
    }
    if (s.limitOffset) {
      this.f.offset = true;
      this.expr(s.limitOffset, this.ctx(scope, 'limit'));
    }
    for (const l of s.lockingClause ?? []) {
      const st = String(l.LockingClause?.strength ?? '');
      this.locking.add(
        st === 'LCS_FORUPDATE' ? 'for update' : st === 'LCS_FORNOKEYUPDATE' ? 'for no key update' : st === 'LCS_FORSHARE' ? 'for share' : 'for key share',
      );
    }
  }

  /**
   * A SELECT at `level`, seen from `parent`. Returns its output columns.
   */
  private select(s: J, parent: Scope | undefined, level: number, hideParentRels: boolean, corr: JoinType): Output {
    if (!s) return { names: [] };
    if (s.op && s.op !== 'SETOP_NONE') {
      this.setOp(s);
      const scope = this.newScope(parent, level, hideParentRels, corr);
      this.withClause(s.withClause, scope);
      const l = this.select(s.larg, scope, level, false, corr);
      const r = this.select(s.rarg, scope, level, false, corr);
      this.tail(s, scope);
      return combine(l, r);
    }
    const scope = this.newScope(parent, level, hideParentRels, corr);
    this.withClause(s.withClause, scope);
    if (s.valuesLists) {
      let width = 0;
      for (const row of s.valuesLists) {
        const items = row.List?.items ?? [];
        width = Math.max(width, items.length);
        for (const it of items) this.expr(it, this.ctx(scope, 'values'));
      }
      const names = Array.from({ length: width }, (_, i) => `column${i + 1}`);
      return { names, cols: new Map(names.map((n) => [n, null])) };
    }
    // FROM: rels get ids; top-level items start unlinked.
    for (const item of s.fromClause ?? []) this.fromItem(item, scope);
    if (s.whereClause) this.pred(s.whereClause, this.ctx(scope, 'where', { clause: 'where' }));
    // Select list.
    const out = this.targets(s.targetList ?? [], scope);
    // GROUP BY.
    for (const g of s.groupClause ?? []) {
      if (nodeType(g) === 'GroupingSet') {
        this.f.groupingSets = true;
        this.expr(g, this.ctx(scope, 'group'));
        continue;
      }
      const r = this.keyColumn(g, scope, 'group');
      if (r) this.groupBy.set(`${r.table}.${r.column}`, r);
    }
    if (s.havingClause) this.pred(s.havingClause, this.ctx(scope, 'having', { clause: 'having' }));
    for (const w of s.windowClause ?? []) this.windowDef(w.WindowDef, scope);
    if (s.distinctClause) {
      this.f.distinct = true;
      const real = s.distinctClause.filter((d: J) => nodeType(d) !== undefined);
      if (real.length === 0) {
        for (const t of scope.targets) {
          const r = t.node ? this.plainColumn(t.node, scope) : undefined;
          if (r) this.distinct.set(`${r.table}.${r.column}`, r);
        }
      } else {
        this.f.distinctOn = true;
        for (const d of real) {
          const r = this.keyColumn(d, scope, 'select');
          if (r) this.distinct.set(`${r.table}.${r.column}`, r);
        }
      }
    }
    if (s.sortClause?.length) {
      this.f.orderBy = true;
      for (const sb of s.sortClause) {
        const r = this.keyColumn(sb.SortBy?.node, scope, 'order');
        if (r) this.orderBy.set(`${r.table}.${r.column}`, r);
      }
    }
    this.limits(s, scope);
    this.cartesianCheck(scope);
    return out;
  }

  private targets(list: J[], scope: Scope): Output {
    const names: string[] = [];
    const cols: ColMap = new Map();
    let known = true;
    const ctx = this.ctx(scope, 'select');
    for (const t of list) {
      const rt = t.ResTarget;
      if (!rt) continue;
      const v = rt.val;
      const cr = v?.ColumnRef;
      if (cr && nodeType(cr.fields[cr.fields.length - 1]) === 'A_Star') {
        const exp = this.star(cr.fields.slice(0, -1).map(str), scope);
        if (!exp) known = false;
        else
          for (const [n, r] of exp) {
            names.push(n);
            if (!cols.has(n)) cols.set(n, r);
            scope.targets.push({ name: n });
          }
        continue;
      }
      const sink: Resolved[] = [];
      this.expr(v, { ...ctx, sink });
      const name = rt.name ?? outputName(v);
      names.push(name);
      const plain = stripCast(v);
      const ref = nodeType(plain) === 'ColumnRef' && sink.length === 1 ? sink[0].ref : null;
      if (!cols.has(name)) cols.set(name, ref);
      scope.targets.push({ name, node: v });
    }
    return known ? { names, cols } : { names };
  }

  /** Columns of `*` or `t.*`; undefined when some relation's columns are not known. */
  private star(qual: string[], scope: Scope): Array<[string, ColumnRef | null]> | undefined {
    const out: Array<[string, ColumnRef | null]> = [];
    const rels = qual.length ? scope.rels.filter((r) => r.name === qual[qual.length - 1]) : scope.rels.filter((r) => !r.qualifiedOnly);
    if (qual.length && rels.length === 0) {
      this.unresolvedCol(`${qual.join('.')}.*`, 'unknown-relation');
      return undefined;
    }
    for (const r of rels) {
      // A `*` over a relation whose columns are not known: the output is not known (no column is misread).
      if (!r.cols) return undefined;
      for (const [n, ref] of r.cols) out.push([n, ref]);
    }
    return out;
  }

  private windowDef(w: J, scope: Scope): void {
    if (!w) return;
    for (const p of w.partitionClause ?? []) {
      const r = this.keyColumn(p, scope, 'window');
      if (r) this.partitionBy.set(`${r.table}.${r.column}`, r);
    }
    for (const o of w.orderClause ?? []) this.expr(o.SortBy?.node ?? o, this.ctx(scope, 'window'));
  }

  /**
   * A GROUP BY / ORDER BY / DISTINCT ON / PARTITION BY item: walks it and
   * returns the base column when it is a plain column, an output alias of
   * one, or a position in the select list.
   */
  private keyColumn(n: J, scope: Scope, place: Place): ColumnRef | undefined {
    if (!n) return undefined;
    const c = n.A_Const;
    if (c?.ival !== undefined && place !== 'window') {
      const t = scope.targets[(c.ival.ival ?? 0) - 1];
      return t?.node ? this.plainColumn(t.node, scope, true) : undefined;
    }
    const cr = n.ColumnRef;
    if (cr && cr.fields.length === 1 && place !== 'window') {
      const name = str(cr.fields[0]);
      // Output names win in ORDER BY; in GROUP BY input columns win.
      const alias = scope.targets.find((t) => t.name === name && t.node && !(nodeType(t.node) === 'ColumnRef' && t.node.ColumnRef.fields.length === 1 && str(t.node.ColumnRef.fields[0]) === name));
      if (alias) {
        const input = this.lookup([name], scope, false);
        if (place === 'order' || !(input && 'rel' in input)) return this.plainColumn(alias.node, scope, true);
      }
    }
    const sink: Resolved[] = [];
    this.expr(n, { ...this.ctx(scope, place), sink });
    const plain = stripCast(n);
    return nodeType(plain) === 'ColumnRef' && sink.length === 1 ? (sink[0].ref ?? undefined) : undefined;
  }

  /** The base column of an expression that is a plain column reference (already walked when `quiet`). */
  private plainColumn(n: J, scope: Scope, quiet = true): ColumnRef | undefined {
    const p = stripCast(n);
    const cr = p?.ColumnRef;
    if (!cr || nodeType(cr.fields[cr.fields.length - 1]) === 'A_Star') return undefined;
    const r = this.lookup(cr.fields.map(str), scope, !quiet);
    return r && 'rel' in r ? (r.ref ?? undefined) : undefined;
  }

  // ------------------------------------------------------------ FROM

  /** Adds a FROM item's relations to the scope; returns their ids. */
  private fromItem(n: J, scope: Scope): Set<number> {
    const t = nodeType(n);
    const b = n?.[t ?? ''];
    const ids = new Set<number>();
    switch (t) {
      case 'RangeVar': {
        ids.add(this.rangeVar(b, scope).id);
        break;
      }
      case 'RangeTableSample': {
        this.f.tablesample = true;
        for (const i of this.fromItem(b.relation, scope)) ids.add(i);
        for (const a of b.args ?? []) this.expr(a, this.ctx(scope, 'from'));
        break;
      }
      case 'RangeSubselect': {
        if (b.lateral) this.f.lateral = true;
        const out = this.selectNode(b.subquery, scope, !b.lateral, 'inner');
        const renamed = rename(out.out, (b.alias?.colnames ?? []).map(str));
        const rel: Rel = { id: this.nextId++, name: b.alias?.aliasname ?? '', kind: 'derived', aliased: true, cols: renamed.cols };
        scope.rels.push(rel);
        ids.add(rel.id);
        this.subqueries.push({ kind: 'derived', where: 'from', correlated: out.correlated, lateral: !!b.lateral, negated: false });
        break;
      }
      case 'RangeFunction': {
        this.f.functionsInFrom = true;
        if (b.lateral) this.f.lateral = true;
        const sink: Resolved[] = [];
        for (const fl of b.functions ?? []) for (const fn of fl.List?.items ?? []) if (fn) this.expr(fn, { ...this.ctx(scope, 'from'), sink });
        const colnames: string[] = (b.alias?.colnames ?? []).map(str);
        const coldef: string[] = (b.coldeflist ?? []).map((c: J) => c.ColumnDef?.colname ?? '');
        const names = colnames.length ? colnames : coldef.length ? coldef : [];
        const firstFn = b.functions?.[0]?.List?.items?.[0]?.FuncCall;
        const fname = firstFn ? str(firstFn.funcname[firstFn.funcname.length - 1]) : 'function';
        const alias = b.alias?.aliasname ?? fname;
        // A scalar function in FROM yields one column named after the alias; SRFs of
        // composite type yield columns we cannot know: keep the rel open then.
        const cols: ColMap | undefined = names.length ? new Map(names.map((n) => [n, null])) : SCALAR_SRF.has(fname) ? new Map([[alias, null]]) : undefined;
        const rel: Rel = { id: this.nextId++, name: alias, kind: 'function', aliased: !!b.alias, cols };
        scope.rels.push(rel);
        ids.add(rel.id);
        for (const r of sink) if (r.depth === 0) scope.union(rel.id, r.rel.id);
        break;
      }
      case 'JoinExpr': {
        const left = this.fromItem(b.larg, scope);
        const right = this.fromItem(b.rarg, scope);
        for (const i of left) ids.add(i);
        for (const i of right) ids.add(i);
        const jt: JoinType = b.jointype === 'JOIN_LEFT' ? 'left' : b.jointype === 'JOIN_RIGHT' ? 'right' : b.jointype === 'JOIN_FULL' ? 'full' : 'inner';
        if (jt !== 'inner') this.f.outerJoins = true;
        let names: string[] = (b.usingClause ?? []).map(str);
        if (b.isNatural) names = this.commonColumns(left, right, scope);
        for (const name of names) {
          scope.merged.add(name);
          const l = this.firstWith(name, left, scope);
          const r = this.firstWith(name, right, scope);
          if (!l || !r) {
            this.unresolvedCol(name, 'unknown-column');
            continue;
          }
          scope.union(l.id, r.id);
          const lr = l.cols!.get(name);
          const rr = r.cols!.get(name);
          if (lr && rr) this.addJoin(lr, rr, jt, 'using', false);
        }
        if (b.quals) {
          this.pred(b.quals, this.ctx(scope, 'join', { clause: 'on', joinType: jt, joinSource: 'on', leftSide: left }));
          // Any ON condition links the two sides (an equi-join or not).
          const a = [...left][0];
          const c = [...right][0];
          if (a !== undefined && c !== undefined) scope.union(a, c);
        }
        if (b.alias) {
          const cols: ColMap = new Map();
          for (const r of scope.rels) if (ids.has(r.id)) for (const [k, v] of r.cols ?? []) if (!cols.has(k)) cols.set(k, v);
          const rel: Rel = { id: this.nextId++, name: b.alias.aliasname, kind: 'join', aliased: true, cols, qualifiedOnly: true };
          scope.rels.push(rel);
          scope.union(rel.id, [...ids][0]);
        }
        break;
      }
      default:
        if (n) this.expr(n, this.ctx(scope, 'from'));
    }
    return ids;
  }

  /** Walks a subquery node (SelectStmt) in a child scope; returns its output and whether it is correlated. */
  private selectNode(q: J, scope: Scope, hide: boolean, corr: JoinType): { out: Output; correlated: boolean } {
    const child = this.newScope(scope, scope.level + 1, hide, corr);
    // A wrapper scope so the SELECT's own scope has `child` as parent: correlation to `scope` or above marks `child`.
    const out = this.select(q?.SelectStmt, child, scope.level + 1, false, corr);
    return { out, correlated: child.correlated };
  }

  private rangeVar(b: J, scope: Scope): Rel {
    const relname: string = b.relname;
    const alias: string | undefined = b.alias?.aliasname;
    const colAliases: string[] = (b.alias?.colnames ?? []).map(str);
    if (!b.schemaname) {
      const cte = scope.cte(relname);
      if (cte) {
        cte.refs++;
        const out = rename(cte.out ?? { names: [] }, colAliases);
        const rel: Rel = { id: this.nextId++, name: alias ?? relname, kind: 'cte', aliased: !!alias, cols: out.cols };
        scope.rels.push(rel);
        return rel;
      }
    }
    const r = this.x.relation(b.schemaname, relname, this.names);
    let cols: ColMap | undefined;
    if (r.kind === 'table') {
      this.read.add(r.key);
      cols = this.x.columnsOf(r.key);
      if (colAliases.length) cols = rename({ names: [...cols.keys()], cols }, colAliases).cols;
    } else if (r.kind === 'view') {
      this.views.add(r.key);
      for (const t of this.x.viewTables(r.key)) this.read.add(t);
      // Through the view's query: its plain output columns are base columns.
      cols = this.x.viewColumns(r.key);
      if (cols && colAliases.length) cols = rename({ names: [...cols.keys()], cols }, colAliases).cols;
    } else {
      this.unknown.add(r.key);
    }
    const rel: Rel = { id: this.nextId++, name: alias ?? relname, kind: r.kind, key: r.key, aliased: !!alias, cols };
    scope.rels.push(rel);
    return rel;
  }

  private commonColumns(left: Set<number>, right: Set<number>, scope: Scope): string[] {
    const ln = new Set<string>();
    for (const r of scope.rels) if (left.has(r.id) && !r.qualifiedOnly) for (const k of r.cols?.keys() ?? []) ln.add(k);
    const out: string[] = [];
    for (const r of scope.rels) if (right.has(r.id) && !r.qualifiedOnly) for (const k of r.cols?.keys() ?? []) if (ln.has(k) && !out.includes(k)) out.push(k);
    return out;
  }

  private firstWith(name: string, ids: Set<number>, scope: Scope): Rel | undefined {
    return scope.rels.find((r) => ids.has(r.id) && !r.qualifiedOnly && r.cols?.has(name));
  }

  private cartesianCheck(scope: Scope): void {
    const comps = new Map<number, string[]>();
    for (const r of scope.rels) {
      if (r.qualifiedOnly) continue;
      const root = scope.find(r.id);
      const list = comps.get(root) ?? [];
      if (r.kind === 'table' && r.key) list.push(r.key);
      comps.set(root, list);
    }
    const withTables = [...comps.values()].filter((l) => l.length > 0).map((l) => l.sort()[0]);
    for (let i = 0; i < withTables.length; i++)
      for (let j = i + 1; j < withTables.length; j++) {
        const pair = [withTables[i], withTables[j]].sort() as [string, string];
        this.cartesian.set(pair.join('|'), pair);
      }
  }

  // ------------------------------------------------------------ column resolution

  /**
   * Resolve a column reference's name parts. Returns the resolution, or the
   * reason it failed (recorded in `unresolved` when `record`).
   */
  private lookup(parts: string[], scope: Scope, record: boolean): Resolved | { reason: UnresolvedColumn['reason'] } | undefined {
    const fail = (reason: UnresolvedColumn['reason']): { reason: UnresolvedColumn['reason'] } => {
      if (record) this.unresolvedCol(parts.join('.'), reason);
      return { reason };
    };
    if (parts.length === 1) {
      const name = parts[0];
      let skipRels = false;
      let depth = 0;
      for (let s: Scope | undefined = scope; s; s = s.parent, depth++) {
        const hideNext = s.hideParentRels;
        if (!skipRels) {
          let found: Rel | undefined;
          let count = 0;
          let open: Rel | undefined;
          for (const r of s.rels) {
            if (r.qualifiedOnly) continue;
            if (!r.cols) open ??= r;
            else if (r.cols.has(name)) {
              found ??= r;
              count++;
            }
          }
          if (count > 1 && !s.merged.has(name)) return fail('ambiguous');
          if (found) return this.hit(found, found.cols!.get(name) ?? null, s, scope, depth);
          if (open) return fail(reasonFor(open));
        }
        skipRels = hideNext;
      }
      return fail('unknown-column');
    }
    // Qualified: [schema.]rel.column (a longer name is a composite field: resolve its first parts).
    const take = parts.length >= 3 && this.relByKey(parts, scope) ? 3 : 2;
    const relName = parts[take - 2];
    const schema = take === 3 ? parts[0] : undefined;
    const col = parts[take - 1];
    let skipRels = false;
    let depth = 0;
    for (let s: Scope | undefined = scope; s; s = s.parent, depth++) {
      const hideNext = s.hideParentRels;
      if (!skipRels) {
        const r = s.rels.find((x) => (schema ? !x.aliased && x.key === qualifiedKey(schema, relName) : x.name === relName));
        if (r) {
          if (!r.cols) return fail(reasonFor(r));
          if (!r.cols.has(col)) return fail('unknown-column');
          return this.hit(r, r.cols.get(col) ?? null, s, scope, depth);
        }
      }
      skipRels = hideNext;
    }
    // `t.col` where t is a column of composite type, e.g. (rec).f written without parentheses, is not valid SQL.
    return fail('unknown-relation');
  }

  private relByKey(parts: string[], scope: Scope): boolean {
    for (let s: Scope | undefined = scope; s; s = s.parent) if (s.rels.some((r) => !r.aliased && r.key === `${parts[0]}.${parts[1]}`)) return true;
    return false;
  }

  private hit(rel: Rel, ref: ColumnRef | null, at: Scope, from: Scope, depth: number): Resolved {
    if (depth > 0) for (let s: Scope | undefined = from; s && s !== at; s = s.parent) s.correlated = true;
    return { rel, scope: at, ref, depth };
  }

  private unresolvedCol(column: string, reason: UnresolvedColumn['reason']): void {
    this.unresolved.set(`${column}|${reason}`, { column, reason });
  }

  // ------------------------------------------------------------ predicates

  /** A boolean condition: ANDs, ORs and NOTs are followed; atoms give joins and filters. */
  private pred(n: J, ctx: Ctx): void {
    const t = nodeType(n);
    if (t === 'BoolExpr') {
      const b = n.BoolExpr;
      const next: Ctx =
        b.boolop === 'OR_EXPR' ? { ...ctx, underOr: true } : b.boolop === 'NOT_EXPR' ? { ...ctx, negated: !ctx.negated } : ctx;
      for (const a of b.args ?? []) this.pred(a, next);
      return;
    }
    if (t === 'A_Expr') return this.atom(n.A_Expr, ctx);
    if (t === 'SubLink') {
      this.sublink(n.SubLink, ctx);
      return;
    }
    const sink: Resolved[] = [];
    this.expr(n, { ...ctx, sink });
    this.link(ctx.scope, sink);
  }

  private link(scope: Scope, cols: Resolved[]): void {
    let first: number | undefined;
    for (const c of cols) {
      if (c.depth !== 0) continue;
      if (first === undefined) first = c.rel.id;
      else scope.union(first, c.rel.id);
    }
  }

  private operand(n: J, ctx: Ctx): Operand {
    const p = stripCast(n);
    const t = nodeType(p);
    if (t === 'A_Const') {
      this.expr(n, ctx);
      return { kind: 'const', value: constText(p.A_Const), cols: [] };
    }
    if (t === 'ParamRef') {
      this.expr(n, ctx);
      return { kind: 'param', cols: [] };
    }
    const sink: Resolved[] = [];
    this.expr(n, { ...ctx, sink });
    if (t === 'ColumnRef' && sink.length === 1) return { kind: 'column', res: sink[0], cols: sink };
    return { kind: 'expr', cols: sink };
  }

  private atom(a: J, ctx: Ctx): void {
    const op = str(a.name?.[a.name.length - 1]);
    const kind: string = a.kind;
    if (kind === 'AEXPR_IN' || (kind === 'AEXPR_OP_ANY' && op === '=')) {
      const l = this.operand(a.lexpr, ctx);
      let items: Operand[];
      let count: number | undefined;
      const r = stripCast(a.rexpr);
      if (kind === 'AEXPR_IN') items = (a.rexpr?.List?.items ?? []).map((i: J) => this.operand(i, ctx));
      else if (nodeType(r) === 'A_ArrayExpr') items = (r.A_ArrayExpr.elements ?? []).map((i: J) => this.operand(i, ctx));
      else items = [this.operand(a.rexpr, ctx)];
      const isList = kind === 'AEXPR_IN' || nodeType(r) === 'A_ArrayExpr';
      if (isList) count = items.length;
      this.link(ctx.scope, [...l.cols, ...items.flatMap((i) => i.cols)]);
      if (l.kind !== 'column' || !l.res.ref) return;
      const negated = ctx.negated || op === '<>';
      const value: ValueKind = items.length && items.every((i) => i.kind === 'const') ? 'const' : items.length && items.every((i) => i.kind === 'param') ? 'param' : 'expr';
      // `x = ANY($1)` is an IN over an array parameter; `x = ANY(col)` is not a filter on constants.
      if (!isList && value === 'expr') return this.addFilter(l.res.ref, 'other', 'expr', ctx);
      const values = value === 'const' ? items.map((i) => (i.kind === 'const' ? i.value : '')) : undefined;
      this.addFilter(l.res.ref, negated ? 'other' : 'in', value, ctx, values, count);
      return;
    }
    if (kind === 'AEXPR_BETWEEN' || kind === 'AEXPR_NOT_BETWEEN' || kind === 'AEXPR_BETWEEN_SYM' || kind === 'AEXPR_NOT_BETWEEN_SYM') {
      const l = this.operand(a.lexpr, ctx);
      const bounds = (a.rexpr?.List?.items ?? []).map((i: J) => this.operand(i, ctx));
      this.link(ctx.scope, [...l.cols, ...bounds.flatMap((i: Operand) => i.cols)]);
      if (l.kind !== 'column' || !l.res.ref) return;
      const value: ValueKind = bounds.every((i: Operand) => i.kind === 'const') ? 'const' : bounds.every((i: Operand) => i.kind === 'param') ? 'param' : 'expr';
      const values = value === 'const' ? bounds.map((i: Operand) => (i.kind === 'const' ? i.value : '')) : undefined;
      const negated = ctx.negated || kind.startsWith('AEXPR_NOT');
      this.addFilter(l.res.ref, negated ? 'other' : 'range', value, ctx, values);
      return;
    }
    if (!a.lexpr || !a.rexpr) {
      const sink: Resolved[] = [];
      this.expr({ A_Expr: a }, { ...ctx, sink });
      this.link(ctx.scope, sink);
      return;
    }
    const l = this.operand(a.lexpr, ctx);
    const r = this.operand(a.rexpr, ctx);
    this.link(ctx.scope, [...l.cols, ...r.cols]);
    const isEq = kind === 'AEXPR_OP' && op === '=' && !ctx.negated;
    if (isEq && l.kind === 'column' && r.kind === 'column') {
      if (l.res.rel.id === r.res.rel.id || !l.res.ref || !r.res.ref) return;
      this.pairFrom(l.res, r.res, ctx);
      return;
    }
    const fop: FilterOp = isEq ? '=' : kind === 'AEXPR_OP' && RANGE_OPS.has(op) && !ctx.negated ? 'range' : 'other';
    if (l.kind === 'column' && r.kind === 'column') return; // a non-equi join: not a filter
    if (l.kind === 'column' && l.res.ref) this.addFilter(l.res.ref, fop, valueKind(r), ctx, r.kind === 'const' ? [r.value] : undefined);
    if (r.kind === 'column' && r.res.ref) this.addFilter(r.res.ref, fop, valueKind(l), ctx, l.kind === 'const' ? [l.value] : undefined);
  }

  private pairFrom(a: Resolved, b: Resolved, ctx: Ctx): void {
    const correlated = (a.depth === 0) !== (b.depth === 0);
    if (correlated) {
      this.addJoin(a.ref!, b.ref!, ctx.scope.corrJoin, 'subquery', ctx.underOr);
      return;
    }
    let jt = ctx.joinType;
    let [l, r] = [a, b];
    if ((jt === 'left' || jt === 'right') && ctx.leftSide && !ctx.leftSide.has(a.rel.id) && ctx.leftSide.has(b.rel.id)) [l, r] = [b, a];
    if (jt === 'right' || jt === 'left') jt = ctx.joinType;
    this.addJoin(l.ref!, r.ref!, jt, ctx.joinSource, ctx.underOr);
  }

  private addJoin(a: ColumnRef, b: ColumnRef, jt: JoinType, where: JoinSource, underOr: boolean): void {
    let left = a;
    let right = b;
    let joinType = jt;
    if (cmpRef(a, b) > 0) {
      left = b;
      right = a;
      joinType = FLIP[jt] ?? jt;
    }
    const key = `${left.table}\u0001${left.column}\u0001${right.table}\u0001${right.column}\u0001${joinType}\u0001${where}\u0001${underOr ? 1 : 0}`;
    if (!this.joins.has(key)) this.joins.set(key, { left, right, joinType, where, underOr });
  }

  private addFilter(ref: ColumnRef, op: FilterOp, value: ValueKind, ctx: Ctx, values?: string[], count?: number): void {
    const sorted = values ? [...new Set(values)].sort() : undefined;
    const clause = ctx.clause ?? 'where';
    const inSubquery = ctx.scope.level > 0;
    const key = `${ref.table}\u0001${ref.column}\u0001${op}\u0001${value}\u0001${sorted ? sorted.join('\u0002') : '\u0003'}\u0001${count ?? ''}\u0001${ctx.underOr ? 1 : 0}\u0001${clause}\u0001${inSubquery ? 1 : 0}`;
    if (this.filters.has(key)) return;
    const f: ColumnFilter = {
      table: ref.table,
      column: ref.column,
      op,
      value,
      ...(sorted ? { values: sorted } : {}),
      ...(count !== undefined ? { count } : {}),
      underOr: ctx.underOr,
      clause,
      inSubquery,
    };
    this.filters.set(key, f);
  }

  private sublink(s: J, ctx: Ctx): Operand {
    const type: string = s.subLinkType;
    const opName = s.operName ? str(s.operName[s.operName.length - 1]) : undefined;
    const kind: SubqueryKind =
      type === 'EXISTS_SUBLINK' ? 'exists' : type === 'ANY_SUBLINK' ? (opName && opName !== '=' ? 'any' : 'in') : type === 'ALL_SUBLINK' ? 'all' : type === 'ARRAY_SUBLINK' ? 'array' : 'scalar';
    if (ctx.place === 'values') this.f.sublinkInValues = true;
    if (ctx.place === 'returning') this.f.sublinkInReturning = true;
    const semi = kind === 'exists' || kind === 'in';
    const corr: JoinType = semi ? (ctx.negated ? 'anti' : 'semi') : 'inner';
    const test = s.testexpr ? this.operand(s.testexpr, { ...ctx, sink: undefined }) : undefined;
    const { out, correlated } = this.selectNode(s.subselect, ctx.scope, false, corr);
    this.subqueries.push({ kind, where: ctx.place, correlated, lateral: false, negated: ctx.negated });
    if (test) {
      if (ctx.sink) ctx.sink.push(...test.cols);
      if (kind === 'in' && !ctx.underOr && test.kind === 'column' && test.res.ref && out.cols) {
        const first = out.cols.get(out.names[0]);
        if (first) this.addJoin(test.res.ref, first, corr, 'subquery', ctx.underOr);
      } else if (kind === 'in' && test.kind === 'column' && test.res.ref && out.cols) {
        const first = out.cols.get(out.names[0]);
        if (first) this.addJoin(test.res.ref, first, corr, 'subquery', true);
      }
      // (a, b) IN (SELECT x, y ...)
      if (kind === 'in' && s.testexpr?.RowExpr && out.cols) {
        const args: J[] = s.testexpr.RowExpr.args ?? [];
        args.forEach((arg, i) => {
          const ref = this.plainColumn(arg, ctx.scope);
          const o = out.cols!.get(out.names[i]);
          if (ref && o) this.addJoin(ref, o, corr, 'subquery', ctx.underOr);
        });
      }
    }
    return { kind: 'expr', cols: test?.cols ?? [] };
  }

  // ------------------------------------------------------------ expressions

  /** Walks any expression: resolves columns, records functions and subqueries. */
  private expr(n: J, ctx: Ctx): void {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) this.expr(x, ctx);
      return;
    }
    const t = nodeType(n);
    if (!t) return;
    const b = n[t];
    switch (t) {
      case 'ColumnRef': {
        const last = b.fields[b.fields.length - 1];
        if (nodeType(last) === 'A_Star') {
          // count(*) has agg_star instead; `t.*` in an expression: all columns of t.
          this.star(b.fields.slice(0, -1).map(str), ctx.scope);
          return;
        }
        const r = this.lookup(b.fields.map(str), ctx.scope, true);
        if (r && 'rel' in r && ctx.sink) ctx.sink.push(r);
        return;
      }
      case 'A_Const':
      case 'ParamRef':
      case 'SetToDefault':
        return;
      case 'TypeCast':
        this.expr(b.arg, ctx);
        return;
      case 'SubLink':
        this.sublink(b, ctx);
        return;
      case 'FuncCall':
        this.funcCall(b, ctx);
        return;
      case 'SQLValueFunction': {
        const name = SQL_VALUE_FUNCTIONS[b.op] ?? String(b.op).toLowerCase();
        this.addFunction({ name: `pg_catalog.${name}`, volatility: 'stable', where: ctx.place, inCaseOrCoalesce: ctx.inCase, columnArgs: false, aggregate: false, window: false });
        return;
      }
      case 'CaseExpr':
      case 'CoalesceExpr':
      case 'MinMaxExpr':
      case 'NullIfExpr': {
        const inner = t === 'MinMaxExpr' ? ctx : { ...ctx, inCase: true };
        for (const k in b) if (k !== 'location') this.expr(b[k], inner);
        return;
      }
      case 'BoolExpr':
      case 'A_Expr':
        for (const k in b) if (k !== 'location' && k !== 'name' && k !== 'kind') this.expr(b[k], ctx);
        return;
      case 'GroupingSet':
        this.f.groupingSets = true;
        this.expr(b.content, ctx);
        return;
      case 'SortBy':
        this.expr(b.node, ctx);
        return;
      case 'WindowDef':
        this.windowDef(b, ctx.scope);
        return;
      case 'String':
      case 'Integer':
      case 'Float':
      case 'Boolean':
      case 'TypeName':
        return;
      default:
        for (const k in b) {
          const v = b[k];
          if (v && typeof v === 'object') this.expr(Array.isArray(v) ? v : nodeType(v) && /^[A-Z]/.test(nodeType(v)!) ? v : null, ctx);
        }
    }
  }

  private funcCall(b: J, ctx: Ctx): void {
    const parts: string[] = (b.funcname ?? []).map(str);
    const info = this.x.functionInfo(parts, this.names);
    const fname = parts[parts.length - 1];
    const isWindow = !!b.over;
    const aggregate = !isWindow && (info.aggregate || !!b.agg_star || !!b.agg_distinct || !!b.agg_order || !!b.agg_filter || b.agg_within_group === true);
    if (aggregate) this.f.aggregates = true;
    if (isWindow || WINDOW_FUNCTIONS.has(fname)) this.f.windowFunctions = true;
    const sink: Resolved[] = [];
    const inner: Ctx = { ...ctx, sink, inCase: ctx.inCase || fname === 'coalesce' };
    this.expr(b.args, inner);
    this.expr(b.agg_order, inner);
    this.expr(b.agg_filter, inner);
    if (ctx.sink) ctx.sink.push(...sink);
    if (b.over) this.windowDef(b.over, ctx.scope);
    this.addFunction({
      name: info.name,
      volatility: info.volatility,
      where: ctx.place,
      inCaseOrCoalesce: ctx.inCase,
      columnArgs: sink.length > 0,
      aggregate,
      window: isWindow,
    });
  }

  private addFunction(f: FunctionCall): void {
    const key = `${f.name}\u0001${f.volatility}\u0001${f.where}\u0001${+f.inCaseOrCoalesce}${+f.columnArgs}${+f.aggregate}${+f.window}`;
    if (!this.functions.has(key)) this.functions.set(key, f);
  }

  // ------------------------------------------------------------ DML

  private target(relation: J, scope: Scope): Rel {
    const r = this.x.relation(relation.schemaname, relation.relname, this.names);
    this.written.add(r.key);
    if (r.kind === 'unknown') this.unknown.add(r.key);
    if (r.kind === 'view') this.views.add(r.key);
    const cols = r.kind === 'table' ? this.x.columnsOf(r.key) : r.kind === 'view' ? this.x.viewColumns(r.key) : undefined;
    const rel: Rel = { id: this.nextId++, name: relation.alias?.aliasname ?? relation.relname, kind: r.kind, key: r.key, aliased: !!relation.alias, cols };
    scope.rels.push(rel);
    return rel;
  }

  private returning(stmt: J, scope: Scope): void {
    const list: J[] = stmt.returningClause?.exprs ?? stmt.returningList ?? [];
    if (!list.length) return;
    this.f.returning = true;
    for (const t of list) {
      const v = t.ResTarget?.val;
      if (v?.ColumnRef && nodeType(v.ColumnRef.fields[v.ColumnRef.fields.length - 1]) === 'A_Star') continue;
      this.expr(v, this.ctx(scope, 'returning'));
    }
  }

  private insert(s: J, parent?: Scope): void {
    const level = parent ? parent.level + 1 : 0;
    const scope = this.newScope(parent, level, false, 'inner');
    this.withClause(s.withClause, scope);
    const targetScope = this.newScope(scope, level, false, 'inner');
    const rel = this.target(s.relation, targetScope);
    const listed: string[] = (s.cols ?? []).map((c: J) => c.ResTarget?.name ?? '');
    const columns = listed.length ? listed : rel.cols ? [...rel.cols.keys()] : [];
    let values: InsertValue[] | undefined;
    let rows: number | undefined;
    let select: WriteFacts['select'];
    const sel = s.selectStmt?.SelectStmt;
    if (sel && sel.valuesLists && (!sel.op || sel.op === 'SETOP_NONE')) {
      const perCol = columns.map(() => ({ kinds: new Set<ValueSource>(), consts: new Set<string>() }));
      rows = sel.valuesLists.length;
      for (const row of sel.valuesLists) {
        const items: J[] = row.List?.items ?? [];
        items.forEach((it, i) => {
          const o = this.operand(it, this.ctx(scope, 'values'));
          const k: ValueSource = nodeType(it) === 'SetToDefault' ? 'default' : o.kind === 'column' ? 'expr' : o.kind;
          const slot = perCol[i];
          if (!slot) return;
          slot.kinds.add(k);
          if (o.kind === 'const') slot.consts.add(o.value);
        });
      }
      values = columns.map((column, i) => {
        const k = perCol[i].kinds;
        const value: ValueSource = k.size === 1 ? [...k][0] : k.size === 0 ? 'default' : 'mixed';
        return { column, value, ...(perCol[i].consts.size ? { constants: [...perCol[i].consts].sort() } : {}) };
      });
    } else if (sel) {
      const before = new Set(this.read);
      const out = this.select(sel, scope, level, false, 'inner');
      const tables = [...this.read].filter((t) => !before.has(t) || true).sort();
      select = {
        tables,
        columns: columns.map((column, i) => {
          const src = out.cols?.get(out.names[i]);
          return src ? { column, source: src } : { column };
        }),
      };
    } else {
      values = columns.map((column) => ({ column, value: 'default' as const }));
      rows = 1;
    }
    let onConflict: WriteFacts['onConflict'];
    const oc = s.onConflictClause;
    if (oc) {
      const excluded: Rel = { id: this.nextId++, name: 'excluded', kind: 'derived', aliased: true, cols: rel.cols, qualifiedOnly: true };
      targetScope.rels.push(excluded);
      const inferCols: string[] = [];
      for (const e of oc.infer?.indexElems ?? []) {
        const ie = e.IndexElem;
        if (ie?.name) inferCols.push(ie.name);
        else if (ie?.expr) this.expr(ie.expr, this.ctx(targetScope, 'on-conflict'));
      }
      if (oc.infer?.whereClause) this.expr(oc.infer.whereClause, this.ctx(targetScope, 'on-conflict-where'));
      const set: string[] = [];
      const unchanged: string[] = [];
      for (const t of oc.targetList ?? []) {
        const rt = t.ResTarget;
        if (!rt) continue;
        if (rt.name) {
          set.push(rt.name);
          // SET c = excluded.c / t.c / c: the same attribute, so the value stays the conflicting row's
          const fields = rt.val?.ColumnRef?.fields;
          const last = Array.isArray(fields) ? fields[fields.length - 1]?.String?.sval : undefined;
          if (last === rt.name && !rt.indirection?.length) unchanged.push(rt.name);
        }
        this.expr(rt.val, this.ctx(targetScope, 'on-conflict'));
      }
      if (oc.whereClause) this.expr(oc.whereClause, this.ctx(targetScope, 'on-conflict-where'));
      onConflict = {
        action: oc.action === 'ONCONFLICT_UPDATE' ? 'update' : 'nothing',
        columns: inferCols,
        set: [...new Set(set)].sort(),
        ...(unchanged.length ? { unchanged: [...new Set(unchanged)].sort() } : {}),
      };
    }
    this.returning(s, targetScope);
    this.write ??= {
      target: rel.key!,
      targetKnown: rel.kind === 'table',
      columns: [...new Set(columns)].sort(),
      ...(values ? { values: [...values].sort((a, b) => (a.column < b.column ? -1 : a.column > b.column ? 1 : 0)) } : {}),
      ...(rows !== undefined ? { rows } : {}),
      ...(select ? { select } : {}),
      ...(onConflict ? { onConflict } : {}),
    };
  }

  private update(s: J, parent?: Scope): void {
    const level = parent ? parent.level + 1 : 0;
    const scope = this.newScope(parent, level, false, 'inner');
    this.withClause(s.withClause, scope);
    const rel = this.target(s.relation, scope);
    for (const item of s.fromClause ?? []) this.fromItem(item, scope);
    if (s.whereClause) this.pred(s.whereClause, this.ctx(scope, 'where', { clause: 'where' }));
    const set: string[] = [];
    const values = new Map<string, InsertValue>();
    for (const t of s.targetList ?? []) {
      const rt = t.ResTarget;
      if (!rt) continue;
      if (rt.name) set.push(rt.name);
      const v = rt.val;
      const ctx = this.ctx(scope, 'set');
      let value: InsertValue | undefined;
      if (v?.MultiAssignRef) {
        const m = v.MultiAssignRef;
        const row: J[] | undefined = m.source?.RowExpr?.args;
        if (row) value = this.setValue(rt, row[(m.colno ?? 1) - 1], rel, ctx);
        else if ((m.colno ?? 1) === 1) this.expr(m.source, ctx);
      } else value = this.setValue(rt, v, rel, ctx);
      if (rt.name && !values.has(rt.name)) values.set(rt.name, value ?? { column: rt.name, value: 'expr' });
    }
    this.returning(s, scope);
    this.cartesianCheck(scope);
    const sorted = [...values.values()].sort((a, b) => (a.column < b.column ? -1 : a.column > b.column ? 1 : 0));
    this.write ??= { target: rel.key!, targetKnown: rel.kind === 'table', columns: [...new Set(set)].sort(), ...(sorted.length ? { values: sorted } : {}) };
  }

  /** The value an UPDATE assigns to one column: a constant, a parameter, the column itself, another column, or an expression. */
  private setValue(rt: J, v: J, target: Rel, ctx: Ctx): InsertValue {
    const column: string = rt.name ?? '';
    if (rt.indirection?.length || !v) {
      this.expr(v, ctx);
      return { column, value: 'expr' };
    }
    const o = this.operand(v, ctx);
    if (o.kind === 'const') return { column, value: 'const', constants: [o.value] };
    if (o.kind === 'param') return { column, value: 'param' };
    if (o.kind === 'column' && o.res.ref) {
      if (o.res.rel.id === target.id && o.res.ref.column === column) return { column, value: 'unchanged' };
      return { column, value: 'expr', source: o.res.ref };
    }
    return { column, value: 'expr' };
  }

  private delete(s: J, parent?: Scope): void {
    const level = parent ? parent.level + 1 : 0;
    const scope = this.newScope(parent, level, false, 'inner');
    this.withClause(s.withClause, scope);
    const rel = this.target(s.relation, scope);
    for (const item of s.usingClause ?? []) this.fromItem(item, scope);
    if (s.whereClause) this.pred(s.whereClause, this.ctx(scope, 'where', { clause: 'where' }));
    this.returning(s, scope);
    this.cartesianCheck(scope);
    this.write ??= { target: rel.key!, targetKnown: rel.kind === 'table', columns: [] };
  }

  private merge(s: J, parent?: Scope): void {
    const level = parent ? parent.level + 1 : 0;
    const scope = this.newScope(parent, level, false, 'inner');
    this.withClause(s.withClause, scope);
    const rel = this.target(s.relation, scope);
    const right = this.fromItem(s.sourceRelation, scope);
    if (s.joinCondition) {
      this.pred(s.joinCondition, this.ctx(scope, 'join', { clause: 'on', joinSource: 'on' }));
      const a = [...right][0];
      if (a !== undefined) scope.union(rel.id, a);
    }
    const set: string[] = [];
    const updated: string[] = [];
    for (const w of s.mergeWhenClauses ?? []) {
      const m = w.MergeWhenClause;
      if (!m) continue;
      if (m.condition) this.expr(m.condition, this.ctx(scope, 'merge-when'));
      for (const t of m.targetList ?? []) {
        const rt = t.ResTarget;
        if (rt?.name) set.push(rt.name);
        if (rt?.name && m.commandType === 'CMD_UPDATE') updated.push(rt.name);
        if (rt?.val) this.expr(rt.val, this.ctx(scope, 'merge-when'));
      }
      for (const v of m.values ?? []) this.expr(v, this.ctx(scope, 'merge-when'));
    }
    this.returning(s, scope);
    this.write ??= { target: rel.key!, targetKnown: rel.kind === 'table', columns: [...new Set(set)].sort(), mergeUpdated: [...new Set(updated)].sort() };
  }
}

// ---------------------------------------------------------------- output helpers

/** Functions in FROM that return one unnamed column (named after the alias). */
const SCALAR_SRF = new Set(['generate_series', 'unnest', 'generate_subscripts', 'regexp_split_to_table', 'jsonb_array_elements_text', 'json_array_elements_text']);

function stripCast(n: J): J {
  let p = n;
  while (p?.TypeCast) p = p.TypeCast.arg;
  return p;
}

function valueKind(o: Operand): ValueKind {
  return o.kind === 'const' ? 'const' : o.kind === 'param' ? 'param' : 'expr';
}

function reasonFor(r: Rel): UnresolvedColumn['reason'] {
  return r.kind === 'view' ? 'view-column' : r.kind === 'function' ? 'function-column' : 'unknown-relation';
}

function outputName(v: J): string {
  const p = v?.TypeCast ? v.TypeCast.arg : v;
  const t = nodeType(p);
  if (t === 'ColumnRef') return str(p.ColumnRef.fields[p.ColumnRef.fields.length - 1]) || '?column?';
  if (t === 'FuncCall') return str(p.FuncCall.funcname[p.FuncCall.funcname.length - 1]);
  if (t === 'CaseExpr') return 'case';
  if (t === 'CoalesceExpr') return 'coalesce';
  if (v?.TypeCast) return str(v.TypeCast.typeName?.names?.[v.TypeCast.typeName.names.length - 1]) || '?column?';
  return '?column?';
}

function rename(out: Output, aliases: string[]): Output {
  if (!aliases.length) return out;
  const names = out.names.map((n, i) => aliases[i] ?? n);
  for (let i = out.names.length; i < aliases.length; i++) names.push(aliases[i]);
  if (!out.cols) return { names };
  const cols: ColMap = new Map();
  out.names.forEach((n, i) => {
    const nn = aliases[i] ?? n;
    if (!cols.has(nn)) cols.set(nn, out.cols!.get(n) ?? null);
  });
  return { names, cols };
}

/** A set operation's output: the left branch's names; a base column only where both branches agree. */
function combine(l: Output, r: Output): Output {
  if (!l.cols) return { names: l.names };
  const cols: ColMap = new Map();
  l.names.forEach((n, i) => {
    const a = l.cols!.get(n) ?? null;
    const b = r.cols?.get(r.names[i]) ?? null;
    if (!cols.has(n)) cols.set(n, a && b && a.table === b.table && a.column === b.column ? a : null);
  });
  return { names: l.names, cols };
}

// ---------------------------------------------------------------- entry points

/** Facts of one statement (SQL text, a script Statement, or a parse-tree statement node). */
export function extractFacts(catalog: Catalog, input: string | Statement | Node, options?: ExtractOptions): QueryFacts {
  return new FactExtractor(catalog, options).extract(input);
}

/**
 * Facts for every query of a workload. The sample (with real values) is
 * used when it parses, else the normalized text. Queries whose SQL does not
 * parse are left out, with a `syntax-error` diagnostic. A query's own
 * `searchPath` (from a `SET search_path` of its session) resolves its names;
 * without one, and without `options.searchPath`, a catalog whose tables all
 * live in one schema other than `public` resolves unqualified names there
 * (`assumeSingleSchema`, on unless the options say otherwise).
 */
export function analyzeWorkload(catalog: Catalog, queries: readonly WorkloadQuery[], options: ExtractOptions = {}): Workload {
  const x = new FactExtractor(catalog, { assumeSingleSchema: options.searchPath === undefined, ...options });
  const out: AnalyzedQuery[] = [];
  const diagnostics: Diagnostic[] = [];
  let assumed = false;
  for (const query of queries) {
    let facts: QueryFacts | undefined;
    let error: string | undefined;
    for (const text of query.sample && query.sample !== query.sql ? [query.sample, query.sql] : [query.sql]) {
      try {
        const r = x.extractWith(text, query.searchPath ? { searchPath: query.searchPath } : {});
        facts = r.facts;
        if (r.usedFallback) assumed = true;
        break;
      } catch (e) {
        if (!(e instanceof FactsSyntaxError)) throw e;
        error ??= e.message;
      }
    }
    if (facts) out.push({ query, facts });
    else
      diagnostics.push({
        code: 'syntax-error',
        severity: 'error',
        message: `query ${query.id} does not parse: ${error ?? 'unknown error'}`,
        location: query.sources[0] ?? { file: '', line: 0, column: 0 },
      });
  }
  return { queries: out, diagnostics, ...(assumed && x.singleSchema ? { assumedSchema: x.singleSchema } : {}) };
}
