/**
 * What every phase of the planner shares: the catalog and the design with
 * their lookups, the target Citus version and options, the order the tables
 * become Citus tables, and the steps and notes written so far. One object per
 * migration planned.
 */
import { partitionRoot } from '../catalog/index.js';
import type { Catalog, ForeignKey, Table } from '../catalog/model.js';
import type { Design, TableDesign, TableKind } from '../design/model.js';
import { parseCitusVersion, type CitusVersion } from '../design/version.js';
import { displayName } from '../ingest/pg/index.js';
import { PlanError, type MigrationNote, type MigrationStep, type Phase, type PlanOptions } from './model.js';

const DEFAULT_BATCH = 10000;

/** The order the tables become Citus tables: reference, single-shard, then each colocation group anchor first. */
export interface TableOrder {
  readonly refs: readonly string[];
  readonly singles: readonly string[];
  readonly groups: ReadonlyArray<{ readonly anchor: string; readonly members: readonly string[] }>;
}

export class PlanContext {
  readonly steps: MigrationStep[] = [];
  readonly notes: MigrationNote[] = [];
  /** Each phase's rollback steps, in the order they run. */
  readonly undo: Record<Phase, MigrationStep[]> = { preflight: [], prepare: [], reference: [], constraints: [], distribute: [], restore: [], cleanup: [] };
  /** Distribution columns the migration adds, by table. */
  readonly added = new Map<string, Set<string>>();
  readonly citus: string;
  readonly version: CitusVersion;
  readonly batch: number;
  readonly concurrently: boolean;
  /** Tables that change kind and that undistribute_table cannot turn back (identity columns, §2.3). */
  readonly stuck = new Set<string>();
  /** Of `stuck`, the local tables that a foreign key to a reference table makes citus local tables. */
  readonly stuckLocal = new Set<string>();
  /** Of `stuck`, the reference tables such citus local tables reference (undistribute_table would cascade to them). */
  readonly stuckReference = new Set<string>();
  /** What the rollback cannot undo, said in its header. */
  readonly cannotUndo: string[] = [];
  /** Columns the migration widens to bigint, as `table\u0000column`. */
  readonly widened = new Set<string>();
  /** Sequences the migration makes bigint. */
  readonly widenedSequences = new Set<string>();
  private tableOrder: TableOrder = { refs: [], singles: [], groups: [] };
  private readonly created = new Map<string, number>();

  constructor(
    readonly catalog: Catalog,
    readonly design: Design,
    options: PlanOptions,
  ) {
    this.citus = options.citus ?? design.citus;
    // an unreadable version is taken as the newest: nothing is left out for an old one
    this.version = parseCitusVersion(this.citus) ?? { major: Number.MAX_SAFE_INTEGER, minor: 0, patch: 0, text: this.citus };
    this.batch = options.batchSize ?? DEFAULT_BATCH;
    if (!Number.isInteger(this.batch) || this.batch < 1) throw new PlanError(`batch size must be a whole number of at least 1, not ${this.batch}`);
    this.concurrently = !!options.concurrently;
  }

  // ------------------------------------------------------------------ design lookups

  table(key: string): Table {
    const t = this.catalog.tables[key];
    if (!t) throw new PlanError(`the design names table ${displayName(key)}, which the schema does not have`);
    return t;
  }

  private designOf(key: string): TableDesign | undefined {
    const t = this.catalog.tables[key];
    if (t?.partitionOf) return this.designOf(t.partitionOf.parent);
    return this.design.tables[key];
  }

  /** The kind a table ends up as; partitions follow their parent. */
  kind(key: string): TableKind {
    return this.designOf(key)?.kind ?? 'local';
  }

  changes(key: string): boolean {
    return this.kind(key) !== 'local';
  }

  hasColumn(key: string, column: string): boolean {
    return this.table(key).columns.some((c) => c.name === column) || !!this.added.get(key)?.has(column);
  }

  /** Non-partition tables the design changes, sorted by key. */
  targets(): string[] {
    return Object.keys(this.design.tables)
      .filter((k) => this.design.tables[k].kind !== 'local')
      .filter((k) => !this.table(k).partitionOf)
      .sort();
  }

  /** The table whose colocation group a distributed table joins (itself for an anchor). */
  anchorOf(key: string): string {
    const seen = new Set<string>([key]);
    let cur = key;
    for (;;) {
      const next = this.design.tables[cur]?.colocateWith;
      if (!next || seen.has(next) || !this.catalog.tables[next] || this.catalog.tables[next].partitionOf || this.design.tables[next]?.kind !== 'distributed') return cur;
      seen.add(next);
      cur = next;
    }
  }

  colocated(a: string, b: string): boolean {
    const ka = this.kind(a);
    const kb = this.kind(b);
    if (ka === 'single-shard' && kb === 'single-shard') return true;
    if (ka !== 'distributed' || kb !== 'distributed') return false;
    return this.anchorOf(partitionRoot(this.catalog, a)) === this.anchorOf(partitionRoot(this.catalog, b));
  }

  distColumn(key: string): string | undefined {
    const d = this.designOf(key);
    return d?.kind === 'distributed' ? d.column : undefined;
  }

  /**
   * The columns an FK references. An FK written without a column list
   * references its table's primary key, which the catalog leaves to the reader.
   */
  refColumns(fk: ForeignKey): readonly string[] {
    return fk.refColumns.length ? fk.refColumns : (this.catalog.tables[fk.refTable]?.primaryKey?.columns ?? []);
  }

  // ------------------------------------------------------------------ order

  get order(): TableOrder {
    return this.tableOrder;
  }

  /** Fix the order the tables become Citus tables (once, before the phases run). */
  setOrder(order: TableOrder): void {
    this.tableOrder = order;
    [...order.refs, ...order.singles, ...order.groups.flatMap((g) => g.members)].forEach((k, i) => this.created.set(k, i));
  }

  /** When a table becomes a Citus table (its parent's turn for a partition); undefined when it stays local. */
  createdAt(key: string): number | undefined {
    return this.created.get(partitionRoot(this.catalog, key));
  }

  /** Is create_distributed_table_concurrently used for this table? */
  isConcurrent(key: string): boolean {
    return this.concurrently && this.kind(key) === 'distributed' && this.concurrentRefusal(key) === undefined;
  }

  /** Why create_distributed_table_concurrently cannot take this table (Citus), or undefined. */
  concurrentRefusal(key: string): string | undefined {
    // Foreign keys still in place at distribution time: those not touching a table that changes kind.
    for (const t of Object.values(this.catalog.tables)) {
      for (const fk of t.foreignKeys) {
        const kept = !this.changes(t.key) && !this.changes(fk.refTable);
        if (!kept) continue;
        if (fk.refTable === key && t.key !== key) return `${displayName(t.key)} references it ("foreign keys from a regular table to a distributed table are not supported.")`;
        if (t.key === key && fk.refTable !== key && this.kind(fk.refTable) === 'local') return `it references the plain table ${displayName(fk.refTable)}`;
      }
    }
    return undefined;
  }

  // ------------------------------------------------------------------ output

  step(phase: Phase, sql: string, why: string, extra: { table?: string; citus?: boolean; transactional?: boolean } = {}): void {
    this.steps.push({ phase, sql, why, transactional: extra.transactional ?? true, ...(extra.table ? { table: extra.table } : {}), citus: !!extra.citus });
  }

  note(phase: Phase, text: string, table?: string): void {
    this.notes.push({ phase, text, ...(table ? { table } : {}) });
  }

  /** A rollback step undoing something done in `phase`; blocked when it needs a stuck table back as a plain table. */
  undoStep(phase: Phase, sql: string, why: string, tables: string[], extra: { citus?: boolean; table?: string } = {}): void {
    const stuck = tables.filter((t) => this.stuck.has(t));
    const as = (t: string) => (this.stuckLocal.has(t) ? 'a citus local table' : this.stuckReference.has(t) ? 'a reference table' : 'distributed');
    const blocked = stuck.length
      ? `${stuck.map((t) => `${displayName(t)} stays ${as(t)}`).join(', ')}: undistribute_table refuses tables with identity columns`
      : undefined;
    this.undo[phase].push({
      phase,
      sql,
      why,
      transactional: true,
      ...(extra.table ? { table: extra.table } : {}),
      citus: !!extra.citus,
      ...(blocked ? { blocked } : {}),
    });
  }
}

/** Referenced before referencing (deps(k) = what k needs first), ties by key; cycles broken in key order. */
export function topoOrder(keys: readonly string[], deps: (k: string) => readonly string[]): string[] {
  const set = new Set(keys);
  const sorted = [...keys].sort();
  const out: string[] = [];
  const done = new Set<string>();
  while (out.length < sorted.length) {
    const next = sorted.find((k) => !done.has(k) && deps(k).every((d) => !set.has(d) || done.has(d) || d === k));
    const pick = next ?? sorted.find((k) => !done.has(k))!;
    done.add(pick);
    out.push(pick);
  }
  return out;
}
