/**
 * Estimates (c): statistics guessed from the schema alone, for when there is
 * neither a pg_stats export nor data. Every table comes out `estimated: true`,
 * `source: 'estimate'`, with a `reason`.
 *
 * Row counts follow the foreign-key graph, and the references a caller
 * inferred from key names (`options.references`: schemas that keep their
 * foreign keys in the application). A table others reference is at least a
 * lookup table (100 rows, four columns or fewer) or an entity table (1,000),
 * whatever it references; an unlinked one gets 10,000. A table that
 * references others is as large as the largest table it references times a
 * fan-out: 3 for a link table (primary key made only of reference columns);
 * 2 when other tables reference it in turn (a parent itself: customer,
 * order); else 10 for an event / fact table (an event time column other than
 * a bookkeeping `last_update`-style one, three or more outgoing references,
 * or a name such as `*_events`, `*_items`, `line*`, `*_sales`) and 5 for any
 * other leaf. Growth down a chain is bounded, as an engineer ranks tables
 * rather than multiplying at every depth: past an entity of millions of rows
 * (`LARGE_ROWS`; ten times that for an event or fact) a table is as large as
 * the largest table it references, however deep it sits. Two kinds of table
 * are large whatever their depth: a hub, referenced by a large share of the
 * schema (20 tables or 2%) while it belongs to another table in turn (users,
 * projects: a root many reference is a tenant, settings or a dimension); and
 * a table of polymorphic references (`options.polymorphic`: `noteable_id`
 * beside a text `noteable_type`), whose rows annotate every kind of row
 * (comments, events): ten times its size as a table of one kind, up to the
 * fact size. A header whose lines key on it plus
 * a line number (`lineitem (l_orderkey, l_linenumber)` -> `orders`) holds at
 * least a third of their rows, and no more than any table that references
 * it. A partitioned table is sized as the same table unpartitioned, and its
 * partitions share its rows; a reference to a partition is one to its
 * table. Self-references and mutual references (two tables that reference
 * each other) imply no order and are ignored. Any other reference implies
 * that the referencing table is no smaller than the one it references; where
 * such one-way references run round a cycle (a -> b -> c -> a), that holds
 * only if the tables of the cycle are the same size, so every table of the
 * cycle takes the size of the largest of them, each sized by its references
 * out of the cycle. The figures are orders of magnitude, chosen so that a
 * lookup table ranks below the tables that reference it, and those below the
 * events that reference them.
 *
 * Per column: primary key / unique column -> rows; foreign-key column ->
 * the referenced table's rows; boolean -> 2; enum -> its labels; otherwise a
 * fraction of rows depending on the type.
 */
import { partitionRoot } from '../catalog/index.js';
import type { Catalog, Column, Table } from '../catalog/model.js';
import type { ColumnStats, Stats, TableStats } from './model.js';

const LOOKUP_ROWS = 100;
const ENTITY_ROWS = 1_000;
const STANDALONE_ROWS = 10_000;
/**
 * Large: an entity of millions of rows. Growth down a chain of references
 * stops here for any table that is no event or fact, and a table estimated
 * this large is no candidate for a reference table.
 */
export const LARGE_ROWS = 1_000_000;
/** Events, facts and polymorphic annotations: at most ten times the largest entity. */
const FACT_ROWS = 10_000_000;
/** A hub: referenced by this many tables, or this share of the schema's tables if more. */
const HUB_REFERRERS = 20;
const HUB_SHARE = 0.02;
const MAX_ROWS = 1e9;

const TIME_TYPES = new Set(['timestamp', 'timestamptz', 'date']);
/** Names of event and line-item tables: rows accrue per entity over time. */
const FACT_NAME = /(^line|(^|_)(events?|items?|lines?|logs?|history|histories|entries|sales|returns|bids|clicks|impressions|visits|inventory|transactions|activities|measurements|metrics)$)/i;
/** Column names that record bookkeeping, not the event a row stands for. */
const BOOKKEEPING = /^(last_update|last_updated|updated_at|updated_on|modified_at|modified_on|modified_date|last_modified|created_at|created_on|create_date|inserted_at|deleted_at|rowversion)$/i;

interface Role {
  readonly rows: number;
  readonly reason: string;
}

/** A reference the schema does not declare (a key named after its table), as a reader inferred it. */
export interface ImpliedReference {
  readonly table: string;
  readonly columns: readonly string[];
  readonly refTable: string;
}

export interface EstimateOptions {
  /** References to count like foreign keys (the schema keeps them in the application). */
  readonly references?: readonly ImpliedReference[];
  /** Polymorphic references (`noteable_id` beside a text `noteable_type`), as a reader found them: per table, the id columns. */
  readonly polymorphic?: ReadonlyArray<{ readonly table: string; readonly column: string }>;
}

export function estimateStats(catalog: Catalog, options: EstimateOptions = {}): Stats {
  const tables = Object.values(catalog.tables);
  // A partition's references are its partitioned table's, and a reference to a partition is one to its table.
  // (A partition of a missing table, or of itself round a cycle a hostile script can declare, is its own.)
  const rootOf = (k: string): string => {
    const top = catalog.tables[partitionRoot(catalog, k)];
    return top && !(top.partitionOf && catalog.tables[top.partitionOf.parent]) ? top.key : k;
  };
  const sized = tables.filter((t) => rootOf(t.key) === t.key);
  // Per table, the references it makes: its foreign keys and the implied ones.
  const refsOf = new Map<string, Array<{ readonly columns: readonly string[]; readonly refTable: string }>>();
  for (const t of tables) refsOf.set(t.key, t.foreignKeys.map((fk) => ({ columns: fk.columns, refTable: rootOf(fk.refTable) })));
  for (const r of options.references ?? []) if (catalog.tables[r.refTable]) refsOf.get(r.table)?.push({ ...r, refTable: rootOf(r.refTable) });
  const referencesOf = (t: Table) => refsOf.get(t.key) ?? [];
  const inbound = new Map<string, Set<string>>();
  for (const t of tables) {
    for (const fk of referencesOf(t)) {
      if (fk.refTable === rootOf(t.key)) continue;
      const s = inbound.get(fk.refTable) ?? new Set<string>();
      s.add(rootOf(t.key));
      inbound.set(fk.refTable, s);
    }
  }
  const hubReferrers = Math.max(HUB_REFERRERS, Math.ceil(HUB_SHARE * sized.length));
  const polymorphic = new Map<string, string[]>();
  for (const p of options.polymorphic ?? []) polymorphic.set(rootOf(p.table), [...(polymorphic.get(rootOf(p.table)) ?? []), p.column]);

  // Mutual references (store <-> staff) imply no order: those edges are
  // ignored. The other edges imply one; a cycle of them is one size.
  const oneWayOf = new Map<string, string[]>();
  const oneWay = (t: Table): string[] => {
    let out = oneWayOf.get(t.key);
    if (!out) {
      out = t.partitionOf
        ? []
        : [...new Set(referencesOf(t).map((fk) => fk.refTable))].filter((r) => r !== t.key && catalog.tables[r] && !referencesOf(catalog.tables[r]).some((f) => f.refTable === t.key)).sort();
      oneWayOf.set(t.key, out);
    }
    return out;
  };
  const component = stronglyConnected(catalog, oneWay);
  const members = new Map<number, string[]>();
  for (const [k, c] of component) members.set(c, [...(members.get(c) ?? []), k]);
  const children = new Map<string, string[]>();
  for (const t of tables) {
    if (t.partitionOf && catalog.tables[t.partitionOf.parent]) {
      children.set(t.partitionOf.parent, [...(children.get(t.partitionOf.parent) ?? []), t.key]);
    }
  }
  const memo = new Map<string, Role>();
  /** The size of `t` (a table no partition): its own, or in a cycle of one-way references the cycle's. */
  const roleOf = (t: Table): Role => {
    const known = memo.get(t.key);
    if (known) return known;
    const cycle = (members.get(component.get(t.key)!) ?? []).sort();
    if (cycle.length < 2) {
      const role = ownRole(t);
      memo.set(t.key, role);
      return role;
    }
    let largest = cycle[0];
    let largestRole = ownRole(catalog.tables[largest]);
    for (const k of cycle.slice(1)) {
      const r = ownRole(catalog.tables[k]);
      if (r.rows > largestRole.rows) {
        largest = k;
        largestRole = r;
      }
    }
    for (const k of cycle) {
      memo.set(k, {
        rows: largestRole.rows,
        reason: `in a cycle of references with ${cycle.filter((x) => x !== k).join(', ')}: as large as the largest of them, ${largest} (${largestRole.reason})`,
      });
    }
    return memo.get(t.key)!;
  };
  /** The size of `t` from its own role, its references out of its cycle sized by roleOf. */
  const ownRole = (t: Table): Role => {
    const role = chainRole(t);
    const parts = children.get(t.key)?.length ?? 0;
    const partitioned = t.relkind === 'partitioned' && parts ? `; partitioned into ${parts}, which share its rows` : '';
    // Rows that annotate whatever table their type column names (comments, events on any object) accrue with all of
    // them: ten times the table as one kind of row would be, as a fact.
    const poly = polymorphic.get(t.key);
    if (poly && role.rows < FACT_ROWS) {
      const rows = Math.min(FACT_ROWS, role.rows * 10);
      return { rows, reason: `fact table: polymorphic reference ${poly.sort().join(', ')} (a row of whichever table its type column names), so its rows accrue with every table it annotates: 10 x ${role.rows} (${role.reason})${partitioned}` };
    }
    const inCount = inbound.get(t.key)?.size ?? 0;
    // A table a large share of the schema references, and that belongs to another in turn, is a hub the
    // application grows around (a root that many reference is its top: a tenant, settings, a dimension).
    if (inCount >= hubReferrers && oneWay(t).length > 0 && t.columns.length > 4 && role.rows < LARGE_ROWS) {
      return { rows: LARGE_ROWS, reason: `large entity: referenced by ${inCount} tables (${hubReferrers} or more make a hub the application grows around) (${role.reason})${partitioned}` };
    }
    return partitioned ? { ...role, reason: role.reason + partitioned } : role;
  };
  /** The size of `t` down its chain of references: its largest reference times a fan-out, growth bounded by its role. */
  const chainRole = (t: Table): Role => {
    const refs = oneWay(t).filter((r) => component.get(r) !== component.get(t.key));
    const inCount = inbound.get(t.key)?.size ?? 0;
    // A table others reference is at least a lookup (narrow) or an entity (wider), whatever it references.
    const base: Role | undefined =
      inCount > 0
        ? t.columns.length <= 4
          ? { rows: LOOKUP_ROWS, reason: `lookup table: referenced by ${inCount} table(s), ${t.columns.length} columns` }
          : { rows: ENTITY_ROWS, reason: `entity table: referenced by ${inCount} table(s)` }
        : undefined;
    if (refs.length === 0) return base ?? { rows: STANDALONE_ROWS, reason: 'no foreign keys either way: default size' };
    let biggest = refs[0];
    let biggestRows = 0;
    for (const r of refs) {
      const rr = roleOf(catalog.tables[r]).rows;
      if (rr > biggestRows) {
        biggest = r;
        biggestRows = rr;
      }
    }
    const fkCols = new Set(referencesOf(t).flatMap((fk) => fk.columns));
    const pk = t.primaryKey?.columns ?? [];
    const eventTimes = t.columns.filter((c) => TIME_TYPES.has(c.type.base) && c.type.arrayDims === 0 && !BOOKKEEPING.test(c.name));
    let fanout: number;
    let kind: string;
    let cap = LARGE_ROWS;
    if (pk.length >= 2 && pk.every((c) => fkCols.has(c))) {
      fanout = 3;
      kind = 'link table (primary key made of foreign keys)';
    } else if (inCount > 0) {
      fanout = 2;
      kind = `parent of ${inCount} table(s), child of ${refs.length}`;
    } else if (eventTimes.length > 0 || refs.length >= 3 || FACT_NAME.test(t.name)) {
      fanout = 10;
      cap = FACT_ROWS;
      kind = `event/fact table (${refs.length} outgoing reference(s)${eventTimes.length ? `, time column ${eventTimes[0].name}` : ''}${FACT_NAME.test(t.name) ? ', named as events or line items are' : ''}, referenced by none)`;
    } else {
      fanout = 5;
      kind = `child table (${refs.length} outgoing foreign key(s), referenced by none)`;
    }
    // Growth down a chain is bounded: past an entity of millions of rows (an event or fact: ten times that)
    // a table is no larger than what it references, however deep it sits.
    const grown = biggestRows * fanout;
    const rows = Math.min(MAX_ROWS, Math.max(biggestRows, Math.min(grown, cap)));
    const stop = cap === FACT_ROWS ? 'ten times an entity of millions of rows, for an event or fact' : 'an entity of millions of rows';
    const bounded = rows < grown ? `, bounded at ${rows}: growth down a chain of references stops at ${stop}${rows > cap ? ', or at what it references if larger' : ''}` : '';
    let role: Role = { rows, reason: `${kind}: ${fanout} x ${biggest} (${biggestRows})${bounded}` };
    if (base && base.rows > role.rows) role = { rows: base.rows, reason: `${base.reason}; more than ${fanout} x ${biggest} (${biggestRows})` };
    return role;
  };

  // A header and its lines: a table whose primary key is a reference to its parent plus a line
  // number (lineitem (l_orderkey, l_linenumber) -> orders) holds a few rows per parent row,
  // so the parent is no smaller than a third of it.
  const header = new Map<string, Role>();
  for (const t of [...sized].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const pk = t.primaryKey?.columns ?? [];
    if (pk.length < 2) continue;
    for (const r of referencesOf(t)) {
      const parent = catalog.tables[r.refTable];
      if (!parent || parent.key === t.key || r.columns.length >= pk.length || !r.columns.every((c, i) => pk[i] === c)) continue;
      if (pk.slice(r.columns.length).some((c) => referencesOf(t).some((x) => x.columns.includes(c)))) continue;
      // ... and no larger than any table that references it.
      const cap = Math.min(...[...(inbound.get(parent.key) ?? [])].filter((x) => oneWay(catalog.tables[x]).includes(parent.key)).map((x) => roleOf(catalog.tables[x]).rows));
      const rows = Math.min(cap, Math.round(roleOf(t).rows / 3));
      const known = header.get(parent.key)?.rows ?? roleOf(parent).rows;
      if (rows > known) header.set(parent.key, { rows, reason: `header of ${t.key}, whose primary key is its reference here plus ${pk.slice(r.columns.length).join(', ')}: a third of its ${roleOf(t).rows} rows` });
    }
  }
  const sizeOf = (t: Table): Role => {
    const own = header.get(t.key);
    if (own) return own;
    const parent = t.partitionOf && rootOf(t.key) !== t.key && catalog.tables[t.partitionOf.parent];
    if (!parent) return roleOf(t);
    // The partitioned table is the estimate; its partitions share its rows.
    const whole = sizeOf(parent).rows;
    const n = children.get(parent.key)?.length ?? 1;
    return { rows: Math.max(1, Math.round(whole / n)), reason: `partition of ${parent.key}: ${n === 1 ? 'all' : `a 1/${n} share`} of its ${whole} rows` };
  };
  const out: Record<string, TableStats> = {};
  for (const t of [...tables].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const role = sizeOf(t);
    const columns: Record<string, ColumnStats> = {};
    for (const c of t.columns) {
      columns[c.name] = { nDistinct: columnDistinct(catalog, t, c, role.rows, sizeOf), nullFraction: c.notNull ? 0 : 0.05, mostCommon: [] };
    }
    out[t.key] = { rows: role.rows, columns, source: 'estimate', estimated: true, reason: role.reason };
  }
  return { tables: out };
}

/** Tarjan's algorithm over the graph of `edges` between tables: table key -> component number. */
function stronglyConnected(catalog: Catalog, edges: (t: Table) => string[]): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const comp = new Map<string, number>();
  let next = 0;
  let count = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges(catalog.tables[v])) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      for (;;) {
        const w = stack.pop()!;
        onStack.delete(w);
        comp.set(w, count);
        if (w === v) break;
      }
      count++;
    }
  };
  for (const k of Object.keys(catalog.tables).sort()) if (!index.has(k)) visit(k);
  return comp;
}

function columnDistinct(catalog: Catalog, t: Table, c: Column, rows: number, roleOf: (t: Table) => Role): number {
  const clamp = (n: number) => Math.max(1, Math.min(rows, Math.round(n)));
  const pk = t.primaryKey?.columns ?? [];
  if (pk.length === 1 && pk[0] === c.name) return rows;
  if (t.uniques.some((u) => u.columns.length === 1 && u.columns[0] === c.name && !u.where)) return rows;
  if (c.type.arrayDims === 0) {
    const fk = t.foreignKeys.find((f) => f.columns.length === 1 && f.columns[0] === c.name);
    const ref = fk && catalog.tables[fk.refTable];
    if (ref) return clamp(ref.key === t.key ? rows / 2 : roleOf(ref).rows);
    if (c.type.base === 'bool') return Math.min(2, rows);
    const enumDef = catalog.types[c.type.name] ?? catalog.types[c.type.base];
    if (enumDef?.kind === 'enum' && enumDef.labels) return clamp(enumDef.labels.length);
  }
  if (c.serial || c.identity || c.type.base === 'uuid') return rows;
  switch (c.type.base) {
    case 'timestamp':
    case 'timestamptz':
      return clamp(rows * 0.9);
    case 'date':
      return clamp(Math.min(rows, 3650));
    case 'text':
    case 'varchar':
      return clamp(rows * 0.5);
    case 'bpchar':
      return clamp(Math.min(rows * 0.5, c.type.typmods[0] !== undefined && c.type.typmods[0] <= 3 ? 26 ** c.type.typmods[0] : rows));
    case 'int2':
      return clamp(Math.min(rows * 0.1, 1000));
    default:
      return clamp(rows * 0.1);
  }
}
