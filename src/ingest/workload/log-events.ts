/**
 * What a PostgreSQL server log says about statements, whatever its format
 * (stderr, csvlog, jsonlog): the three readers turn their lines into
 * `LogEvent`s and this interpreter turns events into statements.
 *
 * Understood messages (severity LOG):
 *   statement: SQL                         (log_statement)
 *   duration: 1.2 ms  statement: SQL       (log_min_duration_statement)
 *   execute NAME: SQL                      (extended protocol; DETAIL carries the parameters)
 *   duration: 1.2 ms  execute NAME: SQL
 *   duration: 1.2 ms                       (the time of the statement logged just before)
 *   disconnection: ...                     (ends the session)
 * `parse NAME:` / `bind NAME:` and `execute fetch from` (more rows of a portal
 * already counted) are not executions and are skipped.
 */
import type { Location } from '../../catalog/model.js';
import type { WorkloadBuilder } from './builder.js';

export interface LogEvent {
  /** pid or session id: statements of one session form transactions. */
  readonly session: string;
  readonly severity: string;
  readonly message: string;
  /** DETAIL text when the format carries it in the same record (csvlog, jsonlog). */
  readonly detail?: string;
  readonly location: Location;
}

interface Pending {
  readonly sql: string;
  readonly location: Location;
  durationMs?: number;
  params?: string;
  /** An execution still waiting for its DETAIL / duration. */
  readonly countable: boolean;
}

const DURATION = /^duration: (\d+(?:\.\d+)?) ms(?: {2}([\s\S]*))?$/;
const EXECUTE = /^execute (?:fetch from )?(\S*?): ([\s\S]*)$/;

export class LogInterpreter {
  private readonly pending = new Map<string, Pending>();
  private readonly builder: WorkloadBuilder;
  private readonly sessionPrefix: string;

  /** `sessionPrefix` keeps sessions of different files apart. */
  constructor(builder: WorkloadBuilder, sessionPrefix: string) {
    this.builder = builder;
    this.sessionPrefix = sessionPrefix;
  }

  event(e: LogEvent): void {
    const session = e.session;
    if (e.severity === 'DETAIL') {
      const p = this.pending.get(session);
      if (p && p.countable && e.message.startsWith('parameters: ')) p.params = e.message.slice(12);
      return;
    }
    if (e.severity !== 'LOG') return; // errors, STATEMENT/HINT/CONTEXT lines: the statement was already counted if logged
    let msg = e.message;
    let durationMs: number | undefined;
    if (msg.startsWith('duration: ')) {
      const m = DURATION.exec(msg);
      if (!m) return;
      durationMs = Number(m[1]);
      if (m[2] === undefined) {
        // the time of the statement this session logged just before
        const p = this.pending.get(session);
        if (p) {
          p.durationMs = durationMs;
          this.flush(session);
        }
        return;
      }
      msg = m[2];
    }
    if (msg.startsWith('statement: ')) {
      this.flush(session);
      this.pending.set(session, { sql: msg.slice(11), location: e.location, durationMs, countable: true });
      if (e.detail !== undefined) this.applyDetail(session, e.detail);
      return;
    }
    if (msg.startsWith('execute ')) {
      this.flush(session);
      if (msg.startsWith('execute fetch from ')) return;
      const m = EXECUTE.exec(msg);
      if (!m) return;
      this.pending.set(session, { sql: m[2], location: e.location, durationMs, countable: true });
      if (e.detail !== undefined) this.applyDetail(session, e.detail);
      return;
    }
    if (msg.startsWith('parse ') || msg.startsWith('bind ')) {
      this.flush(session);
      return;
    }
    if (msg.startsWith('disconnection: ')) {
      this.flush(session);
      this.builder.endSession(this.sessionPrefix + session);
      return;
    }
    if (msg.startsWith('connection received: ')) {
      // a new session reusing a pid
      this.flush(session);
      this.builder.endSession(this.sessionPrefix + session);
    }
  }

  private applyDetail(session: string, detail: string): void {
    const p = this.pending.get(session);
    if (p && detail.startsWith('parameters: ')) p.params = detail.slice(12);
  }

  private flush(session: string): void {
    const p = this.pending.get(session);
    if (!p) return;
    this.pending.delete(session);
    // a plain object literal (no spreads): this runs once per logged statement
    this.builder.add({ sql: p.sql, params: p.params, location: p.location, weight: 1, calls: 1, timeMs: p.durationMs }, this.sessionPrefix + session);
  }

  /** End of the file: count what is pending; transactions still open were cut off and are dropped. */
  finish(): void {
    for (const session of [...this.pending.keys()].sort()) this.flush(session);
    this.builder.dropOpen(this.sessionPrefix);
  }
}
