/**
 * Foreign keys between Citus tables (commands/foreign_constraint.c): the
 * matrix of citus-rules.md §6 in the order Citus checks it
 * (ErrorIfUnsupportedForeignConstraintExists), each side as Citus sees it,
 * and an FK as a CREATE TABLE or ALTER TABLE writes it.
 */
import type { FkAction, Table } from '../../catalog/model.js';
import type { Constraint } from '../../ingest/pg/ast.js';
import { namesOf } from '../../ingest/pg/index.js';
import { CitusError, FK } from './errors.js';
import type { CitusKind } from './model.js';
import type { ClusterState } from './state.js';

export interface FkFacts {
  readonly name: string;
  /** Referencing table key. */
  readonly table: string;
  readonly columns: readonly string[];
  readonly refTable: string;
  readonly refColumns: readonly string[];
  readonly onDelete: FkAction;
  readonly onUpdate: FkAction;
}

/** One side of an FK, as Citus sees it. */
export interface FkSide {
  readonly key: string;
  readonly kind: CitusKind;
  readonly column?: string;
  readonly colocationId?: number;
  readonly replicationFactor: number;
}

export interface FkContext {
  /** citus.enable_local_reference_table_foreign_keys and the coordinator in metadata. */
  readonly localReferenceFks: boolean;
  /** Referencing columns whose default is nextval(). */
  readonly nextvalColumns: ReadonlySet<string>;
}

/** A referential action that only checks (NO ACTION, RESTRICT): it changes no referencing row. */
export function isRestrictOrNoAction(a: FkAction): boolean {
  return a === 'no action' || a === 'restrict';
}

/**
 * The error Citus raises for `fk` when the referencing table is (or is being
 * made) a Citus table of kind `referencing.kind`; undefined when accepted.
 * A plain local referencing table is never checked by Citus.
 */
export function checkForeignKey(fk: FkFacts, referencing: FkSide, referenced: FkSide, ctx: FkContext): CitusError | undefined {
  if (referencing.kind === 'local') return undefined;
  const self = fk.table === fk.refTable;
  const ref = self ? referencing : referenced;
  if (!self && ref.kind === 'local') {
    if (referencing.kind === 'citus-local') return FK.e10(referenced.key);
    return FK.e1(referenced.key);
  }
  const setsNextvalDefault =
    (fk.onDelete === 'set default' || fk.onUpdate === 'set default') && fk.columns.some((c) => ctx.nextvalColumns.has(c));
  if (setsNextvalDefault) return FK.e8();
  const lref = (k: CitusKind) => k === 'citus-local' || k === 'reference';
  if (lref(referencing.kind) && lref(ref.kind)) {
    if (referencing.kind === 'reference' && ref.kind === 'citus-local') {
      if (!(isRestrictOrNoAction(fk.onDelete) && isRestrictOrNoAction(fk.onUpdate))) return FK.e7(ref.key);
    }
    return undefined;
  }
  if (lref(referencing.kind)) return FK.e4();
  if (ref.kind !== 'reference' && (!referencing.colocationId || referencing.colocationId !== ref.colocationId)) return FK.e2();
  const referencingIdx = referencing.column === undefined ? -1 : fk.columns.indexOf(referencing.column);
  const referencedIdx = ref.column === undefined ? -1 : fk.refColumns.indexOf(ref.column);
  if (referencingIdx !== -1) {
    if (fk.onDelete === 'set null' || fk.onDelete === 'set default') return FK.e5();
    if (fk.onUpdate === 'set null' || fk.onUpdate === 'set default' || fk.onUpdate === 'cascade') return FK.e6();
  }
  const onKey = referencingIdx !== -1 && referencingIdx === referencedIdx;
  if (!lref(ref.kind) && ref.kind !== 'single-shard' && !onKey) return FK.e3();
  if (referencing.replicationFactor > 1) return FK.e9();
  return undefined;
}

/** One side of an FK as the metadata has it. */
function fkSide(s: ClusterState, key: string): FkSide {
  const i = s.citus.get(key);
  const g = i?.colocationId ? s.groups.get(i.colocationId) : undefined;
  return { key, kind: i?.kind ?? 'local', column: i?.column, colocationId: i?.colocationId, replicationFactor: g?.replicationFactor ?? 1 };
}

/** Columns whose default is nextval() (ForeignKeySetsNextValColumnToDefault). */
function nextvalColumns(t: Table): Set<string> {
  return new Set(t.columns.filter((c) => c.defaultSequence || /nextval\(/i.test(c.default ?? '')).map((c) => c.name));
}

/** ErrorIfUnsupportedForeignConstraintExists for one FK, with both tables as the metadata has them now. */
export function ensureForeignKeySupported(s: ClusterState, fk: FkFacts): void {
  const t = s.builder.peekTable(fk.table);
  const err = checkForeignKey(fk, fkSide(s, fk.table), fkSide(s, fk.refTable), {
    localReferenceFks: s.localReferenceFks(),
    nextvalColumns: t ? nextvalColumns(t) : new Set(),
  });
  if (err) throw err;
}

const ACTIONS: Record<string, FkAction> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

/**
 * An FK as written in CREATE TABLE or ALTER TABLE ... ADD CONSTRAINT, from
 * `table` (`columns`) to `refTable`: without a column list it references the
 * referenced table's primary key.
 */
export function foreignKeyOf(s: ClusterState, con: Constraint, table: string, columns: string[], refTable: string): FkFacts {
  let refColumns = namesOf(con.pk_attrs);
  if (!refColumns.length) refColumns = s.builder.peekTable(refTable)?.primaryKey?.columns ?? [];
  return { name: con.conname ?? '', table, columns, refTable, refColumns, onDelete: ACTIONS[con.fk_del_action ?? 'a'], onUpdate: ACTIONS[con.fk_upd_action ?? 'a'] };
}
