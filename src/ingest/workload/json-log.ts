/**
 * PostgreSQL's jsonlog (PostgreSQL 15+, log_destination = 'jsonlog'): one JSON
 * object per line with `error_severity`, `message`, `detail`, `session_id`,
 * `pid`, ... (fields that are empty are left out).
 */
import type { WorkloadBuilder } from './builder.js';
import { forEachLine } from './lines.js';
import { LogInterpreter } from './log-events.js';

export async function readJsonLogInto(builder: WorkloadBuilder, file: string, absolute: string): Promise<void> {
  const interp = new LogInterpreter(builder, `${file}\u0000`);
  await forEachLine(absolute, (text, line) => {
    if (!text.trim()) return;
    const location = { file, line, column: 1 };
    let o: unknown;
    try {
      o = JSON.parse(text);
    } catch (e) {
      builder.report({ code: 'input-error', severity: 'warning', message: `jsonlog line is not JSON: ${(e as Error).message}`, location });
      return;
    }
    if (!o || typeof o !== 'object' || Array.isArray(o)) {
      builder.report({ code: 'input-error', severity: 'warning', message: 'jsonlog line is not a JSON object', location });
      return;
    }
    const r = o as Record<string, unknown>;
    if (typeof r.error_severity !== 'string' || typeof r.message !== 'string') {
      builder.report({ code: 'input-error', severity: 'warning', message: 'jsonlog object lacks "error_severity" or "message"', location });
      return;
    }
    const session = typeof r.session_id === 'string' ? r.session_id : String(r.pid ?? '');
    interp.event({
      session,
      severity: r.error_severity,
      message: r.message,
      ...(typeof r.detail === 'string' ? { detail: r.detail } : {}),
      location,
    });
  });
  interp.finish();
}
