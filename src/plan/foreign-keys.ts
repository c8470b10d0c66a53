/**
 * The foreign keys that touch a table changing kind: whether Citus can
 * enforce each under the design and in which form, which stay in place while
 * the tables change kind and which are out of the way meanwhile (citus-rules.md §6).
 */
import { chooseName, columnsPart } from '../catalog/naming.js';
import type { ForeignKey, Table } from '../catalog/model.js';
import type { TableKind } from '../design/model.js';
import { displayName, splitKey } from '../ingest/pg/index.js';
import type { PlanContext } from './context.js';
import { addForeignKey, type FkShape } from './sql.js';

/** Can Citus enforce an FK under the design, and in which shape; or why not. */
export type FkVerdict =
  | {
      readonly ok: true;
      /** The table it is re-added on (a partition's FK moves to its partitioned parent). */
      readonly on: string;
      readonly shape: FkShape;
      /** What differs from the original, one sentence each; empty when it comes back as it was. */
      readonly changes: string[];
      /** False for the other partitions' FKs merged into one on the parent: only the primary one is re-added. */
      readonly primary: boolean;
    }
  | { readonly ok: false; readonly reason: string };

export interface FkPlan {
  readonly table: string;
  readonly fk: ForeignKey;
  readonly verdict: FkVerdict;
  /** It stays in place: Citus accepts it as it is at each step where one of its tables changes kind. */
  keep: boolean;
  /** Dropped before the reference tables are made (it touches one and does not stay). */
  early: boolean;
}

/**
 * Every FK that touches a table changing kind, with its verdict. A
 * partition's own FKs (not cloned from its parent) are merged by shape into
 * one on the partitioned parent, where Citus takes it like any FK of a
 * distributed table (a partition's own FK it does not).
 */
export function planForeignKeys(ctx: PlanContext): FkPlan[] {
  const out: FkPlan[] = [];
  const partitionGroups = new Map<string, Array<{ table: Table; fk: ForeignKey; at: number }>>();
  for (const t of Object.values(ctx.catalog.tables).sort((a, b) => (a.key < b.key ? -1 : 1))) {
    const parentFks = t.partitionOf ? new Set(ctx.catalog.tables[t.partitionOf.parent]?.foreignKeys.map((f) => f.name) ?? []) : new Set<string>();
    for (const fk of t.foreignKeys) {
      if (parentFks.has(fk.name)) continue; // cloned from the partitioned parent
      if (!ctx.changes(t.key) && !ctx.changes(fk.refTable)) continue;
      if (t.partitionOf && ctx.kind(t.key) !== 'local' && ctx.catalog.tables[t.partitionOf.parent]) {
        const refColumns = ctx.refColumns(fk);
        const sig = JSON.stringify([t.partitionOf.parent, fk.columns, fk.refTable, refColumns, fk.onDelete, fk.onUpdate, fk.match, fk.deferrable, fk.initiallyDeferred]);
        partitionGroups.set(sig, [...(partitionGroups.get(sig) ?? []), { table: t, fk, at: out.length }]);
        out.push({ table: t.key, fk, verdict: { ok: false, reason: '' }, keep: false, early: false });
        continue;
      }
      const v = fkVerdict(ctx, t, fk);
      out.push({ table: t.key, fk, verdict: v.ok ? { ok: true, on: t.key, shape: v.shape, changes: v.changes, primary: true } : v, keep: false, early: false });
    }
  }
  const taken = new Set<string>();
  for (const t of Object.values(ctx.catalog.tables)) {
    for (const n of [t.primaryKey?.name, ...t.uniques.filter((u) => u.source === 'constraint').map((u) => u.name), ...t.checks.map((c) => c.name), ...t.exclusions.map((x) => x.name), ...t.foreignKeys.map((f) => f.name)]) {
      if (n) taken.add(`${t.schema}\u0000${n}`);
    }
  }
  for (const members of partitionGroups.values()) {
    const first = members[0];
    const parent = ctx.table(first.table.partitionOf!.parent);
    const alone = `it is defined on the partition alone, and Citus does not take a partition's own foreign key`;
    let verdict: FkVerdict;
    if (members.some((m) => m.fk.notValid)) {
      verdict = { ok: false, reason: `${alone}; it is NOT VALID, which a foreign key on the partitioned ${displayName(parent.key)} cannot be` };
    } else {
      const schemaTaken = new Set([...taken].filter((x) => x.startsWith(`${parent.schema}\u0000`)).map((x) => x.slice(parent.schema.length + 1)));
      const name = chooseName(parent.name, columnsPart([...first.fk.columns]), 'fkey', (n) => schemaTaken.has(n));
      taken.add(`${parent.schema}\u0000${name}`);
      const v = fkVerdict(ctx, parent, { ...first.fk, name, notValid: false });
      if (!v.ok) {
        verdict = { ok: false, reason: `${alone}, and on the partitioned ${displayName(parent.key)} Citus refuses it too: ${v.reason}` };
      } else {
        const partitions = Object.values(ctx.catalog.tables)
          .filter((p) => p.partitionOf?.parent === parent.key)
          .map((p) => p.key)
          .sort();
        const missing = partitions.filter((p) => !members.some((m) => m.table.key === p));
        verdict = {
          ok: true,
          on: parent.key,
          shape: v.shape,
          changes: [
            `defined once on ${displayName(parent.key)} as ${name} instead of on each partition (${members.map((m) => `${m.fk.name} on ${displayName(m.table.key)}`).join(', ')}): PostgreSQL puts it on every partition${missing.length ? `, now also on ${missing.map(displayName).join(', ')}, which did not have it (their rows are checked when it is added)` : ''}, and on partitions attached later`,
            ...v.changes,
          ],
          primary: true,
        };
      }
    }
    members.forEach((m, i) => {
      out[m.at] = { table: m.table.key, fk: m.fk, verdict: verdict.ok ? { ...verdict, primary: i === 0 } : verdict, keep: false, early: false };
    });
  }
  return out;
}

/**
 * Which FKs stay in place, and which must be gone before the reference
 * tables are made. An FK stays when Citus takes it as it is at every step:
 * one to a reference table made before its own table changes kind (Citus
 * checks it when that table is distributed: distributed -> reference is
 * fine, §6) unless that table is distributed concurrently (it first becomes
 * a citus local table, which Citus refuses for a table with FKs to others,
 * §1, §2.2), or a table's FK to itself. Everything else is out of the way
 * while the tables change kind; those touching a reference table go before
 * create_reference_table, which would otherwise check them, or, for a plain
 * table, turn it and every table FK-linked to it into citus local tables.
 */
export function decideKept(ctx: PlanContext, fks: FkPlan[]): void {
  for (const p of fks) {
    const v = p.verdict;
    const plain = v.ok && !v.changes.length && v.on === p.table && !ctx.table(p.table).partitionOf;
    if (plain && ctx.kind(p.table) !== 'local') {
      if (p.table === p.fk.refTable) p.keep = true;
      else if (ctx.kind(p.fk.refTable) === 'reference' && ctx.createdAt(p.fk.refTable)! < ctx.createdAt(p.table)! && !ctx.isConcurrent(p.table)) p.keep = true;
    }
    p.early = !p.keep && (ctx.kind(p.table) === 'reference' || ctx.kind(p.fk.refTable) === 'reference');
  }
}

/** Why an FK is out of the way while the tables change kind. */
export function dropWhy(ctx: PlanContext, p: FkPlan): string {
  const t = displayName(p.table);
  const r = displayName(p.fk.refTable);
  const v = p.verdict;
  if (!v.ok) return 'Citus cannot enforce it under this design: it is dropped for good (see the restore phase)';
  if (v.on !== p.table) return `it is defined on the partition ${t} alone; it comes back once, on ${displayName(v.on)} (see the restore phase)`;
  if (v.changes.length) return 'Citus takes it only in another form: it comes back rewritten (see the restore phase)';
  const from = ctx.createdAt(p.table);
  const to = ctx.createdAt(p.fk.refTable);
  if (p.table !== p.fk.refTable && ctx.isConcurrent(p.table)) {
    return `create_distributed_table_concurrently first makes ${t} a citus local table, which Citus refuses while ${t} has a foreign key to another table ("relation ... is involved in a foreign key relationship with another table"); it comes back after distribution`;
  }
  if (from === undefined) {
    return `it comes back after distribution, when Citus makes ${t} a citus local table for it; left in place, create_reference_table(${r}) would already turn ${t}, and every table FK-linked to it, into citus local tables`;
  }
  if (to === undefined || to > from) {
    return `${t} becomes a Citus table before ${r} does, and Citus refuses a Citus table that references a plain one ("referenced table ... must be a distributed table or a reference table"); it comes back after distribution`;
  }
  return `between the distribution of ${r} and of ${t}, a plain table would reference a distributed one, which Citus accepts but does not enforce on deletes and create_distributed_table_concurrently refuses; it comes back once both are distributed`;
}

/** Can Citus enforce this FK under the design? With the shape to re-add it in, and what that changes. */
function fkVerdict(ctx: PlanContext, t: Table, fk: ForeignKey): { ok: true; shape: FkShape; changes: string[] } | { ok: false; reason: string } {
  const from = ctx.kind(t.key);
  const to = ctx.kind(fk.refTable);
  const refColumns = ctx.refColumns(fk);
  const base: FkShape = { ...fk, refColumns };
  const same = { ok: true as const, shape: base, changes: [] as string[] };
  const setDefaultOnSeq =
    (fk.onDelete === 'set default' || fk.onUpdate === 'set default') && fk.columns.some((c) => t.columns.find((x) => x.name === c)?.defaultSequence || /nextval\(/i.test(t.columns.find((x) => x.name === c)?.default ?? ''));
  if (setDefaultOnSeq) return { ok: false, reason: 'cannot create foreign key constraint since Citus does not support ON DELETE / UPDATE SET DEFAULT actions on the columns that default to sequences' };
  const E4 = 'cannot create foreign key constraint since foreign keys from reference tables and local tables to distributed tables are not supported';
  const E1 = `referenced table "${splitKey(fk.refTable).name}" must be a distributed table or a reference table`;
  const E2 = 'cannot create foreign key constraint since relations are not colocated or not referencing a reference table';
  const E3 = 'cannot create foreign key constraint: Foreign keys are supported in two cases, either in between two colocated tables including partition column in the same ordinal in the both tables or from distributed to reference tables';
  const isDist = (k: TableKind) => k === 'distributed' || k === 'single-shard';
  if (t.partitionOf && from !== 'local') {
    return {
      ok: false,
      reason:
        to === 'reference'
          ? `cannot build foreign key between reference table and a partition (HINT: Try using parent table: ${splitKey(t.partitionOf.parent).name})`
          : `it is defined on the partition alone; define it on ${displayName(t.partitionOf.parent)} to have it on every partition`,
    };
  }
  if (from === 'local') {
    if (to === 'reference') return same;
    return {
      ok: false,
      reason: `a plain table referencing a distributed table is accepted but not enforced on deletes, and create_distributed_table_concurrently refuses it; keep ${displayName(t.key)} ${displayName(fk.refTable)}-free or distribute it too`,
    };
  }
  if (from === 'reference') {
    if (to === 'reference') return same;
    if (isDist(to)) return { ok: false, reason: E4 };
    return { ok: false, reason: `a reference table referencing a local table turns that table into a citus local table; make ${displayName(fk.refTable)} a reference table to keep this foreign key` };
  }
  // distributed or single-shard referencing table
  if (to === 'local') return { ok: false, reason: E1 };
  if (from === 'single-shard') return to === 'reference' || to === 'single-shard' ? same : { ok: false, reason: E2 };
  const key = ctx.distColumn(t.key)!;
  if (to === 'reference') return fkActions(ctx, base, key, [], false);
  if (to === 'single-shard' || !ctx.colocated(t.key, fk.refTable)) return { ok: false, reason: E2 };
  const refKey = ctx.distColumn(fk.refTable)!;
  const at = fk.columns.indexOf(key);
  if (at !== -1) {
    if (refColumns[at] !== refKey) return { ok: false, reason: E3 };
    return fkActions(ctx, base, key, [], false);
  }
  if (refColumns.includes(refKey)) return { ok: false, reason: E3 };
  // a key the migration fills from another parent may differ from the referenced row's: the FK would fail on those rows
  const fill = ctx.design.tables[t.key]?.backfill;
  if (fill && !(fill.from === fk.refTable && sameSet(fill.join, fk.columns))) {
    return {
      ok: false,
      reason: `${key} of ${displayName(t.key)} is filled from ${displayName(fill.from)} (${fill.join.join(', ')}), not through this foreign key: a row's ${key} may differ from that of the ${displayName(fk.refTable)} row it references, and Citus would refuse the foreign key with ${key} added to it on those rows`,
    };
  }
  const shape = { ...base, columns: [key, ...fk.columns], refColumns: [refKey, ...refColumns] };
  return fkActions(ctx, 
    shape,
    key,
    [
      `it now includes the distribution column: (${shape.columns.join(', ')}) -> ${displayName(fk.refTable)} (${shape.refColumns.join(', ')}), because Citus only enforces foreign keys between distributed tables on it, and the key it references includes it now`,
    ],
    true,
  );
}

/**
 * The ON DELETE / ON UPDATE actions Citus refuses once the FK includes the
 * referencing table's distribution column (E5, E6). ON UPDATE CASCADE / SET
 * NULL / SET DEFAULT become NO ACTION when no referenced column can change
 * anyway: a distribution column (Citus never lets one change) or a key drawn
 * from a sequence. ON DELETE SET NULL / SET DEFAULT have no such rewrite.
 */
function fkActions(ctx: PlanContext, shape: FkShape, key: string, changes: string[], keyAdded: boolean): { ok: true; shape: FkShape; changes: string[] } | { ok: false; reason: string } {
  if (!shape.columns.includes(key)) return { ok: true, shape, changes };
  const prefix = keyAdded ? `with ${key} added to it, ` : '';
  if (shape.onDelete === 'set null' || shape.onDelete === 'set default') {
    return { ok: false, reason: `${prefix}cannot create foreign key constraint: SET NULL or SET DEFAULT is not supported in ON DELETE operation when distribution key is included in the foreign key constraint` };
  }
  if (shape.onUpdate === 'set null' || shape.onUpdate === 'set default' || shape.onUpdate === 'cascade') {
    const E6 = 'cannot create foreign key constraint: SET NULL, SET DEFAULT or CASCADE is not supported in ON UPDATE operation when distribution key included in the foreign constraint.';
    const action = shape.onUpdate.toUpperCase();
    const fixed: string[] = [];
    for (const c of shape.refColumns) {
      const ref = ctx.catalog.tables[shape.refTable];
      const col = ref?.columns.find((x) => x.name === c);
      if (ctx.distColumn(shape.refTable) === c) fixed.push(`${c} is the distribution column of ${displayName(shape.refTable)}, which Citus never lets change`);
      else if (col && (col.identity || col.serial || col.defaultSequence || /nextval\(/i.test(col.default ?? ''))) fixed.push(`${c} is a key drawn from a sequence`);
      else return { ok: false, reason: `${prefix}${E6} It cannot become ON UPDATE NO ACTION without changing what an update does: ${displayName(shape.refTable)}.${c} is neither a distribution column nor drawn from a sequence, so it may be updated.` };
    }
    const verb = shape.onUpdate === 'cascade' ? 'cascade' : shape.onUpdate === 'set null' ? 'set to NULL' : 'set to its default';
    return {
      ok: true,
      shape: { ...shape, onUpdate: 'no action' },
      changes: [
        ...changes,
        `ON UPDATE ${action} became NO ACTION, because Citus refuses ${action} on update once the foreign key includes the distribution column ${key}; ${fixed.join(', and ')}, so no update had anything to ${verb}: one that did change a referenced key would now fail instead`,
      ],
    };
  }
  return { ok: true, shape, changes };
}

/** The FK as it was before the migration. */
export function originalFk(ctx: PlanContext, p: FkPlan): string {
  return addForeignKey(p.table, { ...p.fk, refColumns: ctx.refColumns(p.fk) });
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
