/**
 * Grouping statements into queries and transactions. One builder per run:
 * readers feed it statements (with where they were seen and how often), it
 * parses each distinct shape once and hands back a `WorkloadInput`.
 */
import type { Node } from '@pgsql/types';
import type { Diagnostic, Location } from '../../catalog/model.js';
import { fingerprintSql, isDefaultSearchPath, MAX_STATEMENT_BYTES, MAX_STATEMENT_TOKENS, normalizeSql, parseSql, sessionStatement, statementTokens, tooManyTokens, type SearchPathChange } from '../pg/index.js';
import { bindParameters, parseParameters, shapeKey } from './text.js';
import type { WorkloadFileInfo, WorkloadInput, WorkloadQuery, WorkloadTransaction, WorkloadView } from './model.js';

/** One statement as a reader saw it. */
export interface StatementRecord {
  /** The statement as run; may hold `$n` parameters. */
  readonly sql: string;
  /** The statement with real values bound, when the source had them. */
  readonly sample?: string;
  /** A log's parameter text (`$1 = '...', $2 = NULL`), bound into the sample when one is still needed. */
  readonly params?: string;
  readonly location: Location;
  /** Importance: calls (pg_stat_statements), 1 per execution (logs), declared weight (.sql). */
  readonly weight: number;
  readonly calls: number;
  readonly timeMs?: number;
  readonly rows?: number;
  readonly label?: string;
  /**
   * Keep only queries (SELECT, INSERT, UPDATE, DELETE, MERGE): pg_stat_statements
   * also counts utility statements (ALTER, CREATE, COPY, VACUUM, GRANT, ...),
   * which are not workload. A CREATE VIEW's definition is still kept (`views`).
   */
  readonly queriesOnly?: boolean;
}

/** Statements that read or write table rows: what a workload is made of. */
export const QUERY_COMMANDS: ReadonlySet<string> = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

type Shape =
  | {
      readonly kind: 'query';
      readonly id: string;
      readonly fingerprint: string;
      readonly normalized: string;
      readonly relations: string[];
      readonly command: string;
      /** CREATE VIEW: its definition is kept, so that the workload's queries see through the view. */
      readonly view?: boolean;
      /** Not one of QUERY_COMMANDS (DDL, COPY, VACUUM, GRANT, EXPLAIN, CALL, ...): dropped for `queriesOnly` records. */
      readonly utility?: boolean;
    }
  | { readonly kind: 'txn'; readonly action: 'begin' | 'commit' | 'rollback' | 'other' }
  /** SET / RESET / SHOW / DISCARD ...: not a query (it may change search_path). */
  | { readonly kind: 'session' }
  | { readonly kind: 'error'; readonly message: string; readonly cursor?: number }
  | { readonly kind: 'multi' }
  | { readonly kind: 'empty' };

interface QueryAcc {
  readonly id: string;
  readonly fingerprint: string;
  readonly sql: string;
  readonly relations: string[];
  readonly command: string;
  readonly searchPath?: string[];
  sample: string;
  sampleBound: boolean;
  weight: number;
  calls: number;
  totalTimeMs?: number;
  rows?: number;
  readonly sources: Location[];
  readonly labels: Set<string>;
  label?: string;
}

interface OpenTransaction {
  readonly queries: string[];
}

/** Places kept per query. */
const MAX_SOURCES = 5;
/** Problems kept per file before they are summarised. */
const MAX_DIAGNOSTICS_PER_FILE = 100;

export class WorkloadBuilder {
  private readonly shapes = new Map<string, Shape>();
  private readonly queries = new Map<string, QueryAcc>();
  private readonly transactions = new Map<string, { queries: string[]; committed: boolean; count: number; label?: string; weight?: number }>();
  private readonly open = new Map<string, OpenTransaction>();
  /** Per session: search_path as last SET (absent: the default), and a SET LOCAL one inside the open transaction (null: the default). */
  private readonly sessionPath = new Map<string, string[]>();
  private readonly localPath = new Map<string, string[] | null>();
  /** search_path changes by exact statement text (the shape cache masks constants, and the path is one). */
  private readonly pathChanges = new Map<string, SearchPathChange | null>();
  /** CREATE VIEW statements seen, by text and search path. */
  private readonly views = new Map<string, WorkloadView>();
  private readonly diagnostics: Diagnostic[] = [];
  private readonly diagnosticsPerFile = new Map<string, number>();
  private readonly suppressedPerFile = new Map<string, number>();
  private readonly files: string[] = [];
  private readonly fileInfo: WorkloadFileInfo[] = [];
  /** Statements handed in, per file (whatever became of them). */
  private readonly statementCount = new Map<string, number>();

  addFile(file: string): void {
    if (!this.files.includes(file)) this.files.push(file);
  }

  fileDone(info: Omit<WorkloadFileInfo, 'statements'>): void {
    this.fileInfo.push({ ...info, statements: this.statementCount.get(info.file) ?? 0 });
  }

  /** Count a statement that never reaches `add` (it did not parse). */
  countStatement(file: string): void {
    this.statementCount.set(file, (this.statementCount.get(file) ?? 0) + 1);
  }

  /**
   * A problem at a place. Per file, the first 100 are kept and the rest are
   * counted into one closing diagnostic, so a damaged 1 GB log stays readable.
   */
  report(d: Diagnostic): void {
    const file = d.location.file;
    const n = this.diagnosticsPerFile.get(file) ?? 0;
    if (n >= MAX_DIAGNOSTICS_PER_FILE) {
      this.suppressedPerFile.set(file, (this.suppressedPerFile.get(file) ?? 0) + 1);
      return;
    }
    this.diagnosticsPerFile.set(file, n + 1);
    this.diagnostics.push(d);
  }

  /**
   * Add one statement. `session` names the connection it ran on (log pid or
   * session id, or the file for a .sql script): statements between BEGIN and
   * COMMIT/ROLLBACK of one session make a transaction. Returns the id of the
   * query the statement counts for (of its last statement, for a text holding
   * several), or undefined when it is no query.
   */
  add(rec: StatementRecord, session?: string): string | undefined {
    // A statement past the limits a script's statements have is not parsed (a giant line would
    // hold the parser for minutes, or exhaust its memory): one located error, and the run goes on.
    const tooLong =
      rec.sql.length > MAX_STATEMENT_BYTES
        ? `statement of ${(rec.sql.length / 2 ** 20).toFixed(1)} MB is longer than the ${MAX_STATEMENT_BYTES / 2 ** 20} MB shardwise reads in one statement; it was skipped`
        : rec.sql.length > MAX_STATEMENT_TOKENS
          ? ((n) => (n > MAX_STATEMENT_TOKENS ? tooManyTokens(n) : undefined))(statementTokens(rec.sql))
          : undefined;
    if (tooLong) {
      this.statementCount.set(rec.location.file, (this.statementCount.get(rec.location.file) ?? 0) + 1);
      this.report({
        code: 'input-error',
        severity: 'error',
        message: tooLong,
        location: rec.location,
        hint: 'check that the statement was captured whole and that the file is the workload you meant',
      });
      return undefined;
    }
    const shape = this.shapeOf(rec.sql);
    if (shape.kind === 'multi') return this.addMulti(rec, session);
    this.statementCount.set(rec.location.file, (this.statementCount.get(rec.location.file) ?? 0) + 1);
    return this.addShaped(rec, shape, session);
  }

  private addShaped(rec: StatementRecord, shape: Shape, session: string | undefined): string | undefined {
    switch (shape.kind) {
      case 'empty':
      case 'multi':
        return undefined;
      case 'error':
        this.report({
          code: 'syntax-error',
          severity: 'error',
          message: `query does not parse: ${shape.message}`,
          location: rec.location,
          hint: 'the query is left out of the workload; check that the whole statement was captured',
        });
        return undefined;
      case 'txn':
        if (session !== undefined) this.transactionControl(session, shape.action);
        return undefined;
      case 'session':
        // The shape masks constants (set_config('search_path', ...) looks like set_config('work_mem', ...)): read the text itself.
        if (session !== undefined) this.searchPathChange(session, rec.sql);
        return undefined;
      case 'query':
        break;
    }
    const searchPath = session !== undefined ? this.searchPathOf(session) : undefined;
    const id = searchPath ? `${shape.id};search_path=${searchPath.join(',')}` : shape.id;
    if (shape.view) {
      const key = `${searchPath?.join(',') ?? ''}\u0000${rec.sql}`;
      if (!this.views.has(key)) this.views.set(key, { sql: rec.sql, location: rec.location, ...(searchPath ? { searchPath } : {}) });
    }
    if (shape.utility && rec.queriesOnly) return undefined;
    let q = this.queries.get(id);
    if (!q) {
      q = {
        id,
        fingerprint: shape.fingerprint,
        sql: shape.normalized,
        relations: shape.relations,
        command: shape.command,
        ...(searchPath ? { searchPath } : {}),
        sample: rec.sql,
        sampleBound: false,
        weight: 0,
        calls: 0,
        sources: [],
        labels: new Set(),
      };
      this.queries.set(id, q);
    }
    if (!q.sampleBound) {
      const sample = realSample(rec);
      if (sample !== undefined) {
        q.sample = sample;
        q.sampleBound = true;
      }
    }
    q.weight += rec.weight;
    q.calls += rec.calls;
    if (rec.timeMs !== undefined) q.totalTimeMs = (q.totalTimeMs ?? 0) + rec.timeMs;
    if (rec.rows !== undefined) q.rows = (q.rows ?? 0) + rec.rows;
    if (q.sources.length < MAX_SOURCES) q.sources.push(rec.location);
    if (rec.label !== undefined) {
      q.label ??= rec.label;
      q.labels.add(rec.label);
    }
    if (session !== undefined) this.open.get(session)?.queries.push(id);
    return id;
  }

  /** The search_path a session's statements run with, when it is not the default. */
  private searchPathOf(session: string): string[] | undefined {
    const local = this.localPath.get(session);
    if (local !== undefined) return local ?? undefined;
    return this.sessionPath.get(session);
  }

  private searchPathChange(session: string, sql: string): void {
    // Only these can touch search_path; other settings (application_name, ...) are not parsed again.
    if (!/search_path|\breset\b|\bdiscard\b/i.test(sql)) return;
    let change = this.pathChanges.get(sql);
    if (change === undefined) {
      const parsed = parseSql(sql);
      const node = parsed.ok ? parsed.result.stmts?.[0]?.stmt : undefined;
      change = (node && sessionStatement(node)?.searchPath) ?? null;
      this.pathChanges.set(sql, change);
    }
    if (!change || change.kind === 'unknown') return;
    const path = change.kind === 'set' && !isDefaultSearchPath(change.path) ? change.path : undefined;
    if (change.local) {
      // SET LOCAL lasts until the end of the transaction; outside one it does nothing.
      if (this.open.has(session)) this.localPath.set(session, path ?? null);
      return;
    }
    if (path) this.sessionPath.set(session, path);
    else this.sessionPath.delete(session);
  }

  /** A text holding several statements (a simple-protocol batch): each counts alone. */
  private addMulti(rec: StatementRecord, session: string | undefined): string | undefined {
    const parsed = parseSql(rec.sql);
    if (!parsed.ok) return undefined;
    let id: string | undefined;
    const bytes = Buffer.from(rec.sql, 'utf8');
    const stmts = parsed.result.stmts ?? [];
    for (const raw of stmts) {
      const from = raw.stmt_location ?? 0;
      const to = raw.stmt_len !== undefined ? from + raw.stmt_len : bytes.length;
      const sql = bytes.toString('utf8', from, to).trim();
      if (!sql) continue;
      const shape = this.shapeOf(sql);
      this.statementCount.set(rec.location.file, (this.statementCount.get(rec.location.file) ?? 0) + 1);
      if (shape.kind === 'multi') continue; // cannot happen: one statement each
      id = this.addShaped({ ...rec, sql, sample: undefined, params: undefined }, shape, session);
    }
    return id;
  }

  private transactionControl(session: string, action: 'begin' | 'commit' | 'rollback' | 'other'): void {
    if (action !== 'other') this.localPath.delete(session);
    if (action === 'begin') {
      this.open.set(session, { queries: [] });
      return;
    }
    if (action === 'other') return;
    const t = this.open.get(session);
    if (!t) return;
    this.open.delete(session);
    this.recordTransaction(t.queries, action === 'commit');
  }

  /**
   * A procedure of a .sql workload (`-- procedure: NewOrder  weight: 45`):
   * its statements are one transaction of the mix, with the procedure's name
   * and weight. Call with the statements' query ids once the procedure ends.
   */
  procedure(label: string, weight: number | undefined, queries: string[]): void {
    if (!queries.length) return;
    const key = `p\u0000${label}\u0000${queries.join('\u0000')}`;
    const t = this.transactions.get(key);
    if (t) t.count++;
    else this.transactions.set(key, { queries, committed: true, count: 1, label, ...(weight !== undefined ? { weight } : {}) });
  }

  /** The session ended (disconnection, end of file): an open transaction was not committed. */
  endSession(session: string): void {
    this.sessionPath.delete(session);
    this.localPath.delete(session);
    const t = this.open.get(session);
    if (!t) return;
    this.open.delete(session);
    this.recordTransaction(t.queries, false);
  }

  /** End of a file: transactions still open there were cut off by the end of the log, not run to an end; they are dropped. */
  dropOpen(prefix: string): number {
    for (const m of [this.sessionPath, this.localPath]) for (const key of [...m.keys()]) if (key.startsWith(prefix)) m.delete(key);
    let n = 0;
    for (const key of [...this.open.keys()]) {
      if (key.startsWith(prefix)) {
        this.open.delete(key);
        n++;
      }
    }
    return n;
  }

  private recordTransaction(queries: string[], committed: boolean): void {
    const key = `${committed ? 'c' : 'r'}\u0000${queries.join('\u0000')}`;
    const t = this.transactions.get(key);
    if (t) t.count++;
    else this.transactions.set(key, { queries, committed, count: 1 });
  }

  /** The shape of a statement, from the cache when its constant-masked text was seen before. */
  private shapeOf(sql: string): Shape {
    const key = shapeKey(sql);
    let shape = this.shapes.get(key);
    if (!shape) {
      shape = computeShape(sql);
      this.shapes.set(key, shape);
    }
    return shape;
  }

  /** Number of distinct statement shapes parsed so far. */
  get parsedShapes(): number {
    return this.shapes.size;
  }

  build(): WorkloadInput {
    const queries: WorkloadQuery[] = [...this.queries.values()]
      .map((q) => {
        const labels = [...q.labels].sort();
        const out: WorkloadQuery = {
          id: q.id,
          fingerprint: q.fingerprint,
          sql: q.sql,
          sample: q.sample,
          weight: round(q.weight),
          calls: q.calls,
          ...(q.totalTimeMs !== undefined ? { totalTimeMs: round(q.totalTimeMs) } : {}),
          ...(q.rows !== undefined ? { rows: q.rows } : {}),
          sources: q.sources,
          ...(q.label !== undefined ? { label: q.label } : {}),
          ...(labels.length > 1 ? { labels } : {}),
          relations: q.relations,
          command: q.command,
          ...(q.searchPath ? { searchPath: q.searchPath } : {}),
        };
        return out;
      })
      .sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const transactions: WorkloadTransaction[] = [...this.transactions.values()]
      .map((t) => ({ queries: t.queries, count: t.count, committed: t.committed, ...(t.label !== undefined ? { label: t.label } : {}), ...(t.weight !== undefined ? { weight: t.weight } : {}) }))
      .sort((a, b) => (b.weight ?? b.count) - (a.weight ?? a.count) || b.count - a.count || ((a.label ?? '') < (b.label ?? '') ? -1 : (a.label ?? '') > (b.label ?? '') ? 1 : 0) || Number(b.committed) - Number(a.committed) || cmpArrays(a.queries, b.queries));
    const diagnostics = [...this.diagnostics];
    for (const [file, n] of [...this.suppressedPerFile].sort(([a], [b]) => (a < b ? -1 : 1))) {
      diagnostics.push({
        code: 'input-error',
        severity: 'warning',
        message: `${n} more problem${n === 1 ? '' : 's'} in this file not listed`,
        location: { file, line: 1, column: 1 },
      });
    }
    const views = [...this.views.values()];
    return { queries, transactions, diagnostics, files: [...this.files], inputs: [...this.fileInfo], ...(views.length ? { views } : {}) };
  }
}

/** The statement with real values, when the record has them. */
function realSample(rec: StatementRecord): string | undefined {
  if (rec.sample !== undefined) return rec.sample;
  if (rec.params !== undefined) {
    const params = parseParameters(rec.params);
    if (params) return bindParameters(rec.sql, params);
  }
  return rec.sql.includes('$') ? undefined : rec.sql;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function cmpArrays(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length - b.length;
}

function computeShape(sql: string): Shape {
  const parsed = parseSql(sql);
  if (!parsed.ok) return { kind: 'error', message: parsed.error.message, cursor: parsed.error.cursor };
  const stmts = parsed.result.stmts ?? [];
  if (stmts.length === 0) return { kind: 'empty' };
  if (stmts.length > 1) return { kind: 'multi' };
  const node = stmts[0].stmt;
  if (!node) return { kind: 'empty' };
  const command = Object.keys(node)[0] ?? 'unknown';
  if (command === 'TransactionStmt') {
    const kind = (node as { TransactionStmt: { kind?: string } }).TransactionStmt.kind;
    switch (kind) {
      case 'TRANS_STMT_BEGIN':
      case 'TRANS_STMT_START':
        return { kind: 'txn', action: 'begin' };
      case 'TRANS_STMT_COMMIT':
      case 'TRANS_STMT_PREPARE':
        return { kind: 'txn', action: 'commit' };
      case 'TRANS_STMT_ROLLBACK':
        return { kind: 'txn', action: 'rollback' };
      default:
        return { kind: 'txn', action: 'other' };
    }
  }
  if (sessionStatement(node)) return { kind: 'session' };
  const fingerprint = fingerprintSql(sql) ?? '';
  const normalized = normalizeSql(sql) ?? sql;
  const relations = relationNames(node);
  const view = command === 'ViewStmt';
  const utility = !QUERY_COMMANDS.has(command);
  return { kind: 'query', id: `${fingerprint}:${relations.join(',')}`, fingerprint, normalized, relations, command, ...(view ? { view } : {}), ...(utility ? { utility } : {}) };
}

/** Sorted, distinct relation names (`schema.name` when written qualified) of every RangeVar in a tree (CTE names included). */
export function relationNames(node: Node): string[] {
  const names = new Set<string>();
  const stack: unknown[] = [node];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (const x of v) if (x && typeof x === 'object') stack.push(x);
      continue;
    }
    if (!v || typeof v !== 'object') continue;
    // A RangeVar, wrapped ({RangeVar: {...}}, where a Node is expected) or bare (fields typed RangeVar, e.g. UpdateStmt.relation).
    const r = v as { schemaname?: unknown; relname?: unknown; relpersistence?: unknown };
    if (typeof r.relname === 'string' && typeof r.relpersistence === 'string') {
      names.add(typeof r.schemaname === 'string' ? `${r.schemaname}.${r.relname}` : r.relname);
    }
    for (const x of Object.values(v as Record<string, unknown>)) if (x && typeof x === 'object') stack.push(x);
  }
  return [...names].sort();
}
