/**
 * PostgreSQL's csvlog (log_destination = 'csvlog'): one CSV record per message,
 * multi-line fields quoted. Columns (PostgreSQL 13 to 17): log_time, user_name,
 * database_name, process_id, connection_from, session_id, session_line_num,
 * command_tag, session_start_time, virtual_transaction_id, transaction_id,
 * error_severity, sql_state_code, message, detail, hint, internal_query,
 * internal_query_pos, context, query, query_pos, location, application_name,
 * backend_type, leader_pid, query_id.
 */
import type { WorkloadBuilder } from './builder.js';
import { forEachCsvRecord } from './csv.js';
import { LogInterpreter } from './log-events.js';

const PID = 3;
const SESSION_ID = 5;
const SEVERITY = 11;
const MESSAGE = 13;
const DETAIL = 14;

export async function readCsvLogInto(builder: WorkloadBuilder, file: string, absolute: string): Promise<void> {
  const interp = new LogInterpreter(builder, `${file}\u0000`);
  await forEachCsvRecord(builder, file, absolute, (r, line) => {
    if (r.length < 15) {
      builder.report({
        code: 'input-error',
        severity: 'warning',
        message: `csvlog record has ${r.length} fields, expected at least 15 (log_time, ..., error_severity, sql_state_code, message, detail, ...)`,
        location: { file, line, column: 1 },
      });
      return;
    }
    const detail = r[DETAIL];
    interp.event({
      session: r[SESSION_ID] || r[PID],
      severity: r[SEVERITY],
      message: r[MESSAGE],
      ...(detail ? { detail } : {}),
      location: { file, line, column: 1 },
    });
  });
  interp.finish();
}
