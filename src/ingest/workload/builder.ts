/**
 * Grouping statements into queries and transactions. One builder per run:
 * readers feed it statements (with where they were seen and how often), it
 * parses each distinct shape once and hands back a `WorkloadInput`.
 */
import type { Node } from '@pgsql/types';
import type { Diagnostic, Location } from '../../catalog/model.js';
import { fingerprintSql, normalizeSql, parseSql } from '../pg/index.js';
import { bindParameters, parseParameters, shapeKey } from './text.js';
import type { WorkloadFileInfo, WorkloadInput, WorkloadQuery, WorkloadTransaction } from './model.js';

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
}

type Shape =
  | { readonly kind: 'query'; readonly id: string; readonly fingerprint: string; readonly normalized: string; readonly relations: string[]; readonly command: string }
  | { readonly kind: 'txn'; readonly action: 'begin' | 'commit' | 'rollback' | 'other' }
  | { readonly kind: 'error'; readonly message: string; readonly cursor?: number }
  | { readonly kind: 'multi' }
  | { readonly kind: 'empty' };

interface QueryAcc {
  readonly id: string;
  readonly fingerprint: string;
  readonly sql: string;
  readonly relations: string[];
  readonly command: string;
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
  private lastId: string | undefined;
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
   * COMMIT/ROLLBACK of one session make a transaction.
   */
  add(rec: StatementRecord, session?: string): void {
    const shape = this.shapeOf(rec.sql);
    if (shape.kind === 'multi') {
      this.addMulti(rec, session);
      return;
    }
    this.statementCount.set(rec.location.file, (this.statementCount.get(rec.location.file) ?? 0) + 1);
    this.addShaped(rec, shape, session);
  }

  private addShaped(rec: StatementRecord, shape: Shape, session: string | undefined): void {
    this.lastId = undefined;
    switch (shape.kind) {
      case 'empty':
      case 'multi':
        return;
      case 'error':
        this.report({
          code: 'syntax-error',
          severity: 'error',
          message: `query does not parse: ${shape.message}`,
          location: rec.location,
          hint: 'the query is left out of the workload; check that the whole statement was captured',
        });
        return;
      case 'txn':
        if (session !== undefined) this.transactionControl(session, shape.action);
        return;
      case 'query':
        break;
    }
    this.lastId = shape.id;
    let q = this.queries.get(shape.id);
    if (!q) {
      q = {
        id: shape.id,
        fingerprint: shape.fingerprint,
        sql: shape.normalized,
        relations: shape.relations,
        command: shape.command,
        sample: rec.sql,
        sampleBound: false,
        weight: 0,
        calls: 0,
        sources: [],
        labels: new Set(),
      };
      this.queries.set(shape.id, q);
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
    if (session !== undefined) this.open.get(session)?.queries.push(shape.id);
  }

  /** A text holding several statements (a simple-protocol batch): each counts alone. */
  private addMulti(rec: StatementRecord, session: string | undefined): void {
    const parsed = parseSql(rec.sql);
    if (!parsed.ok) return;
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
      this.addShaped({ ...rec, sql, sample: undefined, params: undefined }, shape, session);
    }
  }

  private transactionControl(session: string, action: 'begin' | 'commit' | 'rollback' | 'other'): void {
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

  /** Id of the query the last statement added to a session went to. */
  lastQueryId(): string | undefined {
    return this.lastId;
  }

  /** The session ended (disconnection, end of file): an open transaction was not committed. */
  endSession(session: string): void {
    const t = this.open.get(session);
    if (!t) return;
    this.open.delete(session);
    this.recordTransaction(t.queries, false);
  }

  /** End of a file: transactions still open there were cut off by the end of the log, not run to an end; they are dropped. */
  dropOpen(prefix: string): number {
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
        };
        return out;
      })
      .sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const transactions: WorkloadTransaction[] = [...this.transactions.values()]
      .map((t) => ({ queries: t.queries, count: t.count, committed: t.committed, ...(t.label !== undefined ? { label: t.label } : {}), ...(t.weight !== undefined ? { weight: t.weight } : {}) }))
      .sort((a, b) => (b.weight ?? b.count) - (a.weight ?? a.count) || b.count - a.count || (a.label ?? '').localeCompare(b.label ?? '') || Number(b.committed) - Number(a.committed) || cmpArrays(a.queries, b.queries));
    const diagnostics = [...this.diagnostics];
    for (const [file, n] of [...this.suppressedPerFile].sort(([a], [b]) => (a < b ? -1 : 1))) {
      diagnostics.push({
        code: 'input-error',
        severity: 'warning',
        message: `${n} more problem${n === 1 ? '' : 's'} in this file not listed`,
        location: { file, line: 1, column: 1 },
      });
    }
    return { queries, transactions, diagnostics, files: [...this.files], inputs: [...this.fileInfo] };
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
  const fingerprint = fingerprintSql(sql) ?? '';
  const normalized = normalizeSql(sql) ?? sql;
  const relations = relationNames(node);
  return { kind: 'query', id: `${fingerprint}:${relations.join(',')}`, fingerprint, normalized, relations, command };
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
