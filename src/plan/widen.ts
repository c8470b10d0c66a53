/**
 * Phase 2, prepare: the sequence-fed int/smallint columns Citus needs as
 * bigint, with every column that must keep their type, changed while the
 * tables are still plain (citus-rules.md §7).
 */
import type { Column, Table } from '../catalog/model.js';
import { sequenceColumnVerdict, type BigintReason } from '../design/version.js';
import { displayName, quoteIdent, sqlName, splitKey } from '../ingest/pg/index.js';
import type { BackfillPlan } from './backfill.js';
import type { PlanContext } from './context.js';

/** One int/smallint column to widen to bigint and why. */
interface WidenColumn {
  readonly table: string;
  readonly column: string;
  /** Its type before the migration, as the schema writes it. */
  readonly type: string;
  readonly why: string;
}

/** A column whose values come from a sequence and that Citus needs as bigint (citus-rules.md §7). */
interface WidenSeed {
  readonly table: string;
  readonly column: string;
  /** What goes wrong on Citus while it stays int/smallint. */
  readonly consequence: string;
}

/** Columns that must change type together: the seeds plus what keeps their type (FKs, colocation, shared sequences). */
interface WidenGroup {
  readonly seeds: WidenSeed[];
  readonly columns: WidenColumn[];
  /** Sequences feeding the widened columns that are not bigint yet (identity sequences follow their column). */
  readonly sequences: Array<{ key: string; dataType: string; users: string[] }>;
  /** Distribution columns the migration adds in the group: they are added as bigint. */
  readonly added: Array<{ table: string; column: string }>;
  /** Why the migration cannot change them itself (PostgreSQL would refuse, or would change more than the type). */
  readonly blockers: string[];
}

/**
 * The columns Citus needs as bigint (citus-rules.md §7; the rules SEQ01 and
 * ID01 flag the same ones): int/smallint columns of Citus tables that take
 * their default from a sequence (serial, `DEFAULT nextval(...)`) from 11.0,
 * when metadata is synced to the workers, and int/smallint identity columns of
 * distributed tables from 11.2.1. Each comes with the columns that must keep
 * its type: the FK columns on either side, the distribution columns of its
 * colocation group, the columns fed by the same sequence, its partitions'.
 * The int/smallint distribution columns of a group keyed bigint elsewhere
 * widen the same way.
 */
export function planWidening(ctx: PlanContext, fills: BackfillPlan[]): WidenGroup[] {
  const fed = widenSeeds(ctx);
  const seeds = [...fed, ...colocationSeeds(ctx).filter((c) => !fed.some((x) => x.table === c.table && x.column === c.column))];
  if (!seeds.length) return [];
  // the column graph: each edge says what the column it reaches is to the one it comes from
  const edges = new Map<string, Array<{ to: string; label: string }>>();
  const link = (a: string, b: string, aFromB: string, bFromA: string) => {
    if (a === b) return;
    edges.set(b, [...(edges.get(b) ?? []), { to: a, label: aFromB }]);
    edges.set(a, [...(edges.get(a) ?? []), { to: b, label: bFromA }]);
  };
  const colName = (n: string) => `${displayName(unnode(n)[0])}.${unnode(n)[1]}`;
  const tables = Object.values(ctx.catalog.tables).sort((a, b) => (a.key < b.key ? -1 : 1));
  const bySequence = new Map<string, string[]>();
  for (const t of tables) {
    for (const fk of t.foreignKeys) {
      const refCols = ctx.refColumns(fk);
      fk.columns.forEach((c, i) => {
        if (refCols[i] === undefined) return;
        const a = node(t.key, c);
        const b = node(fk.refTable, refCols[i]);
        link(a, b, `references ${colName(b)}`, `is referenced by ${colName(a)}`);
      });
    }
    for (const c of t.columns) {
      if (c.defaultSequence) bySequence.set(c.defaultSequence, [...(bySequence.get(c.defaultSequence) ?? []), node(t.key, c.name)]);
      if (t.partitionOf) {
        const a = node(t.key, c.name);
        const b = node(t.partitionOf.parent, c.name);
        link(a, b, `is the same column on partition ${displayName(t.key)}`, `is the same column on the partitioned ${displayName(t.partitionOf.parent)}`);
      }
    }
  }
  for (const [seq, users] of bySequence) {
    for (const u of users.slice(1)) link(u, users[0], `draws from the same sequence ${displayName(seq)} as ${colName(users[0])}`, `draws from the same sequence ${displayName(seq)} as ${colName(u)}`);
  }
  for (const g of ctx.order.groups) {
    const anchor = node(g.anchor, ctx.distColumn(g.anchor)!);
    for (const m of g.members.slice(1)) {
      const a = node(m, ctx.distColumn(m)!);
      link(a, anchor, `is the distribution column of ${displayName(m)}, colocated with ${displayName(g.anchor)}`, `is the distribution column of ${displayName(g.anchor)}, colocated with ${displayName(m)}`);
    }
  }
  for (const b of fills) {
    const end = b.hops[b.hops.length - 1].refTable;
    const a = node(b.table, b.column);
    const src = node(end, b.sourceColumn);
    link(a, src, `is filled from ${colName(src)}`, `fills ${colName(a)}`);
  }

  const groups: WidenGroup[] = [];
  const seen = new Set<string>();
  for (const seed of seeds) {
    const start = node(seed.table, seed.column);
    if (seen.has(start)) continue;
    // breadth first, remembering how each column was reached
    const via = new Map<string, { from: string; label: string } | undefined>([[start, undefined]]);
    const queue = [start];
    while (queue.length) {
      const n = queue.shift()!;
      for (const e of edges.get(n) ?? []) {
        if (via.has(e.to) || !columnOf(ctx, e.to)) continue;
        via.set(e.to, { from: n, label: e.label });
        queue.push(e.to);
      }
    }
    for (const n of via.keys()) seen.add(n);
    const groupSeeds = seeds.filter((s) => via.has(node(s.table, s.column)));
    const seedKeys = new Set(groupSeeds.map((s) => node(s.table, s.column)));
    const columns: WidenColumn[] = [];
    const blockers = new Set<string>();
    const sequences = new Map<string, { key: string; dataType: string; users: string[] }>();
    const added: Array<{ table: string; column: string }> = [];
    const viewsSeen = new Set<string>();
    const viewTables = new Set<string>();
    for (const [n, how] of [...via.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const col = columnOf(ctx, n);
      const [table, column] = unnode(n);
      if (col === 'added') added.push({ table, column });
      if (!col || col === 'added') continue;
      if (col.type.base !== 'int4' && col.type.base !== 'int2') continue;
      const t = ctx.table(table);
      for (const b of widenBlockers(ctx, t, col)) blockers.add(b);
      const views = viewsReading(ctx, t);
      for (const v of views) viewsSeen.add(v);
      if (views.length) viewTables.add(t.partitionOf?.parent ?? table);
      if (col.defaultSequence && !col.identity) {
        const s = ctx.catalog.sequences[col.defaultSequence];
        if (s && s.dataType !== 'bigint') {
          const e = sequences.get(s.key) ?? { key: s.key, dataType: s.dataType, users: [] };
          if (!e.users.includes(t.partitionOf?.parent ?? table)) e.users.push(t.partitionOf?.parent ?? table);
          sequences.set(s.key, e);
        }
      }
      if (t.partitionOf) continue; // changed through its parent
      const seed = groupSeeds.find((s) => s.table === table && s.column === column);
      let why = seed?.consequence;
      if (!why) {
        // how it was reached, and the seed it follows when that is further away
        let cur = how!.from;
        while (via.get(cur) && !seedKeys.has(cur)) cur = via.get(cur)!.from;
        why = `${colName(n)} ${how!.label}${cur !== how!.from ? ` (so it keeps the type of ${colName(cur)})` : ''}`;
      }
      columns.push({ table, column, type: col.type.display, why });
    }
    const order = (w: WidenColumn) => ctx.table(w.table).columns.findIndex((c) => c.name === w.column);
    columns.sort((a, b) => (a.table !== b.table ? (a.table < b.table ? -1 : 1) : order(a) - order(b)));
    if (viewsSeen.size) {
      const vs = [...viewsSeen].sort().map(displayName);
      const ts = [...viewTables].sort().map(displayName);
      blockers.add(
        `${vs.length === 1 ? 'view' : 'views'} ${vs.join(', ')} ${vs.length === 1 ? 'reads' : 'read'} ${ts.join(', ')}, and PostgreSQL refuses to change the type of a column a view uses (drop ${vs.length === 1 ? 'it' : 'them'}, change the types, create ${vs.length === 1 ? 'it' : 'them'} again)`,
      );
    }
    groups.push({ seeds: groupSeeds, columns, sequences: [...sequences.values()].sort((a, b) => (a.key < b.key ? -1 : 1)), added, blockers: [...blockers].sort() });
  }
  return groups;
}

/**
 * The int/smallint distribution columns of a colocation group whose other
 * distribution columns are bigint: Citus colocates only columns of one type
 * ("Distribution column types don't match"), so the narrower ones widen.
 */
function colocationSeeds(ctx: PlanContext): WidenSeed[] {
  const out: WidenSeed[] = [];
  for (const g of ctx.order.groups) {
    const typed = g.members.map((m) => ({ m, c: ctx.table(m).columns.find((x) => x.name === ctx.distColumn(m)) }));
    const wide = typed.find((x) => x.c?.type.base === 'int8');
    if (!wide) continue;
    for (const { m, c } of typed) {
      if (!c || (c.type.base !== 'int4' && c.type.base !== 'int2')) continue;
      out.push({
        table: m,
        column: c.name,
        consequence: `${displayName(m)}.${c.name} (${c.type.display}) is the distribution column of a colocation group whose key is bigint elsewhere (${displayName(wide.m)}.${wide.c!.name}): Citus colocates only distribution columns of one type ("Distribution column types don't match")`,
      });
    }
  }
  return out;
}

/** The sequence-fed int/smallint columns Citus needs as bigint, with what goes wrong otherwise. */
function widenSeeds(ctx: PlanContext): WidenSeed[] {
  const out: WidenSeed[] = [];
  for (const key of ctx.targets()) {
    const t = ctx.table(key);
    const kind = ctx.kind(key);
    for (const c of t.columns) {
      if (c.type.base !== 'int4' && c.type.base !== 'int2') continue;
      if (c.identity && kind !== 'distributed' && kind !== 'single-shard') continue;
      const verdict = sequenceColumnVerdict(ctx.version, c, t.relkind === 'partitioned');
      const what = `${displayName(key)}.${c.name} (${c.type.display})`;
      if (verdict === 'identity-unsupported') {
        ctx.note('prepare', `${what} is an identity column: Citus ${ctx.citus} does not distribute tables with identity columns (support came in 11.2). Upgrade Citus, or replace the identity with a bigint column whose default is nextval() of a sequence, before this migration.`, key);
        continue;
      }
      if (verdict === undefined || verdict === 'identity-partitioned') continue; // refused whatever its type (13.0 added it)
      out.push({ table: key, column: c.name, consequence: `${what}${consequence(ctx, key, c, verdict)}` });
    }
  }
  return out;
}

/** What goes wrong on Citus while the column stays int/smallint, after its name. */
function consequence(ctx: PlanContext, key: string, c: Column, reason: BigintReason): string {
  switch (reason) {
    case 'identity-worker-inserts':
      return ` is an identity column: inserts run on a worker node cannot draw from an int or smallint identity (nextval: reached maximum value of sequence "${splitKey(c.identity?.sequence ?? '').name}" (${c.type.base === 'int2' ? 32767 : 2147483647})), only the coordinator can`;
    case 'identity-bigint-only':
      return ` is an identity column, and Citus ${ctx.citus} only distributes tables whose identity columns are bigint ("cannot complete operation on ${key} with smallint/int identity column")`;
    case 'default-worker-inserts':
      return ` takes its default from ${c.defaultSequence ? `sequence ${displayName(c.defaultSequence)}` : 'a sequence'}: inserts run on a worker node cannot draw from it ("nextval(sequence) calls in worker nodes are not supported for column defaults of type int or smallint"), only the coordinator can`;
  }
}

/** A catalog column, 'added' for a distribution column the migration adds, undefined for none. */
function columnOf(ctx: PlanContext, n: string): Column | 'added' | undefined {
  const [table, column] = unnode(n);
  const t = ctx.catalog.tables[table];
  if (!t) return undefined;
  return t.columns.find((c) => c.name === column) ?? (ctx.added.get(table)?.has(column) ? 'added' : undefined);
}

/** The views (and materialized views) that read a table or its partitioned parent. */
function viewsReading(ctx: PlanContext, t: Table): string[] {
  const keys = [t.key, ...(t.partitionOf ? [t.partitionOf.parent] : [])];
  return Object.values(ctx.catalog.views)
    .filter((v) => v.reads.some((r) => keys.includes(r)))
    .map((v) => v.key);
}

/** Why PostgreSQL would refuse ALTER COLUMN TYPE here (views aside), or why the change would be more than a type. */
function widenBlockers(ctx: PlanContext, t: Table, col: Column): string[] {
  const out: string[] = [];
  const root = t.partitionOf ? ctx.catalog.tables[t.partitionOf.parent] : undefined;
  const mentions = (text: string | undefined) => !!text && new RegExp(`(^|[^\\w$])"?${col.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?($|[^\\w$])`).test(text);
  if (t.rules.length) out.push(`${displayName(t.key)} has rules (PostgreSQL refuses to change the type of a column a rule uses)`);
  if (t.relkind === 'foreign') out.push(`${displayName(t.key)} is a foreign table (its remote column would not change)`);
  if (t.inherits.length || Object.values(ctx.catalog.tables).some((o) => o.inherits.includes(t.key))) out.push(`${displayName(t.key)} takes part in inheritance`);
  const pb = (root ?? t).partitionBy;
  if (pb && (pb.columns.includes(col.name) || pb.expressions.some((e) => mentions(e)))) out.push(`${col.name} is in the partition key of ${displayName((root ?? t).key)} (PostgreSQL refuses to change its type)`);
  for (const g of (root ?? t).columns) if (g.generated && mentions(g.generated.expression)) out.push(`generated column ${displayName((root ?? t).key)}.${g.name} uses ${col.name}`);
  for (const p of (root ?? t).policies) if (mentions(p.using) || mentions(p.check)) out.push(`policy ${p.name} on ${displayName((root ?? t).key)} uses ${col.name}`);
  if (col.type.kind === 'domain') out.push(`${displayName(t.key)}.${col.name} is of the domain ${col.type.display}, whose checks bigint would drop`);
  return out;
}

/**
 * The ALTER ... TYPE bigint steps, one per table, then their sequences; a note
 * with the statements instead for a group PostgreSQL would refuse.
 */
export function widen(ctx: PlanContext, groups: WidenGroup[]): void {
  const order = (w: WidenColumn) => ctx.table(w.table).columns.findIndex((c) => c.name === w.column);
  const alters = (cols: WidenColumn[]) =>
    [...new Set(cols.map((c) => c.table))].sort().map((table) => {
      const mine = cols.filter((c) => c.table === table).sort((a, b) => order(a) - order(b));
      const sql = (type: (c: WidenColumn) => string) =>
        mine.length === 1
          ? `ALTER TABLE ${sqlName(table)} ALTER COLUMN ${quoteIdent(mine[0].column)} TYPE ${type(mine[0])}`
          : `ALTER TABLE ${sqlName(table)}\n${mine.map((c) => `    ALTER COLUMN ${quoteIdent(c.column)} TYPE ${type(c)}`).join(',\n')}`;
      return { table, cols: mine, sql: sql(() => 'bigint'), back: sql((c) => c.type) };
    });
  const sequences = (gs: WidenGroup[]) =>
    [...new Map(gs.flatMap((g) => g.sequences).map((x) => [x.key, x])).values()]
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .map((x) => ({ ...x, sql: `ALTER SEQUENCE ${sqlName(x.key)} AS bigint`, back: `ALTER SEQUENCE ${sqlName(x.key)} AS ${x.dataType}` }));
  for (const g of groups.filter((x) => x.blockers.length)) {
    const shown = g.blockers.slice(0, 3).join('; ') + (g.blockers.length > 3 ? `; and ${g.blockers.length - 3} more` : '');
    const others = g.columns.length - g.seeds.length;
    ctx.note(
      'prepare',
      `${g.seeds.map((x) => x.consequence).join('. ')}. Citus refuses to change the type once the table is distributed, so it should become bigint before this migration${others > 0 ? `, with the ${others} column${others === 1 ? '' : 's'} that must keep its type` : ''}, but this migration does not do it: ${shown}. By hand, before running it: ${[...alters(g.columns).map((a) => a.sql.replace(/\n\s*/g, ' ')), ...sequences([g]).map((x) => x.sql)].join('; ')};`,
      g.seeds[0].table,
    );
  }
  const ok = groups.filter((x) => !x.blockers.length);
  const steps = alters(ok.flatMap((g) => g.columns));
  const seqs = sequences(ok);
  for (const a of steps) for (const c of a.cols) ctx.widened.add(node(c.table, c.column));
  for (const x of seqs) ctx.widenedSequences.add(x.key);
  for (const a of steps) {
    ctx.step(
      'prepare',
      a.sql,
      `To bigint: ${a.cols.map((c) => c.why).join('; ')}. Citus refuses to change the type once the table is distributed, so it changes now, on the plain table (PostgreSQL rewrites the table and its indexes under an ACCESS EXCLUSIVE lock).`,
      { table: a.table },
    );
  }
  for (const x of seqs) {
    ctx.step('prepare', x.sql, `${displayName(x.key)} feeds ${x.users.map(displayName).join(', ')}, just widened: a bigint sequence, so that each worker draws from its own range of values.`, { table: x.users[0] });
  }
  // rollback, last change first; a sequence a Citus table drew from stays a
  // distributed object after undistribute_table, and Citus refuses to alter it
  const citusKinds = new Set(['distributed', 'reference']);
  for (const x of [...seqs].reverse()) {
    const citusUsers = x.users.filter((u) => citusKinds.has(ctx.design.tables[u]?.kind ?? 'local'));
    if (citusUsers.length) {
      ctx.cannotUndo.push(`${displayName(x.key)} stays bigint: it fed ${citusUsers.map(displayName).join(', ')} as Citus tables, so Citus keeps it a distributed sequence after undistribute_table and refuses to change its type back ("Altering a distributed sequence is currently not supported.").`);
      continue;
    }
    ctx.undoStep('prepare', x.back, `${displayName(x.key)} back to ${x.dataType}; this fails if it has already handed out a value that does not fit.`, x.users, { table: x.users[0] });
  }
  for (const a of [...steps].reverse()) {
    ctx.undoStep('prepare', a.back, `Back to the type${a.cols.length === 1 ? '' : 's'} before the migration; this fails if a value no longer fits.`, [a.table], { table: a.table });
  }
}

/** Key of a column in the widening graph. */
export function node(table: string, column: string): string {
  return `${table}\u0000${column}`;
}

function unnode(n: string): [string, string] {
  const i = n.indexOf('\u0000');
  return [n.slice(0, i), n.slice(i + 1)];
}
