/**
 * What the model knows of a table's rows (how many, and per column the first
 * row holding NULL), from the data the schema scripts carry (COPY blocks,
 * INSERTs) and as rows are added.
 */
import type { Catalog, Column } from '../../catalog/model.js';
import { parseCopyText } from '../../ingest/copy.js';
import type { InsertStmt, Node } from '../../ingest/pg/ast.js';
import { listItems, nodeAs, stripCasts, type Script } from '../../ingest/pg/index.js';
import type { TableData } from './model.js';
import type { RowFacts } from './state.js';

/** A row as the model keeps it: per column, NULL or some value. */
export type Row = Array<string | null>;

/** Rows per table and, per column, the first row holding NULL, from the data the schema scripts carry. */
export function tableDataFromSchema(catalog: Catalog, scripts: readonly Script[]): Record<string, TableData> {
  const out: Record<string, RowFacts> = {};
  for (const ds of catalog.data) {
    const script = scripts.find((s) => s.source.file === ds.file);
    const table = catalog.tables[ds.table];
    if (!script || !table) continue;
    let rows: Row[] = [];
    if (ds.kind === 'copy') {
      // data a large file's text leaves out is not held: its rows are not known here
      const bytes = script.source.held(ds.startByte, ds.endByte);
      rows = bytes ? parseCopyText(bytes) : [];
    } else {
      const stmt = script.statements.find((s) => s.startByte === ds.startByte);
      rows = valuesRows(nodeAs(stmt?.node, 'InsertStmt')) ?? [];
    }
    appendRows((out[ds.table] ??= { rows: 0, firstNull: {} }), table.columns, ds.columns, rows);
  }
  return out;
}

/** The rows of INSERT ... VALUES; undefined for INSERT ... SELECT or DEFAULT VALUES. */
export function valuesRows(insert: InsertStmt | undefined): Row[] | undefined {
  const lists = nodeAs(insert?.selectStmt, 'SelectStmt')?.valuesLists;
  return lists?.map((l) => listItems(l).map((v) => (isNullConst(v) ? null : 'x')));
}

/** Rows added to a table with values for the columns `given`: the others take their default, or NULL. */
export function appendRows(d: RowFacts, columns: readonly Column[], given: readonly string[], rows: readonly Row[]): void {
  for (const c of columns) {
    const idx = given.indexOf(c.name);
    let first = -1;
    if (idx === -1) first = c.default || c.identity || c.generated || !rows.length ? -1 : 0;
    else first = rows.findIndex((r) => r[idx] === null);
    if (first !== -1 && d.firstNull[c.name] === undefined) d.firstNull[c.name] = d.rows + first;
  }
  d.rows += rows.length;
}

function isNullConst(n: Node): boolean {
  return !!nodeAs(stripCasts(n), 'A_Const')?.isnull;
}
