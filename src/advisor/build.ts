/**
 * A complete design around one key class: its group first, secondary groups
 * for the large tables left, reference tables for the small and shared ones
 * (closed over their foreign keys), own groups or local for the rest.
 */
import { partitionRoot } from '../catalog/index.js';
import type { Assignment } from './choice.js';
import { distributable, fksOf, inferredLarge, isolated, isSharedLookup, isSmall, measured, optionalKey, relSize, rows, type SearchContext } from './context.js';
import type { KeyClass } from './graph.js';
import { assignClass, carriesKey, usableKey } from './members.js';

function linkedToDistributed(ctx: SearchContext, table: string, assign: Assignment): boolean {
  if ((ctx.neighbours.get(table) ?? []).some((other) => assign.get(other)?.kind === 'distributed')) return true;
  // read in the same query as a distributed table (joined on something other than equality)
  return (ctx.coTables.get(table) ?? []).some((t) => assign.get(t)?.kind === 'distributed');
}

/** A complete design built around one key class as the primary group. */
export function designFor(ctx: SearchContext, primary: KeyClass | undefined): Assignment {
  const assign: Assignment = new Map();
  const tables = ctx.designable;
  for (const t of tables) {
    const why = distributable(t);
    if (why) assign.set(t.key, { kind: 'local', reasons: [`local: ${why}`] });
  }
  let remaining = new Set(tables.map((t) => t.key).filter((k) => !assign.has(k)));
  const deferred: Assignment = new Map();
  // Each class once: run again over what it left, it would take the members it found too weak.
  const used = new Set<string>();
  if (primary) {
    assignClass(ctx, primary, remaining, assign, deferred);
    used.add(primary.id);
  }
  // Secondary groups among what is left: large tables first, until no class takes any (each class
  // once, so this ends). A fixed number of rounds left the last classes of a large schema out:
  // their tables stayed local, and the distributed tables' keys to them broke.
  for (;;) {
    remaining = new Set([...remaining].filter((k) => !assign.has(k)));
    const largeLeft = [...remaining].filter(
      (k) => !replicaWorthy(ctx, k) || (!isSmall(ctx, k) && !isSharedLookupTarget(ctx, k, assign) && !(referencedByDistributed(ctx, k, assign) && relSize(ctx, k) <= 0.25)),
    );
    if (!largeLeft.length) break;
    const large = new Set(largeLeft);
    const best = bestClass(ctx, large, remaining, used);
    if (!best) break;
    // A secondary group takes the large tables and those that are no candidates for replication:
    // a small dimension the main group's tables reference is a reference table, not a member.
    // A table that carries the group's key under its own name belongs to the group all the same.
    const among = new Set([...remaining].filter((k) => large.has(k) || !referencedByDistributed(ctx, k, assign) || carriesKey(ctx, best, k)));
    assignClass(ctx, best, among, assign, deferred);
    used.add(best.id);
  }
  for (const [k, c] of deferred) if (!assign.has(k)) assign.set(k, c);
  // Reference and local for the small and shared; own groups for large loners.
  const left = tables.map((t) => t.key).filter((k) => !assign.has(k));
  for (const k of left) {
    if (!replicaWorthy(ctx, k)) continue;
    if ((isSmall(ctx, k) || isSharedLookup(ctx, k) || (referencedByDistributed(ctx, k, assign) && relSize(ctx, k) <= 0.25)) && linkedToDistributed(ctx, k, assign)) {
      assign.set(k, { kind: 'reference', reasons: [] });
    }
  }
  // Tables referenced by reference tables must be reference (or local) too: close over FKs.
  let changed = true;
  while (changed) {
    changed = false;
    for (const [k, c] of assign) {
      if (c.kind !== 'reference') continue;
      for (const fk of fksOf(ctx, ctx.catalog.tables[k])) {
        const ref = partitionRoot(ctx.catalog, fk.refTable);
        if (!assign.has(ref) && ctx.catalog.tables[ref] && replicable(ctx, ref) && !inferredLarge(ctx, ref)) {
          assign.set(ref, { kind: 'reference', reasons: [] });
          changed = true;
        }
      }
    }
  }
  for (const k of tables.map((t) => t.key).filter((x) => !assign.has(x))) {
    // Read with distributed tables but joined to them by no equality: only a reference table works,
    // Citus cannot repartition a join on anything but equality.
    if (replicaWorthy(ctx, k) && isolated(ctx, k) && linkedToDistributed(ctx, k, assign) && (ctx.writeShare.get(k) ?? 0) < 0.01) {
      assign.set(k, {
        kind: 'reference',
        reasons: ['reference table: queries read it together with distributed tables but join it by no equality on a column, which only a replicated table can serve'],
      });
      continue;
    }
    // An isolated table is worth distributing when it is measured large or the workload uses it.
    const worth = !isolated(ctx, k) || measured(ctx, k) || ctx.shapesByTable.has(k);
    const large = inferredLarge(ctx, k);
    if ((!isSmall(ctx, k) || large) && worth) {
      const cands = ctx.candidates.get(k) ?? [];
      const best = cands.find((c) => !c.excluded && c.parts.type >= 0.5 && c.score > 0 && usableKey(ctx, k, c.column));
      const pk = ctx.catalog.tables[k].primaryKey?.columns[0];
      const pkFit = cands.find((c) => c.column === pk && !c.excluded && c.parts.type >= 0.5);
      const col = best?.column ?? pkFit?.column;
      if (col) {
        assign.set(k, { kind: 'distributed', column: col, group: `own:${k}`, reasons: [] });
        continue;
      }
    }
    assign.set(k, { kind: 'local', reasons: [] });
  }
  return assign;
}

/** Citus makes reference tables of plain tables only: a partitioned one it distributes by hash or leaves alone (TB02). */
export function replicable(ctx: SearchContext, table: string): boolean {
  return ctx.catalog.tables[table]?.relkind !== 'partitioned';
}

/** Share of the weighted workload that writes a table above which it is no reference table: every write to one goes to every node. */
const REFERENCE_WRITES = 0.05;

/**
 * Worth replicating as a reference table: Citus can (not partitioned), the
 * workload rarely writes it, and it is no table the schema says is large.
 */
export function replicaWorthy(ctx: SearchContext, table: string): boolean {
  return replicable(ctx, table) && !inferredLarge(ctx, table) && (ctx.writeShare.get(table) ?? 0) < REFERENCE_WRITES;
}

/** The target of a foreign key from a distributed table: it must be a reference table (or colocated) for Citus to keep the key. */
function referencedByDistributed(ctx: SearchContext, table: string, assign: Assignment): boolean {
  return (ctx.referrers.get(table) ?? []).some((t) => assign.get(t)?.kind === 'distributed');
}

/** A reference table cannot have a foreign key to a distributed table (Citus refuses it). */
export function referencesDistributed(ctx: SearchContext, table: string, assign: Assignment): boolean {
  const declared = fksOf(ctx, ctx.catalog.tables[table]).some((fk) => {
    const ref = partitionRoot(ctx.catalog, fk.refTable);
    return ref !== table && assign.get(ref)?.kind === 'distributed';
  });
  // A key named after a distributed table (tenant_id -> tenants) makes the rows that tenant's data, not shared data.
  return declared || (ctx.edgesAt.get(table) ?? []).some((e) => e.kind === 'inferred' && e.weight >= 0.5 && e.a.table === table && e.b.table !== table && assign.get(e.b.table)?.kind === 'distributed');
}

function isSharedLookupTarget(ctx: SearchContext, table: string, assign: Assignment): boolean {
  return isSharedLookup(ctx, table) && linkedToDistributed(ctx, table, assign);
}

/** Quick score of a class over some tables: rows it covers, joins inside it, filters on it. */
export function quickClassScore(ctx: SearchContext, cls: KeyClass, among: Set<string>): number {
  let s = 0;
  for (const [table, cols] of membersOf(ctx, cls)) {
    if (!among.has(table)) continue;
    s += Math.log10(2 + rows(ctx, table));
    for (const c of cols) {
      const u = ctx.usage.get(`${table}.${c}`);
      if (u) s += 10 * (u.join + u.filter);
    }
  }
  return s;
}

/** A class's members as entries, made once per class. */
function membersOf(ctx: SearchContext, cls: KeyClass): ReadonlyArray<readonly [string, readonly string[]]> {
  let m = ctx.classEntries.get(cls.id);
  if (!m) {
    // A table whose only columns of the class a CHECK leaves NULL by design is no member: the class cannot take it.
    m = Object.entries(cls.members).filter(([table, cols]) => {
      const t = ctx.catalog.tables[table];
      return !t || !cols.every((c) => optionalKey(ctx, t, c));
    });
    ctx.classEntries.set(cls.id, m);
  }
  return m;
}

function bestClass(ctx: SearchContext, need: Set<string>, among: Set<string>, used: ReadonlySet<string>): KeyClass | undefined {
  let best: KeyClass | undefined;
  let bestScore = 0;
  for (const cls of ctx.graph.classes) {
    if (used.has(cls.id) || !membersOf(ctx, cls).some(([t]) => need.has(t))) continue;
    const s = quickClassScore(ctx, cls, among);
    if (s > bestScore) {
      best = cls;
      bestScore = s;
    }
  }
  return best;
}

/**
 * Local search: per distributed table, try its other candidate columns and
 * making it a reference table; keep what improves the objective.
 */
