/**
 * Rows arriving in a table by COPY FROM STDIN or INSERT ... VALUES, and a
 * table's local rows copied into its new shards when it is distributed
 * (create_distributed_table.c CopyLocalDataIntoShards, through the same COPY
 * machinery). On a distributed table each row needs a distribution column
 * value to find its shard: COPY's errors are commands/multi_copy.c's
 * (CitusCopyDestReceiverReceive); an INSERT's NULL value is the router
 * planner's error (planner/multi_router_planner.c), as is a value left out,
 * which route.ts decides with the rest of the INSERT. Then the model counts
 * the rows and their NULLs.
 */
import type { Table } from '../../catalog/model.js';
import { parseCopyText, type Row as CopyRow } from '../../ingest/copy.js';
import { parseCopyCsv } from '../../ingest/copy-csv.js';
import type { CopyStmt, InsertStmt } from '../../ingest/pg/ast.js';
import { defElemsOf, namesOf, nodeAs, stringOf } from '../../ingest/pg/index.js';
import { appendRows, valuesRows, type Row } from './data.js';
import { CitusError, COPY_DONE_NOTICE, COPY_START_NOTICE, qual } from './errors.js';
import type { ClusterState } from './state.js';
import { metadataChange } from './modify-rows.js';
import { copyRows, insertRows } from './row-changes.js';
import { checkInsertTargets } from './postgres-rewrite.js';

export function copyFrom(s: ClusterState, body: CopyStmt): void {
  if (!body.is_from || !body.relation) return;
  const t = s.mustTable(body.relation);
  appendToShardOption(s, t.key, body);
  if (body.filename) return;
  const stmt = s.stmt!;
  const script = s.script!;
  const block = script.copyBlocks.find((b) => b.statementStartByte <= stmt.startByte && stmt.endByte <= b.statementEndByte);
  const bytes = block && script.source.held(block.dataStartByte, block.dataEndByte);
  const read = bytes ? copyData(body, bytes) : undefined;
  const rows = read ?? (bytes ? parseCopyText(bytes) : []);
  const cols = columnsGiven(t, namesOf(body.attlist));
  recordRows(s, t, cols, rows, 'copy');
  copyRows(s, t, cols, read);
}

/**
 * The rows of COPY data in its format (text or CSV, a one-byte delimiter,
 * HEADER, QUOTE); undefined for an option the model does not read (a NULL
 * string of its own, append_to_shard, ...).
 */
function copyData(body: CopyStmt, bytes: string | Buffer): CopyRow[] | undefined {
  let csv = false;
  let delimiter: string | undefined;
  let quote = '"';
  let header = false;
  for (const d of defElemsOf(body.options)) {
    const value = stringOf(d.arg) || (nodeAs(d.arg, 'Boolean') ? String(nodeAs(d.arg, 'Boolean')?.boolval ?? false) : d.arg ? '' : 'true');
    if (d.defname === 'format' && (value === 'csv' || value === 'text')) csv = value === 'csv';
    else if (d.defname === 'delimiter' && value.length === 1) delimiter = value;
    else if (d.defname === 'quote' && value.length === 1) quote = value;
    else if (d.defname === 'header' && /^(true|on|1)$/i.test(value)) header = true;
    else if (d.defname !== 'header' || !/^(false|off|0)$/i.test(value)) return undefined;
  }
  const text = typeof bytes === 'string' ? bytes : bytes.toString('utf8');
  if (csv) return parseCopyCsv(text, { delimiter: delimiter ?? ',', quote, header });
  const rows = parseCopyText(bytes, (delimiter ?? '\t').charCodeAt(0));
  return header ? rows.slice(1) : rows;
}

export function insert(s: ClusterState, body: InsertStmt): void {
  if (metadataChange(s, body.relation, 'INSERT')) return;
  const t = s.mustTable(body.relation);
  checkInsertTargets(t, body);
  const cols = columnsGiven(
    t,
    (body.cols ?? []).map((c) => nodeAs(c, 'ResTarget')?.name ?? ''),
  );
  recordRows(s, t, cols, valuesRows(body) ?? [cols.map(() => 'x')], 'insert');
  insertRows(s, t, body, cols);
}

/** ProcessAppendToShardOption: COPY into an append table names the shard (append_to_shard), into no other Citus table. */
function appendToShardOption(s: ClusterState, key: string, body: CopyStmt): void {
  const kind = s.citus.get(key)?.kind;
  if (!kind) return;
  const given = (body.options ?? []).some((o) => nodeAs(o, 'DefElem')?.defname === 'append_to_shard');
  if (given && kind !== 'append') throw new CitusError('append_to_shard is only valid for append-distributed tables');
  if (!given && kind === 'append') throw new CitusError('COPY into append-distributed table requires using the append_to_shard option');
}

/** The column list as written; without one, every column but the generated ones. */
function columnsGiven(t: Table, written: string[]): string[] {
  return written.length ? written : t.columns.filter((c) => !c.generated).map((c) => c.name);
}

/**
 * The rows' distribution column values: COPY needs one for every row (an
 * INSERT that leaves the column out is the router's to refuse, route.ts),
 * and none may be NULL.
 */
function recordRows(s: ClusterState, t: Table, columns: string[], rows: Row[], via: 'copy' | 'insert'): void {
  const info = s.citus.get(t.key);
  if (info?.kind === 'distributed' && info.column) {
    const idx = columns.indexOf(info.column);
    const keyCol = t.columns.find((c) => c.name === info.column);
    const hasDefault = !!(keyCol?.default || keyCol?.identity);
    if (idx === -1 && !hasDefault && via === 'copy') throw new CitusError(`the partition column of table ${qual(t.key)} should have a value`);
    if (idx !== -1 && rows.some((r) => r[idx] === null)) {
      if (via === 'copy') throw new CitusError(`the partition column of table ${qual(t.key)} cannot be NULL`);
      throw new CitusError('cannot perform an INSERT with NULL in the partition column');
    }
  }
  appendRows(s.dataOf(t.key), t.columns, columns, rows);
}

/**
 * CopyLocalDataIntoShards: the table's rows go to its new shards, with
 * NOTICEs when `notices`; a NULL distribution column value aborts the copy.
 */
export function copyLocalDataIntoShards(s: ClusterState, key: string, column: string | undefined, notices: boolean): void {
  const d = s.data.get(key);
  if (!d || d.rows === 0) return;
  const firstNull = column === undefined ? undefined : d.firstNull[column];
  if (firstNull !== undefined) {
    if (firstNull > 0 && notices) s.notices.push(COPY_START_NOTICE);
    throw new CitusError(`the partition column of table ${qual(key)} cannot be NULL`);
  }
  if (notices) s.notices.push(COPY_START_NOTICE, COPY_DONE_NOTICE(key));
}
