/**
 * Foreign keys. A `REFERENCES t` without a column list references t's
 * primary key: `refColumns` takes its columns when the catalog is built.
 */
import type { Constraint } from '../ingest/pg/ast.js';
import { namesOf } from '../ingest/pg/index.js';
import type { BuildContext } from './context.js';
import type { FkAction, ForeignKey, Location } from './model.js';
import type { Mutable } from './state.js';

const FK_ACTIONS: Record<string, FkAction> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

/** The foreign key a FOREIGN KEY / REFERENCES constraint declares; `defaultName` names it when the constraint does not. */
export function foreignKeyOf(ctx: BuildContext, con: Constraint, location: Location, defaultName: (columns: string[]) => string): Mutable<ForeignKey> {
  const columns = namesOf(con.fk_attrs);
  const refTable = ctx.keyOf(con.pktable!);
  const refColumns = namesOf(con.pk_attrs);
  return {
    name: con.conname ?? defaultName(columns),
    columns,
    refTable,
    refColumns,
    onDelete: FK_ACTIONS[con.fk_del_action ?? 'a'] ?? 'no action',
    onUpdate: FK_ACTIONS[con.fk_upd_action ?? 'a'] ?? 'no action',
    match: con.fk_matchtype === 'f' ? 'full' : con.fk_matchtype === 'p' ? 'partial' : 'simple',
    deferrable: !!con.deferrable,
    initiallyDeferred: !!con.initdeferred,
    notValid: !!con.skip_validation,
    location,
  };
}

/** When the catalog is built: every foreign key references a table the schema defines, and names its columns. */
export function checkReferences(ctx: BuildContext): void {
  for (const t of ctx.tables.values()) {
    for (const fk of t.foreignKeys) {
      const ref = ctx.tables.get(fk.refTable);
      if (!ref) {
        ctx.diagnostics.push({
          code: 'unknown-object',
          severity: 'warning',
          message: `foreign key ${fk.name} on ${t.key} references "${fk.refTable}", which the schema does not define`,
          location: fk.location,
        });
        continue;
      }
      if (!fk.refColumns.length && ref.primaryKey) fk.refColumns = [...ref.primaryKey.columns];
    }
  }
}
