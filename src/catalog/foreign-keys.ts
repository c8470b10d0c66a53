/**
 * Foreign keys and the columns they reference. A `REFERENCES t` without a
 * column list references t's primary key: PostgreSQL looks the key up when
 * it creates the constraint (transformFkeyGetPrimaryKey) and stores its
 * columns in confkey, so the catalog fills `refColumns` then too, and every
 * reader of the catalog can take `refColumns` as the referenced columns. A
 * key whose referenced table has no primary key yet (PostgreSQL refuses it;
 * a schema read in another order may add the key later) takes the columns
 * when the table gets one, and at the latest when the catalog is built.
 */
import type { Constraint } from '../ingest/pg/ast.js';
import { namesOf } from '../ingest/pg/index.js';
import type { BuildContext } from './context.js';
import type { FkAction, ForeignKey, Location } from './model.js';
import type { MTable, Mutable } from './state.js';

const FK_ACTIONS: Record<string, FkAction> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

/** The foreign key a FOREIGN KEY / REFERENCES constraint declares; `defaultName` names it when the constraint does not. */
export function foreignKeyOf(ctx: BuildContext, con: Constraint, location: Location, defaultName: (columns: string[]) => string): Mutable<ForeignKey> {
  const columns = namesOf(con.fk_attrs);
  const refTable = ctx.keyOf(con.pktable!);
  const named = namesOf(con.pk_attrs);
  const refColumns = named.length ? named : [...(ctx.tables.get(refTable)?.primaryKey?.columns ?? [])];
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

/** `t` has a primary key now: the foreign keys that reference `t` without columns and still wait take its columns. */
export function resolveReferencesTo(ctx: BuildContext, t: MTable): void {
  const pk = t.primaryKey;
  if (!pk) return;
  for (const other of ctx.tables.values()) {
    for (const fk of other.foreignKeys) if (fk.refTable === t.key && !fk.refColumns.length) fk.refColumns = [...pk.columns];
  }
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
