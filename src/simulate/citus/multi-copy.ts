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
import { parseCopyText } from '../../ingest/copy.js';
import type { CopyStmt, InsertStmt } from '../../ingest/pg/ast.js';
import { defElemsOf, namesOf, nodeAs, stringOf } from '../../ingest/pg/index.js';
import { appendRows, valuesRows, type Row } from './data.js';
import { CitusError, COPY_DONE_NOTICE, COPY_START_NOTICE, qual } from './errors.js';
import type { ClusterState } from './state.js';
import { metadataChange } from './modify-rows.js';
import { copyRows, insertRows } from './row-changes.js';
import { checkInsertTargets } from './postgres-rewrite.js';

export function copyFrom(s: ClusterState, body: CopyStmt): void {
  if (!body.is_from || body.filename || !body.relation) return;
  const t = s.mustTable(body.relation);
  const stmt = s.stmt!;
  const script = s.script!;
  const block = script.copyBlocks.find((b) => b.statementStartByte <= stmt.startByte && stmt.endByte <= b.statementEndByte);
  const bytes = block && script.source.held(block.dataStartByte, block.dataEndByte);
  const rows = bytes ? parseCopyText(bytes) : [];
  const cols = columnsGiven(t, namesOf(body.attlist));
  recordRows(s, t, cols, rows, 'copy');
  copyRows(s, t, cols, bytes && plainText(body) ? rows : undefined);
}

/** COPY's text format with its default delimiter and NULL string: the rows parseCopyText reads are the table's. */
function plainText(body: CopyStmt): boolean {
  return defElemsOf(body.options).every((d) => d.defname === 'format' && stringOf(d.arg) === 'text');
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
