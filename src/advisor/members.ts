/**
 * One key class's colocation group: which tables are members and on which
 * column, and which reach a member through foreign keys and get the key
 * backfilled along that path.
 */
import { partitionRoot } from '../catalog/index.js';
import type { Catalog, ForeignKey, Table } from '../catalog/model.js';
import type { Backfill } from '../design/model.js';
import type { Assignment } from './choice.js';
import { distributable, fksOf, optionalKey, type SearchContext } from './context.js';
import { holdsCredentials, isNotNull, isOwnershipLink, keyName, leadsAnIndex } from './keys.js';
import type { KeyClass } from './graph.js';

/** The column a member table uses for the class: the key's own name first, then NOT NULL, then the best-scored. */
function memberColumn(ctx: SearchContext, cls: KeyClass, table: string, cols: string[]): string | undefined {
  const cands = ctx.candidates.get(table) ?? [];
  const t = ctx.catalog.tables[table];
  const usable = cols.filter((c) => !cands.find((x) => x.column === c)?.excluded && !optionalLink(ctx, cls, t, c));
  if (!usable.length) return undefined;
  const canonical = canonicalName(ctx, cls);
  const rank = (c: string) => (keyName(c) === canonical ? 2 : 0) + (isNotNull(t, c) ? 1 : 0);
  return usable.sort((a, b) => {
    const sa = cands.find((x) => x.column === a)?.score ?? 0;
    const sb = cands.find((x) => x.column === b)?.score ?? 0;
    const pa = t.primaryKey?.columns.indexOf(a) ?? -1;
    const pb = t.primaryKey?.columns.indexOf(b) ?? -1;
    return rank(b) - rank(a) || sb - sa || (pa === -1 ? 99 : pa) - (pb === -1 ? 99 : pb) || (a < b ? -1 : 1);
  })[0];
}

/**
 * The name most of a class's columns share, single-column primary keys left
 * out (`project_id` for the class of `projects.id`): the key's own name, in
 * comparable form.
 */
export function canonicalName(ctx: SearchContext, cls: KeyClass): string {
  let name = ctx.classNames.get(cls.id);
  if (name !== undefined) return name;
  const counts = new Map<string, number>();
  for (const [table, cols] of Object.entries(cls.members)) {
    const pk = ctx.catalog.tables[table]?.primaryKey?.columns;
    for (const c of cols) {
      if (pk?.length === 1 && pk[0] === c) continue;
      counts.set(keyName(c), (counts.get(keyName(c)) ?? 0) + 1);
    }
  }
  name = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? '';
  ctx.classNames.set(cls.id, name);
  return name;
}

/**
 * The table has the class's key, not as its own primary key: under the key's
 * own name (`project_id`), or under another by a foreign key that keeps it
 * from NULL (`target_project_id bigint NOT NULL REFERENCES projects`): an
 * ownership link, whatever its name.
 */
export function carriesKey(ctx: SearchContext, cls: KeyClass, table: string): boolean {
  const t = ctx.catalog.tables[table];
  const pk = t?.primaryKey?.columns;
  const name = canonicalName(ctx, cls);
  return (cls.members[table] ?? []).some((c) => {
    if (pk?.length === 1 && pk[0] === c) return false;
    if (keyName(c) === name) return true;
    return !!t && isNotNull(t, c) && fksOf(ctx, t).some((fk) => fk.columns.length === 1 && fk.columns[0] === c && isOwnershipLink(t, fk));
  });
}

/**
 * An optional link: a nullable column named other than the key
 * (`file_template_project_id`, `management_project_id` in a class keyed by
 * `project_id`), or one a CHECK leaves NULL by design, whatever its name
 * (`num_nonnulls(group_id, project_id) = 1`: the row belongs to a group or a
 * project). It points at a row of the key's table when it is set, but the
 * row does not belong there: never a table's distribution column.
 */
function optionalLink(ctx: SearchContext, cls: KeyClass, t: Table, column: string): boolean {
  if (t.primaryKey?.columns.length === 1 && t.primaryKey.columns[0] === column) return false;
  if (isNotNull(t, column)) return false;
  if (optionalKey(ctx, t, column)) return true;
  // ON DELETE SET NULL: the row outlives its parent, so it does not belong to it.
  if (fksOf(ctx, t).some((fk) => fk.onDelete === 'set null' && fk.columns.includes(column))) return true;
  return keyName(column) !== canonicalName(ctx, cls);
}

/**
 * Membership backed by evidence: a declared FK, a workload join, filter or
 * group, the column in a key of the table, or, without any of those (keys the
 * application enforces, not the schema), the column NOT NULL or leading an
 * index while named as the key.
 */
function strongMember(ctx: SearchContext, cls: KeyClass, table: string, column: string): boolean {
  const t = ctx.catalog.tables[table];
  const u = ctx.usage.get(`${table}.${column}`);
  if (u && (u.filter > 0 || u.join > 0 || u.group > 0)) return true;
  if (t.primaryKey?.columns.includes(column)) return true;
  if (t.uniques.some((u) => u.columns.includes(column))) return true;
  const declared = (ctx.edgesAt.get(table) ?? []).some(
    (e) => e.kind !== 'inferred' && ((e.a.table === table && e.a.column === column) || (e.b.table === table && e.b.column === column)),
  );
  if (declared) return true;
  if (keyName(column) !== canonicalName(ctx, cls)) return false;
  // A table that holds credentials is read at login, before the application knows the tenant.
  if (holdsCredentials(t)) return false;
  return isNotNull(t, column) || leadsAnIndex(t, column);
}

/**
 * Whether a column may be a table's distribution column: not an optional link
 * of its key class; outside any class, kept from NULL (a nullable column of
 * its own is no key to spread a table on).
 */
export function usableKey(ctx: SearchContext, table: string, column: string): boolean {
  const t = ctx.catalog.tables[table];
  if (!t) return false;
  const id = ctx.graph.classOf[`${table}.${column}`];
  const cls = id === undefined ? undefined : ctx.classById.get(id);
  return cls ? !optionalLink(ctx, cls, t, column) : isNotNull(t, column);
}

export function typeOf(catalog: Catalog, table: string, column: string): string {
  return catalog.tables[table]?.columns.find((c) => c.name === column)?.type.base ?? 'unknown';
}

const INTEGERS = new Set(['int2', 'int4', 'int8']);

/**
 * The colocation group of a class column: one per class and type family, so
 * that `integer` and `bigint` spellings of one key are one group (the
 * migration widens the narrower columns to bigint), unless one of the
 * class's narrower columns cannot simply change type: then one group per type.
 */
export function groupId(ctx: SearchContext, classId: string, table: string, column: string): string {
  const type = typeOf(ctx.catalog, table, column);
  const cls = ctx.classById.get(classId);
  return `${classId}|${INTEGERS.has(type) && cls && widenable(ctx, cls) ? 'int8' : type}`;
}

/**
 * Whether every int/smallint column of a class can become bigint with a plain
 * ALTER COLUMN TYPE: none is read by a view or a rule, is in a partition key,
 * or is of a domain type (PostgreSQL refuses the first three, the last would
 * drop the domain's checks).
 */
function widenable(ctx: SearchContext, cls: KeyClass): boolean {
  let ok = ctx.widenable.get(cls.id);
  if (ok !== undefined) return ok;
  const { catalog } = ctx;
  const viewed = new Set(Object.values(catalog.views).flatMap((v) => v.reads));
  ok = Object.entries(cls.members).every(([table, cols]) =>
    cols.every((c) => {
      const t = catalog.tables[table];
      const col = t?.columns.find((x) => x.name === c);
      if (!t || !col || (col.type.base !== 'int2' && col.type.base !== 'int4')) return true;
      const chain = [t.key, ...(t.partitionOf ? [partitionRoot(catalog, t.key)] : [])].map((k) => catalog.tables[k]);
      return chain.every((x) => !!x && !viewed.has(x.key) && !x.rules.length && !x.partitionBy?.columns.includes(c)) && col.type.kind !== 'domain';
    }),
  );
  ctx.widenable.set(cls.id, ok);
  return ok;
}

/** Members of a class among the given tables, with the column each would use. */
function classMembers(ctx: SearchContext, cls: KeyClass, among: Set<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [table, cols] of Object.entries(cls.members)) {
    if (!among.has(table)) continue;
    const t = ctx.catalog.tables[table];
    if (!t || distributable(t)) continue;
    const col = memberColumn(ctx, cls, table, cols);
    if (col) out.set(table, col);
  }
  return out;
}

/**
 * Assign one class's group over `among`: members distributed on their class
 * column, tables that reach a member by declared FKs backfilled, the rest
 * left for later. Weak members (named like the key, nothing more) whose keys
 * lack it go to `deferred`: kept local unless a later class takes them.
 */
export function assignClass(ctx: SearchContext, cls: KeyClass, among: Set<string>, assign: Assignment, deferred: Assignment): void {
  const members = classMembers(ctx, cls, among);
  const weakKeptLocal = new Map<string, string>();
  // Weak members (linked by naming only) whose primary or unique keys lack the key stay out:
  // distributing them would weaken those keys for no join or filter that needs it.
  for (const [table, col] of [...members]) {
    const t = ctx.catalog.tables[table];
    const keyed = !!t.primaryKey || t.uniques.length > 0;
    if (!strongMember(ctx, cls, table, col) && keyed && members.size > 1) {
      members.delete(table);
      weakKeptLocal.set(table, col);
      // Not decided yet: a later class may hold it on stronger evidence.
      if (!deferred.has(table)) deferred.set(table, {
        kind: 'local',
        reasons: [
          `kept local: it has ${col} but no foreign key or query joins it with the other ${cls.id.split('.').pop()} tables, and its keys (${t.primaryKey ? t.primaryKey.columns.join(', ') : 'none'}) do not include ${col}, so distributing it would weaken their uniqueness`,
        ],
      });
    }
  }
  if (members.size === 0) return;
  for (const [table, col] of members) {
    const group = groupId(ctx, cls.id, table, col);
    assign.set(table, { kind: 'distributed', column: col, group, reasons: [] });
  }
  // Backfill: tables among `among` that reach a member through declared FKs.
  for (const table of [...among].sort()) {
    if (assign.has(table)) continue;
    const t = ctx.catalog.tables[table];
    if (distributable(t)) continue;
    // A table keyed by its owner (PRIMARY KEY (group_id, iid), group_id a NOT NULL foreign key) follows
    // that owner: it takes no key another of its links leads to.
    const path = fkPathToMember(ctx, table, members, keyOwner(ctx, t));
    if (!path) continue;
    const last = path[path.length - 1];
    const keyCol = members.get(last.refTable)!;
    if (t.columns.some((c) => c.name === keyCol)) continue; // a same-named column that is not the key: leave it
    const group = groupId(ctx, cls.id, last.refTable, keyCol);
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
    const group = groupId(ctx, cls.id, table, col);
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

/**
 * The ownership link whose column leads the table's composite primary key:
 * the owner the table is keyed by (`PRIMARY KEY (group_id, iid)`), if any.
 */
function keyOwner(ctx: SearchContext, t: Table): ForeignKey | undefined {
  const pk = t.primaryKey?.columns;
  if (!pk || pk.length < 2) return undefined;
  return backfillOrder(ctx, t).find((f) => f.columns.length === 1 && f.columns[0] === pk[0]);
}

/** Shortest path of declared ownership FKs from `table` to a member (at most 3 hops), through `owner` first when given. */
function fkPathToMember(ctx: SearchContext, table: string, members: Map<string, string>, owner?: ForeignKey): Backfill['path'] | undefined {
  type Hop = { table: string; columns: string[]; refTable: string; refColumns: string[] };
  const queue: Array<{ at: string; path: Hop[] }> = [{ at: table, path: [] }];
  const seen = new Set([table]);
  while (queue.length) {
    const { at, path } = queue.shift()!;
    if (path.length >= 3) continue;
    const t = ctx.catalog.tables[at];
    if (!t) continue;
    for (const fk of owner && at === table ? [owner] : backfillOrder(ctx, t)) {
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

/**
 * The foreign keys backfill paths may follow from a table: ownership links
 * only (every column NOT NULL, so every row reaches a parent), ON DELETE
 * CASCADE first (the child lives and dies with the parent), then by name.
 */
function backfillOrder(ctx: SearchContext, t: Table): ForeignKey[] {
  let fks = ctx.backfillFks.get(t.key);
  if (!fks) {
    fks = fksOf(ctx, t)
      .filter((fk) => isOwnershipLink(t, fk))
      .sort((a, b) => (a.onDelete === 'cascade' ? 0 : 1) - (b.onDelete === 'cascade' ? 0 : 1) || (a.name < b.name ? -1 : 1));
    ctx.backfillFks.set(t.key, fks);
  }
  return fks;
}

/** Linked to any distributed table: by FK either way, a join, or an inferred reference. */
