/**
 * What PostgreSQL's rewriter refuses before any planner sees the query
 * (rewrite/rewriteHandler.c rewriteTargetListIU, rewriteValuesRTE): a value
 * other than DEFAULT for a GENERATED ALWAYS identity column (unless
 * OVERRIDING SYSTEM VALUE) or for a generated column, in INSERT and UPDATE.
 */
import type { Column, Table } from '../../catalog/model.js';
import type { InsertStmt, Node, UpdateStmt } from '../../ingest/pg/ast.js';
import { listItems, nodeAs, tagOf } from '../../ingest/pg/index.js';
import { CitusError } from './errors.js';

/** The column only takes DEFAULT: why, as PostgreSQL's DETAIL says it, and its HINT; undefined when it takes any value. */
function onlyDefault(c: Column | undefined, overridingSystemValue: boolean): { detail: string; hint?: string } | undefined {
  if (c?.identity?.kind === 'always' && !overridingSystemValue) return { detail: `Column "${c.name}" is an identity column defined as GENERATED ALWAYS.`, hint: 'Use OVERRIDING SYSTEM VALUE to override.' };
  if (c?.generated) return { detail: `Column "${c.name}" is a generated column.` };
  return undefined;
}

const isDefault = (n: Node | undefined) => tagOf(n) === 'SetToDefault';

export function checkInsertTargets(t: Table, body: InsertStmt): void {
  const written = (body.cols ?? []).map((c) => nodeAs(c, 'ResTarget')?.name ?? '');
  const names = written.length ? written : t.columns.map((c) => c.name);
  const select = nodeAs(body.selectStmt, 'SelectStmt');
  if (!select) return;
  const rows = select.valuesLists?.map((l) => listItems(l));
  // without VALUES every target gets the query's value; DEFAULT VALUES (no query) gets none
  const width = rows ? Math.max(0, ...rows.map((r) => r.length)) : (select.targetList?.length ?? 0);
  const override = body.override === 'OVERRIDING_SYSTEM_VALUE';
  for (const [i, name] of names.slice(0, width).entries()) {
    const why = onlyDefault(t.columns.find((c) => c.name === name), override);
    if (!why || (rows && rows.every((r) => isDefault(r[i])))) continue;
    throw new CitusError(`cannot insert a non-DEFAULT value into column "${name}"`, why.detail, why.hint);
  }
}

export function checkUpdateTargets(t: Table, body: UpdateStmt): void {
  for (const target of body.targetList ?? []) {
    const rt = nodeAs(target, 'ResTarget');
    const why = onlyDefault(
      t.columns.find((c) => c.name === rt?.name),
      false,
    );
    if (why && !isDefault(rt?.val)) throw new CitusError(`column "${rt?.name}" can only be updated to DEFAULT`, why.detail);
  }
}
