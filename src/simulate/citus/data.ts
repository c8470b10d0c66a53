/** What the schema's own data (COPY blocks, INSERTs) puts in each table, for the simulator. */
import type { Catalog } from '../../catalog/model.js';
import { parseCopyText } from '../../ingest/copy.js';
import type { Script } from '../../ingest/pg/index.js';
import type { TableData } from './model.js';

/** Rows per table and, per column, the first row holding NULL, from the data the schema scripts carry. */
export function tableDataFromSchema(catalog: Catalog, scripts: readonly Script[]): Record<string, TableData> {
  const out: Record<string, { rows: number; firstNull: Record<string, number> }> = {};
  for (const ds of catalog.data) {
    const script = scripts.find((s) => s.source.file === ds.file);
    const table = catalog.tables[ds.table];
    if (!script || !table) continue;
    let rows: Array<Array<string | null>> = [];
    if (ds.kind === 'copy') {
      rows = parseCopyText(script.source.bytes.subarray(ds.startByte, ds.endByte));
    } else {
      const stmt = script.statements.find((s) => s.startByte === ds.startByte);
      const lists: any[] = (stmt?.node as any)?.InsertStmt?.selectStmt?.SelectStmt?.valuesLists ?? [];
      rows = lists.map((l) => (l.List?.items ?? []).map((v: any) => (isNull(v) ? null : 'x')));
    }
    const d = (out[ds.table] ??= { rows: 0, firstNull: {} });
    for (const c of table.columns) {
      const idx = ds.columns.indexOf(c.name);
      let first = -1;
      if (idx === -1) first = c.default || c.identity || c.generated || !rows.length ? -1 : 0;
      else first = rows.findIndex((r) => r[idx] === null);
      if (first !== -1 && d.firstNull[c.name] === undefined) d.firstNull[c.name] = d.rows + first;
    }
    d.rows += rows.length;
  }
  return out;
}

function isNull(v: any): boolean {
  while (v?.TypeCast) v = v.TypeCast.arg;
  return !!v?.A_Const?.isnull;
}
