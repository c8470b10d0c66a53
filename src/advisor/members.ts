/**
 * One key class's colocation group: which tables are members and on which
 * column, and which reach a member through foreign keys and get the key
 * backfilled along that path.
 */
import { partitionRoot } from '../catalog/index.js';
import type { Catalog, ForeignKey, Table } from '../catalog/model.js';
import type { Backfill } from '../design/model.js';
import type { Assignment } from './choice.js';
import { distributable, fksOf, type SearchContext } from './context.js';
import type { KeyClass } from './graph.js';

/** The column a member table uses for the class: best-scored of its class columns. */
function memberColumn(ctx: SearchContext, table: string, cols: string[]): string | undefined {
  const cands = ctx.candidates.get(table) ?? [];
  const usable = cols.filter((c) => !cands.find((x) => x.column === c)?.excluded);
  if (!usable.length) return undefined;
  const t = ctx.catalog.tables[table];
  return usable.sort((a, b) => {
    const sa = cands.find((x) => x.column === a)?.score ?? 0;
    const sb = cands.find((x) => x.column === b)?.score ?? 0;
    const pa = t.primaryKey?.columns.indexOf(a) ?? -1;
    const pb = t.primaryKey?.columns.indexOf(b) ?? -1;
    return sb - sa || (pa === -1 ? 99 : pa) - (pb === -1 ? 99 : pb) || (a < b ? -1 : 1);
  })[0];
}

/** Membership backed by a declared FK, a workload join or filter, or the column being part of a key. */
function strongMember(ctx: SearchContext, table: string, column: string): boolean {
  const t = ctx.catalog.tables[table];
  const u = ctx.usage.get(`${table}.${column}`);
  if (u && (u.filter > 0 || u.join > 0 || u.group > 0)) return true;
  if (t.primaryKey?.columns.includes(column)) return true;
  if (t.uniques.some((u) => u.columns.includes(column))) return true;
  return (ctx.edgesAt.get(table) ?? []).some(
    (e) => e.kind !== 'inferred' && ((e.a.table === table && e.a.column === column) || (e.b.table === table && e.b.column === column)),
  );
}

export function typeOf(catalog: Catalog, table: string, column: string): string {
  return catalog.tables[table]?.columns.find((c) => c.name === column)?.type.base ?? 'unknown';
}

/** Members of a class among the given tables, with the column each would use. */
function classMembers(ctx: SearchContext, cls: KeyClass, among: Set<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [table, cols] of Object.entries(cls.members)) {
    if (!among.has(table)) continue;
    const t = ctx.catalog.tables[table];
    if (!t || distributable(t)) continue;
    const col = memberColumn(ctx, table, cols);
    if (col) out.set(table, col);
  }
  return out;
}

/**
 * Assign one class's group over `among`: members distributed on their class
 * column, tables that reach a member by declared FKs backfilled, the rest
 * left for later.
 */
export function assignClass(ctx: SearchContext, cls: KeyClass, among: Set<string>, assign: Assignment): void {
  const members = classMembers(ctx, cls, among);
  const weakKeptLocal = new Map<string, string>();
  // Weak members (linked by naming only) whose primary or unique keys lack the key stay out:
  // distributing them would weaken those keys for no join or filter that needs it.
  for (const [table, col] of [...members]) {
    const t = ctx.catalog.tables[table];
    const keyed = !!t.primaryKey || t.uniques.length > 0;
    if (!strongMember(ctx, table, col) && keyed && members.size > 1) {
      members.delete(table);
      weakKeptLocal.set(table, col);
      assign.set(table, {
        kind: 'local',
        reasons: [
          `kept local: it has ${col} but no foreign key or query joins it with the other ${cls.id.split('.').pop()} tables, and its keys (${t.primaryKey ? t.primaryKey.columns.join(', ') : 'none'}) do not include ${col}, so distributing it would weaken their uniqueness`,
        ],
      });
    }
  }
  if (members.size === 0) return;
  for (const [table, col] of members) {
    const group = `${cls.id}|${typeOf(ctx.catalog, table, col)}`;
    assign.set(table, { kind: 'distributed', column: col, group, reasons: [] });
  }
  // Backfill: tables among `among` that reach a member through declared FKs.
  for (const table of [...among].sort()) {
    if (assign.has(table)) continue;
    const t = ctx.catalog.tables[table];
    if (distributable(t)) continue;
    const path = fkPathToMember(ctx, table, members);
    if (!path) continue;
    const last = path[path.length - 1];
    const keyCol = members.get(last.refTable)!;
    if (t.columns.some((c) => c.name === keyCol)) continue; // a same-named column that is not the key: leave it
    const group = `${cls.id}|${typeOf(ctx.catalog, last.refTable, keyCol)}`;
    assign.set(table, {
      kind: 'distributed',
      column: keyCol,
      group,
      backfill: { from: path[0].refTable, join: path[0].columns, path },
      reasons: [],
    });
  }
  // A weak member kept local that has a foreign key to a table of the group: left local, that
  // key would point from a local table at a distributed one, which Citus refuses. It joins the group.
  for (const [table, col] of weakKeptLocal) {
    const group = `${cls.id}|${typeOf(ctx.catalog, table, col)}`;
    const target = fksOf(ctx, ctx.catalog.tables[table]).find((fk) => {
      const ref = partitionRoot(ctx.catalog, fk.refTable);
      const c = assign.get(ref);
      return ref !== table && c?.kind === 'distributed' && c.group === group;
    });
    if (!target) continue;
    assign.set(table, {
      kind: 'distributed',
      column: col,
      group,
      reasons: [`distributed on ${col} with its group: its foreign key ${target.name} points at a table of the group, and a local table cannot keep a foreign key to a distributed one`],
    });
  }
}

/** Shortest path of declared FKs from `table` to a member (at most 3 hops); NOT NULL FK columns first. */
function fkPathToMember(ctx: SearchContext, table: string, members: Map<string, string>): Backfill['path'] | undefined {
  type Hop = { table: string; columns: string[]; refTable: string; refColumns: string[] };
  const queue: Array<{ at: string; path: Hop[] }> = [{ at: table, path: [] }];
  const seen = new Set([table]);
  while (queue.length) {
    const { at, path } = queue.shift()!;
    if (path.length >= 3) continue;
    const t = ctx.catalog.tables[at];
    if (!t) continue;
    for (const fk of backfillOrder(ctx, t)) {
      const ref = partitionRoot(ctx.catalog, fk.refTable);
      if (seen.has(ref) || !fk.refColumns.length) continue;
      const hop = { table: at, columns: fk.columns, refTable: ref, refColumns: fk.refColumns };
      if (members.has(ref)) return [...path, hop];
      seen.add(ref);
      queue.push({ at: ref, path: [...path, hop] });
    }
  }
  return undefined;
}

/** A table's foreign keys in the order backfill paths try them: NOT NULL columns first, then by name. */
function backfillOrder(ctx: SearchContext, t: Table): ForeignKey[] {
  let fks = ctx.backfillFks.get(t.key);
  if (!fks) {
    fks = [...fksOf(ctx, t)].sort((a, b) => {
      const na = a.columns.every((c) => t.columns.find((x) => x.name === c)?.notNull) ? 0 : 1;
      const nb = b.columns.every((c) => t.columns.find((x) => x.name === c)?.notNull) ? 0 : 1;
      return na - nb || (a.name < b.name ? -1 : 1);
    });
    ctx.backfillFks.set(t.key, fks);
  }
  return fks;
}

/** Linked to any distributed table: by FK either way, a join, or an inferred reference. */
