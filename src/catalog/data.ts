/**
 * Data that comes with a schema: `COPY ... FROM stdin` blocks and INSERTs,
 * recorded per table by where they are, for the stats stage to read later.
 */
import type { CopyStmt, InsertStmt } from '../ingest/pg/ast.js';
import { namesOf, nodeAs } from '../ingest/pg/index.js';
import type { BuildContext } from './context.js';
import type { MTable } from './state.js';

export function copyFrom(ctx: BuildContext, body: CopyStmt): boolean {
  if (!body.is_from || body.filename) return ctx.skip('CopyStmt', 'COPY to or from a server file is not read');
  const t = ctx.lookupTable(body.relation);
  const { stmt, script } = ctx;
  if (!t || !stmt || !script) return false;
  const block = script.copyBlocks.find((b) => b.statementStartByte <= stmt.startByte && stmt.endByte <= b.statementEndByte);
  if (!block) return ctx.skip('CopyStmt', 'COPY FROM STDIN without inline data');
  ctx.data.push({
    table: t.key,
    kind: 'copy',
    file: script.source.file,
    columns: columnsGiven(t, namesOf(body.attlist)),
    startByte: block.dataStartByte,
    endByte: block.dataEndByte,
    location: script.source.locate(block.dataStartByte),
  });
  return true;
}

export function insertRows(ctx: BuildContext, body: InsertStmt): boolean {
  const t = ctx.lookupTable(body.relation);
  const { stmt, script } = ctx;
  if (!t || !stmt || !script) return false;
  const named: string[] = [];
  for (const c of body.cols ?? []) named.push(nodeAs(c, 'ResTarget')?.name ?? '');
  ctx.data.push({
    table: t.key,
    kind: 'insert',
    file: script.source.file,
    columns: columnsGiven(t, named),
    startByte: stmt.startByte,
    endByte: stmt.endByte,
    location: stmt.location,
  });
  return true;
}

/** The columns the data gives: those named, else every column but the generated ones, in order. */
function columnsGiven(t: MTable, named: string[]): string[] {
  return named.length ? named : t.columns.filter((c) => !c.generated).map((c) => c.name);
}
