/**
 * Design -> ordered migration (and its rollback), in the order Citus needs:
 * preflight checks; the distribution columns added and filled, and the
 * sequence-fed int columns widened to bigint; the reference tables (foreign
 * keys from other tables to them stay in place); the foreign keys Citus would
 * refuse meanwhile out of the way and the keys made to include the
 * distribution column; the colocation groups, anchor first; the foreign keys
 * Citus supports back, rewritten where Citus only accepts another form; the
 * hidden local copies truncated (citus-rules.md §2, §5-§8).
 */
import { partitionRoot } from '../catalog/index.js';
import type { Catalog, Column, FkAction, ForeignKey, Table, UniqueKey } from '../catalog/model.js';
import type { Design, TableDesign, TableKind } from '../design/model.js';
import { displayName, quoteIdent, quoteLiteral, splitKey, sqlName } from '../ingest/pg/index.js';
import {
  PlanError,
  type DroppedForeignKey,
  type Migration,
  type MigrationNote,
  type MigrationStep,
  type Phase,
  type PlanOptions,
  type RewrittenForeignKey,
} from './model.js';
import {
  addForeignKey,
  addPrimaryKey,
  addUniqueConstraint,
  columnList,
  createUniqueIndex,
  dollarQuote,
  dropConstraint,
  dropIndex,
  foreignKeyName,
  indexElements,
  regclassLiteral,
  type FkShape,
} from './sql.js';

const DEFAULT_BATCH = 10000;

type Kind = TableKind;

/** Can Citus enforce an FK under the design, and in which shape; or why not. */
type FkVerdict =
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

interface FkPlan {
  readonly table: string;
  readonly fk: ForeignKey;
  readonly verdict: FkVerdict;
  /** It stays in place: Citus accepts it as it is at each step where one of its tables changes kind. */
  keep: boolean;
  /** Dropped before the reference tables are made (it touches one and does not stay). */
  early: boolean;
}

interface UniqueRewrite {
  readonly table: string;
  readonly kind: 'primary' | 'constraint' | 'index';
  readonly name: string;
  readonly drop: string;
  readonly create: string;
  readonly restore: string;
  readonly original: string;
}

interface BackfillPlan {
  readonly table: string;
  readonly column: string;
  /** The type of the added column (the source column's, bigint when that is widened). */
  type: string;
  /** Join hops from the table to the table the value is read from. */
  readonly hops: Array<{ table: string; columns: string[]; refTable: string; refColumns: string[] }>;
  readonly sourceColumn: string;
}

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

/** Builds a migration for one catalog and design. An object per call: no shared state. */
class Planner {
  private readonly steps: MigrationStep[] = [];
  private readonly notes: MigrationNote[] = [];
  private readonly undo: Record<Phase, MigrationStep[]> = { preflight: [], prepare: [], reference: [], constraints: [], distribute: [], restore: [], cleanup: [] };
  private readonly undoNotes: MigrationNote[] = [];
  private readonly cannotUndo: string[] = [];
  private readonly added = new Map<string, Set<string>>();
  private readonly citus: string;
  private readonly version: readonly [number, number, number];
  private readonly batch: number;
  private readonly concurrently: boolean;
  /** Tables that change kind and that undistribute_table cannot turn back (identity columns, §2.3). */
  private readonly stuck = new Set<string>();
  /** The order the tables become Citus tables: reference, single-shard, then each colocation group anchor first. */
  private refs: string[] = [];
  private singles: string[] = [];
  private groups: Array<{ anchor: string; members: string[] }> = [];
  private readonly created = new Map<string, number>();
  private readonly rewritten: RewrittenForeignKey[] = [];
  private readonly dropped: DroppedForeignKey[] = [];

  constructor(
    private readonly catalog: Catalog,
    private readonly design: Design,
    options: PlanOptions,
  ) {
    this.citus = options.citus ?? design.citus;
    const v = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(this.citus);
    // an unreadable version is taken as the newest: nothing is left out for an old one
    this.version = v ? [Number(v[1]), Number(v[2] ?? 0), Number(v[3] ?? 0)] : [Number.MAX_SAFE_INTEGER, 0, 0];
    this.batch = options.batchSize ?? DEFAULT_BATCH;
    if (!Number.isInteger(this.batch) || this.batch < 1) throw new PlanError(`batch size must be a whole number of at least 1, not ${this.batch}`);
    this.concurrently = !!options.concurrently;
  }

  private atLeast(major: number, minor = 0, patch = 0): boolean {
    const [a, b, c] = this.version;
    return a !== major ? a > major : b !== minor ? b > minor : c >= patch;
  }

  // ------------------------------------------------------------------ design lookups

  private table(key: string): Table {
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
  kind(key: string): Kind {
    return this.designOf(key)?.kind ?? 'local';
  }

  private changes(key: string): boolean {
    return this.kind(key) !== 'local';
  }

  private hasColumn(key: string, column: string): boolean {
    return this.table(key).columns.some((c) => c.name === column) || !!this.added.get(key)?.has(column);
  }

  /** Non-partition tables the design changes, sorted by key. */
  private targets(): string[] {
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

  private colocated(a: string, b: string): boolean {
    const ka = this.kind(a);
    const kb = this.kind(b);
    if (ka === 'single-shard' && kb === 'single-shard') return true;
    if (ka !== 'distributed' || kb !== 'distributed') return false;
    return this.anchorOf(this.parentOrSelf(a)) === this.anchorOf(this.parentOrSelf(b));
  }

  private parentOrSelf(key: string): string {
    return partitionRoot(this.catalog, key);
  }

  private distColumn(key: string): string | undefined {
    const d = this.designOf(key);
    return d?.kind === 'distributed' ? d.column : undefined;
  }

  // ------------------------------------------------------------------ output

  private step(phase: Phase, sql: string, why: string, extra: { table?: string; citus?: boolean; transactional?: boolean } = {}): void {
    this.steps.push({ phase, sql, why, transactional: extra.transactional ?? true, ...(extra.table ? { table: extra.table } : {}), citus: !!extra.citus });
  }

  private note(phase: Phase, text: string, table?: string): void {
    this.notes.push({ phase, text, ...(table ? { table } : {}) });
  }

  /** A rollback step undoing something done in `phase`; blocked when it needs a stuck table back as a plain table. */
  private undoStep(phase: Phase, sql: string, why: string, tables: string[], extra: { citus?: boolean; table?: string } = {}): void {
    const stuck = tables.filter((t) => this.stuck.has(t));
    const blocked = stuck.length
      ? `${stuck.map(displayName).join(', ')} stay${stuck.length === 1 ? 's' : ''} distributed: undistribute_table refuses tables with identity columns`
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

  // ------------------------------------------------------------------ plan

  build(): Migration {
    for (const [key, d] of Object.entries(this.design.tables).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const t = this.table(key);
      if (t.partitionOf && d.kind !== 'local') {
        this.note('distribute', `${displayName(key)} is a partition of ${displayName(t.partitionOf.parent)}: it follows its parent and is not distributed on its own.`, key);
      }
      if (d.kind === 'distributed' && !d.column) throw new PlanError(`the design makes ${displayName(key)} distributed without a distribution column`);
      if (d.kind === 'distributed' && !d.backfill && !t.partitionOf && !t.columns.some((c) => c.name === d.column)) {
        throw new PlanError(`the design distributes ${displayName(key)} on ${d.column}, which the table does not have (give a backfill to add it)`);
      }
    }
    for (const key of this.targets()) {
      if (this.table(key).columns.some((c) => c.identity)) this.stuck.add(key);
    }
    this.planOrder();
    const fks = this.planForeignKeys();
    this.decideKept(fks);
    this.preflight();
    this.prepare();
    this.referenceTables(fks);
    this.constraints(fks);
    const order = this.distribute(fks);
    this.restore(fks);
    this.cleanup(order);
    for (const key of [...this.stuck].sort()) {
      const cols = this.table(key).columns.filter((c) => c.identity).map((c) => c.name);
      this.cannotUndo.push(
        `${displayName(key)} cannot be turned back into a plain table: undistribute_table refuses tables with identity columns (${cols.join(', ')}) — "cannot complete operation on a table with identity column"; its constraints, foreign keys and added columns are left as the migration made them.`,
      );
    }
    // The rollback runs each phase's undo, last phase first, except that every
    // table is undistributed together (reference tables last) before any key or
    // foreign key comes back: undistribute_table refuses tables with foreign keys.
    const undoOrder: Phase[] = ['cleanup', 'restore', 'distribute', 'constraints', 'reference', 'prepare', 'preflight'];
    return {
      citus: this.citus,
      shardCount: this.design.shardCount,
      concurrently: this.concurrently,
      steps: this.steps,
      notes: this.notes,
      foreignKeys: {
        rewritten: [...this.rewritten].sort(byTableAndName),
        dropped: [...this.dropped].sort(byTableAndName),
      },
      rollback: { steps: undoOrder.flatMap((p) => this.undo[p]), notes: this.undoNotes, cannotUndo: this.cannotUndo },
    };
  }

  /** Reference tables (referenced first), single-shard tables, then each colocation group, anchor first. */
  private planOrder(): void {
    const targets = this.targets();
    const fkDeps = (k: string) =>
      this.table(k)
        .foreignKeys.map((f) => f.refTable)
        .filter((r) => r !== k);
    this.refs = topoOrder(
      targets.filter((k) => this.kind(k) === 'reference'),
      fkDeps,
    );
    this.singles = topoOrder(
      targets.filter((k) => this.kind(k) === 'single-shard'),
      fkDeps,
    );
    const byAnchor = new Map<string, string[]>();
    for (const k of targets.filter((x) => this.kind(x) === 'distributed')) {
      const a = this.anchorOf(k);
      byAnchor.set(a, [...(byAnchor.get(a) ?? []), k]);
    }
    this.groups = [...byAnchor.keys()].sort().map((anchor) => ({
      anchor,
      members: [anchor, ...topoOrder(byAnchor.get(anchor)!.filter((m) => m !== anchor), fkDeps)],
    }));
    [...this.refs, ...this.singles, ...this.groups.flatMap((g) => g.members)].forEach((k, i) => this.created.set(k, i));
  }

  /** When a table becomes a Citus table (its parent's turn for a partition); undefined when it stays local. */
  private createdAt(key: string): number | undefined {
    return this.created.get(this.parentOrSelf(key));
  }

  /** Is create_distributed_table_concurrently used for this table? */
  private isConcurrent(key: string): boolean {
    return this.concurrently && this.kind(key) === 'distributed' && this.concurrentRefusal(key) === undefined;
  }

  // ------------------------------------------------------------------ 1. preflight

  private preflight(): void {
    const want = `{${this.version[0]},${this.version[1]}}`;
    const known = /^\d/.test(this.citus);
    const lines = [
      'DECLARE',
      '  v text;',
      'BEGIN',
      "  SELECT extversion INTO v FROM pg_extension WHERE extname = 'citus';",
      '  IF v IS NULL THEN',
      `    RAISE EXCEPTION 'shardwise: the citus extension is not installed in database %', current_database()`,
      `      USING HINT = 'Run CREATE EXTENSION citus; on the coordinator (citus must be in shared_preload_libraries).';`,
      '  END IF;',
    ];
    if (known) {
      lines.push(
        `  IF string_to_array(split_part(v, '-', 1), '.')::int[] < ${quoteLiteral(want)}::int[] THEN`,
        `    RAISE EXCEPTION 'shardwise: this migration was checked for Citus ${this.citus.replace(/'/g, "''")}; the database has Citus %', v`,
        `      USING HINT = 'Upgrade Citus, or generate the migration again with --citus set to this version.';`,
        '  END IF;',
      );
    }
    lines.push('END');
    this.step('preflight', `DO ${dollarQuote(lines.join('\n'), 'preflight')}`, `Stop before anything changes unless the citus extension${known ? ` (${this.citus} or later)` : ''} is installed.`, { citus: true });
    this.step(
      'preflight',
      `DO ${dollarQuote(
        [
          'BEGIN',
          '  IF NOT EXISTS (SELECT 1 FROM citus_get_active_worker_nodes()) THEN',
          "    RAISE EXCEPTION 'shardwise: no active worker node is registered with this coordinator'",
          "      USING HINT = 'Add the workers first: SELECT citus_add_node(''worker-host'', 5432);';",
          '  END IF;',
          'END',
        ].join('\n'),
        'preflight',
      )}`,
      'Shards are placed on the active workers: without one, every table would land on the coordinator.',
      { citus: true },
    );
    const concurrent = this.groups.flatMap((g) => g.members).filter((k) => this.isConcurrent(k));
    if (concurrent.length) {
      this.step(
        'preflight',
        `DO ${dollarQuote(
          [
            'BEGIN',
            '  IF NOT EXISTS (SELECT 1 FROM pg_dist_node WHERE groupid = 0) THEN',
            "    RAISE EXCEPTION 'shardwise: the coordinator is not in the Citus metadata (no pg_dist_node row with groupid 0), and create_distributed_table_concurrently needs it: it first makes each table a citus local table, which lives on the coordinator'",
            "      USING HINT = 'Add the coordinator first: SELECT citus_set_coordinator_host(''coordinator-host'', 5432);';",
            '  END IF;',
            'END',
          ].join('\n'),
          'preflight',
        )}`,
        `create_distributed_table_concurrently (used for ${concurrent.map(displayName).join(', ')}) first makes the table a citus local table, and Citus refuses that unless the coordinator is in the metadata ("operation is not allowed when coordinator is not added into metadata"): stop before anything changes rather than halfway.`,
        { citus: true },
      );
    }
    const targets = this.targets();
    if (!targets.length) return;
    const arr = `ARRAY[${targets.map(regclassLiteral).join(', ')}]`;
    this.step(
      'preflight',
      `DO ${dollarQuote(
        [
          'DECLARE',
          '  missing text;',
          '  done text;',
          'BEGIN',
          `  SELECT string_agg(t, ', ') INTO missing FROM unnest(${arr}) AS t WHERE to_regclass(t) IS NULL;`,
          '  IF missing IS NOT NULL THEN',
          "    RAISE EXCEPTION 'shardwise: the migration expects these tables, which this database does not have: %', missing;",
          '  END IF;',
          "  SELECT string_agg(logicalrelid::text, ', ' ORDER BY logicalrelid::text) INTO done FROM pg_dist_partition",
          `    WHERE logicalrelid = ANY (${arr}::regclass[]) AND NOT (partmethod = 'n' AND colocationid = 0);`,
          '  IF done IS NOT NULL THEN',
          "    RAISE EXCEPTION 'shardwise: already distributed or reference tables: %', done",
          "      USING HINT = 'This migration starts from plain PostgreSQL tables; has it run already?';",
          '  END IF;',
          'END',
        ].join('\n'),
        'preflight',
      )}`,
      `The ${targets.length} table${targets.length === 1 ? '' : 's'} the design changes must exist and must not be Citus tables yet (pg_dist_partition).`,
      { citus: true },
    );
  }

  // ------------------------------------------------------------------ 2. prepare

  private prepare(): void {
    const fills = this.backfills();
    const widen = this.planWidening(fills);
    const bigint = new Set<string>();
    for (const g of widen.filter((x) => !x.blockers.length)) {
      for (const c of [...g.columns, ...g.added]) bigint.add(node(c.table, c.column));
    }
    for (const b of fills) if (bigint.has(node(b.table, b.column))) b.type = 'bigint';
    const undoBefore = this.undo.prepare.length;
    this.widen(widen);
    const widenUndo = this.undo.prepare.splice(undoBefore);
    for (const b of fills) this.backfill(b);
    this.triggers();
    // rollback: the added columns go first, then the types come back
    this.undo.prepare.push(...widenUndo);
  }

  // ------------------------------------------------------------------ 2a. sequence-fed int columns to bigint

  /**
   * The columns Citus needs as bigint (citus-rules.md §7; the rules SEQ01 and
   * ID01 flag the same ones): int/smallint columns of Citus tables that take
   * their default from a sequence (serial, `DEFAULT nextval(...)`) from 11.0,
   * when metadata is synced to the workers, and int/smallint identity columns of
   * distributed tables from 11.2.1. Each comes with the columns that must keep
   * its type: the FK columns on either side, the distribution columns of its
   * colocation group, the columns fed by the same sequence, its partitions'.
   */
  private planWidening(fills: BackfillPlan[]): WidenGroup[] {
    const seeds = this.widenSeeds();
    if (!seeds.length) return [];
    // the column graph: each edge says what the column it reaches is to the one it comes from
    const edges = new Map<string, Array<{ to: string; label: string }>>();
    const link = (a: string, b: string, aFromB: string, bFromA: string) => {
      if (a === b) return;
      edges.set(b, [...(edges.get(b) ?? []), { to: a, label: aFromB }]);
      edges.set(a, [...(edges.get(a) ?? []), { to: b, label: bFromA }]);
    };
    const colName = (n: string) => `${displayName(unnode(n)[0])}.${unnode(n)[1]}`;
    const tables = Object.values(this.catalog.tables).sort((a, b) => (a.key < b.key ? -1 : 1));
    const bySequence = new Map<string, string[]>();
    for (const t of tables) {
      for (const fk of t.foreignKeys) {
        const refCols = fk.refColumns.length ? fk.refColumns : (this.catalog.tables[fk.refTable]?.primaryKey?.columns ?? []);
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
    for (const g of this.groups) {
      const anchor = node(g.anchor, this.distColumn(g.anchor)!);
      for (const m of g.members.slice(1)) {
        const a = node(m, this.distColumn(m)!);
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
          if (via.has(e.to) || !this.columnOf(e.to)) continue;
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
        const col = this.columnOf(n);
        const [table, column] = unnode(n);
        if (col === 'added') added.push({ table, column });
        if (!col || col === 'added') continue;
        if (col.type.base !== 'int4' && col.type.base !== 'int2') continue;
        const t = this.table(table);
        for (const b of this.widenBlockers(t, col)) blockers.add(b);
        const views = this.viewsReading(t);
        for (const v of views) viewsSeen.add(v);
        if (views.length) viewTables.add(t.partitionOf?.parent ?? table);
        if (col.defaultSequence && !col.identity) {
          const s = this.catalog.sequences[col.defaultSequence];
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
      const order = (w: WidenColumn) => this.table(w.table).columns.findIndex((c) => c.name === w.column);
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

  /** The sequence-fed int/smallint columns Citus needs as bigint, with what goes wrong otherwise. */
  private widenSeeds(): WidenSeed[] {
    const out: WidenSeed[] = [];
    for (const key of this.targets()) {
      const t = this.table(key);
      const kind = this.kind(key);
      for (const c of t.columns) {
        if (c.type.base !== 'int4' && c.type.base !== 'int2') continue;
        const what = `${displayName(key)}.${c.name} (${c.type.display})`;
        if (c.identity) {
          if (kind !== 'distributed' && kind !== 'single-shard') continue;
          if (!this.atLeast(11, 2)) {
            this.note('prepare', `${what} is an identity column: Citus ${this.citus} does not distribute tables with identity columns (support came in 11.2). Upgrade Citus, or replace the identity with a bigint column whose default is nextval() of a sequence, before this migration.`, key);
            continue;
          }
          if (!this.atLeast(11, 2, 1)) continue;
          if (t.relkind === 'partitioned' && !this.atLeast(13)) continue; // refused whatever its type (13.0 added it)
          const seq = c.identity.sequence.split('.').slice(1).join('.');
          out.push({
            table: key,
            column: c.name,
            consequence: this.atLeast(12)
              ? `${what} is an identity column: inserts run on a worker node cannot draw from an int or smallint identity (nextval: reached maximum value of sequence "${seq}" (${c.type.base === 'int2' ? 32767 : 2147483647})), only the coordinator can`
              : `${what} is an identity column, and Citus ${this.citus} only distributes tables whose identity columns are bigint ("cannot complete operation on ${key} with smallint/int identity column")`,
          });
        } else if (c.serial || c.defaultSequence !== undefined) {
          if (!this.atLeast(11)) continue;
          out.push({
            table: key,
            column: c.name,
            consequence: `${what} takes its default from ${c.defaultSequence ? `sequence ${displayName(c.defaultSequence)}` : 'a sequence'}: inserts run on a worker node cannot draw from it ("nextval(sequence) calls in worker nodes are not supported for column defaults of type int or smallint"), only the coordinator can`,
          });
        }
      }
    }
    return out;
  }

  /** A catalog column, 'added' for a distribution column the migration adds, undefined for none. */
  private columnOf(n: string): Column | 'added' | undefined {
    const [table, column] = unnode(n);
    const t = this.catalog.tables[table];
    if (!t) return undefined;
    return t.columns.find((c) => c.name === column) ?? (this.added.get(table)?.has(column) ? 'added' : undefined);
  }

  /** The views (and materialized views) that read a table or its partitioned parent. */
  private viewsReading(t: Table): string[] {
    const keys = [t.key, ...(t.partitionOf ? [t.partitionOf.parent] : [])];
    return Object.values(this.catalog.views)
      .filter((v) => v.reads.some((r) => keys.includes(r)))
      .map((v) => v.key);
  }

  /** Why PostgreSQL would refuse ALTER COLUMN TYPE here (views aside), or why the change would be more than a type. */
  private widenBlockers(t: Table, col: Column): string[] {
    const out: string[] = [];
    const root = t.partitionOf ? this.catalog.tables[t.partitionOf.parent] : undefined;
    const mentions = (text: string | undefined) => !!text && new RegExp(`(^|[^\\w$])"?${col.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?($|[^\\w$])`).test(text);
    if (t.rules.length) out.push(`${displayName(t.key)} has rules (PostgreSQL refuses to change the type of a column a rule uses)`);
    if (t.relkind === 'foreign') out.push(`${displayName(t.key)} is a foreign table (its remote column would not change)`);
    if (t.inherits.length || Object.values(this.catalog.tables).some((o) => o.inherits.includes(t.key))) out.push(`${displayName(t.key)} takes part in inheritance`);
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
  private widen(groups: WidenGroup[]): void {
    const order = (w: WidenColumn) => this.table(w.table).columns.findIndex((c) => c.name === w.column);
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
      this.note(
        'prepare',
        `${g.seeds.map((x) => x.consequence).join('. ')}. Citus refuses to change the type once the table is distributed, so it should become bigint before this migration${others > 0 ? `, with the ${others} column${others === 1 ? '' : 's'} that must keep its type` : ''}, but this migration does not do it: ${shown}. By hand, before running it: ${[...alters(g.columns).map((a) => a.sql.replace(/\n\s*/g, ' ')), ...sequences([g]).map((x) => x.sql)].join('; ')};`,
        g.seeds[0].table,
      );
    }
    const ok = groups.filter((x) => !x.blockers.length);
    const steps = alters(ok.flatMap((g) => g.columns));
    const seqs = sequences(ok);
    for (const a of steps) {
      this.step(
        'prepare',
        a.sql,
        `To bigint: ${a.cols.map((c) => c.why).join('; ')}. Citus refuses to change the type once the table is distributed, so it changes now, on the plain table (PostgreSQL rewrites the table and its indexes under an ACCESS EXCLUSIVE lock).`,
        { table: a.table },
      );
    }
    for (const x of seqs) {
      this.step('prepare', x.sql, `${displayName(x.key)} feeds ${x.users.map(displayName).join(', ')}, just widened: a bigint sequence, so that each worker draws from its own range of values.`, { table: x.users[0] });
    }
    // rollback, last change first
    for (const x of [...seqs].reverse()) {
      this.undoStep('prepare', x.back, `${displayName(x.key)} back to ${x.dataType}; this fails if it has already handed out a value that does not fit.`, x.users, { table: x.users[0] });
    }
    for (const a of [...steps].reverse()) {
      this.undoStep('prepare', a.back, `Back to the type${a.cols.length === 1 ? '' : 's'} before the migration; this fails if a value no longer fits.`, [a.table], { table: a.table });
    }
  }

  private backfills(): BackfillPlan[] {
    const keys = Object.keys(this.design.tables)
      .filter((k) => this.design.tables[k].kind === 'distributed' && this.design.tables[k].backfill)
      .sort();
    const byKey = new Map(keys.map((k) => [k, this.design.tables[k]]));
    const deps = new Map<string, string[]>();
    for (const k of keys) {
      const b = byKey.get(k)!.backfill!;
      const hops = b.path?.length ? b.path : [{ table: k, columns: b.join, refTable: b.from, refColumns: [] as string[] }];
      deps.set(k, hops.map((h) => h.refTable).filter((r) => byKey.has(r) && r !== k));
    }
    const ordered = topoOrder(keys, (k) => deps.get(k) ?? []);
    const out: BackfillPlan[] = [];
    for (const k of ordered) {
      const d = byKey.get(k)!;
      const column = d.column!;
      const t = this.table(k);
      if (t.partitionOf) continue;
      const b = d.backfill!;
      const path = (b.path?.length ? b.path : [{ table: k, columns: b.join, refTable: b.from, refColumns: [] }]).map((h) => ({
        table: h.table,
        columns: [...h.columns],
        refTable: h.refTable,
        refColumns: h.refColumns.length ? [...h.refColumns] : this.refColumnsOf(h.table, h.columns, h.refTable),
      }));
      if (path[0].table !== k) throw new PlanError(`the backfill path of ${displayName(k)} does not start at ${displayName(k)}`);
      let hops: BackfillPlan['hops'] | undefined;
      for (let i = 0; i < path.length; i++) {
        if (this.hasColumn(path[i].refTable, column)) {
          hops = path.slice(0, i + 1);
          break;
        }
      }
      if (!hops) throw new PlanError(`no table on the backfill path of ${displayName(k)} has the column ${column} to copy`);
      const end = hops[hops.length - 1].refTable;
      const src = this.sourceColumn(end, column);
      const collation = src.collation ? ` COLLATE ${src.collation.split('.').map(quoteIdent).join('.')}` : '';
      out.push({ table: k, column, type: `${src.type.display}${collation}`, hops, sourceColumn: column });
      if (!t.columns.some((c) => c.name === column)) {
        const set = this.added.get(k) ?? new Set<string>();
        set.add(column);
        this.added.set(k, set);
      }
    }
    return out;
  }

  /** The referenced columns of the FK on `table` over `columns` to `refTable`, else refTable's primary key. */
  private refColumnsOf(table: string, columns: string[], refTable: string): string[] {
    const fk = this.table(table).foreignKeys.find((f) => f.refTable === refTable && f.columns.join(',') === columns.join(','));
    const cols = fk?.refColumns ?? this.table(refTable).primaryKey?.columns;
    if (!cols?.length) throw new PlanError(`cannot tell which columns of ${displayName(refTable)} ${displayName(table)}(${columns.join(', ')}) joins to`);
    return [...cols];
  }

  /** The column a backfill copies (native, or added by an earlier backfill: then its own source). */
  private sourceColumn(key: string, column: string): Column {
    const native = this.table(key).columns.find((c) => c.name === column);
    if (native) return native;
    const b = this.design.tables[key]?.backfill;
    if (!b) throw new PlanError(`${displayName(key)} has no column ${column}`);
    const path = b.path?.length ? b.path : [{ refTable: b.from }];
    for (const h of path) {
      const c = this.table(h.refTable).columns.find((x) => x.name === column);
      if (c) return c;
    }
    return this.sourceColumn(b.from, column);
  }

  private backfill(b: BackfillPlan): void {
    const t = this.table(b.table);
    const tn = sqlName(b.table);
    const col = quoteIdent(b.column);
    const pathText = [displayName(b.table), ...b.hops.map((h) => displayName(h.refTable))].join(' -> ');
    const exists = t.columns.some((c) => c.name === b.column);
    if (!exists) {
      this.step('prepare', `ALTER TABLE ${tn} ADD COLUMN ${col} ${b.type}`, `${displayName(b.table)} has no ${b.column} yet: add it (nullable, no default, so no table rewrite) before filling it.`, { table: b.table });
      this.undoStep('prepare', `ALTER TABLE ${tn} DROP COLUMN ${col}`, `Drop the distribution column the migration added to ${displayName(b.table)}.`, [b.table], { table: b.table });
    }
    const procKey = `${t.schema}.shardwise_backfill_${this.steps.filter((s) => s.sql.startsWith('CREATE PROCEDURE')).length + 1}`;
    const proc = sqlName(procKey, true);
    this.step(
      'prepare',
      `CREATE PROCEDURE ${proc}(_sw_batch integer)\nLANGUAGE plpgsql\nAS ${dollarQuote(this.backfillBody(b), 'backfill')}`,
      `Fills ${displayName(b.table)}.${b.column} along ${pathText}, ${t.primaryKey ? 'in keyed ranges of the primary key' : 'in batches of rows still NULL (no primary key)'}, committing after each batch so that a live system only ever waits for one batch.`,
      { table: b.table },
    );
    this.step('prepare', `CALL ${proc}(${this.batch})`, `Run the fill, ${this.batch} rows per transaction; the procedure commits between batches, so CALL must not run inside BEGIN ... COMMIT. Safe to run again: it only fills rows that are still NULL.`, {
      table: b.table,
      transactional: false,
    });
    this.step('prepare', `DROP PROCEDURE ${proc}(integer)`, 'The fill procedure is not needed any more.', { table: b.table });
    this.step(
      'prepare',
      `ALTER TABLE ${tn} ALTER COLUMN ${col} SET NOT NULL`,
      `Every row must now have ${b.column}: Citus refuses NULL distribution keys ("the partition column of table ... cannot be NULL"). This fails if a row has no path to a value (a NULL or dangling ${b.hops[0].columns.join(', ')}), or was inserted after the fill passed its range: have the application write ${b.column} on insert before this migration, or CALL the fill once more before the procedure is dropped.`,
      { table: b.table },
    );
    if (exists) this.undoStep('prepare', `ALTER TABLE ${tn} ALTER COLUMN ${col} DROP NOT NULL`, `${b.column} was nullable before the migration.`, [b.table], { table: b.table });
  }

  /** PL/pgSQL of the batched fill. */
  private backfillBody(b: BackfillPlan): string {
    const t = this.table(b.table);
    const tn = sqlName(b.table);
    const col = quoteIdent(b.column);
    const from = b.hops.map((h, i) => `${sqlName(h.refTable)} AS _sw_p${i + 1}`).join(', ');
    const joinConds = (alias: string) =>
      b.hops.flatMap((h, i) => h.columns.map((c, j) => `${i === 0 ? alias : `_sw_p${i}`}.${quoteIdent(c)} = _sw_p${i + 1}.${quoteIdent(h.refColumns[j])}`));
    const src = `_sw_p${b.hops.length}.${quoteIdent(b.sourceColumn)}`;
    const update = (extra: string[]) =>
      [`  UPDATE ${tn} AS _sw_t SET ${col} = ${src}`, `  FROM ${from}`, `  WHERE ${[...joinConds('_sw_t'), `_sw_t.${col} IS NULL`, ...extra].join('\n    AND ')};`].join('\n');
    const pk = t.primaryKey?.columns;
    if (!pk?.length) {
      return [
        'DECLARE',
        '  _sw_n bigint;',
        'BEGIN',
        '  LOOP',
        update([
          `_sw_t.ctid = ANY (ARRAY(\n      SELECT _sw_b.ctid FROM ${tn} AS _sw_b, ${b.hops.map((h, i) => `${sqlName(h.refTable)} AS _sw_q${i + 1}`).join(', ')}\n      WHERE ${[
            ...b.hops.flatMap((h, i) => h.columns.map((c, j) => `${i === 0 ? '_sw_b' : `_sw_q${i}`}.${quoteIdent(c)} = _sw_q${i + 1}.${quoteIdent(h.refColumns[j])}`)),
            `_sw_b.${col} IS NULL`,
            `_sw_q${b.hops.length}.${quoteIdent(b.sourceColumn)} IS NOT NULL`,
          ].join(' AND ')}\n      LIMIT _sw_batch))`,
        ]).replace(/^ {2}/gm, '    '),
        '    GET DIAGNOSTICS _sw_n = ROW_COUNT;',
        '    COMMIT;',
        '    EXIT WHEN _sw_n = 0;',
        '  END LOOP;',
        'END',
      ].join('\n');
    }
    const keyType = (c: string) => `${sqlName(b.table, true)}.${quoteIdent(c)}%TYPE`;
    const lo = pk.map((_, i) => `_sw_lo_${i + 1}`);
    const hi = pk.map((_, i) => `_sw_hi_${i + 1}`);
    const keys = columnList(pk);
    const tkeys = `(${pk.map((c) => `_sw_t.${quoteIdent(c)}`).join(', ')})`;
    const desc = pk.map((c) => `_sw_k.${quoteIdent(c)} DESC`).join(', ');
    const bound = (where: string) =>
      `  SELECT ${pk.map((c) => `_sw_k.${quoteIdent(c)}`).join(', ')} INTO ${hi.join(', ')}\n  FROM (SELECT ${keys} FROM ${tn}${where} ORDER BY ${keys} LIMIT _sw_batch) AS _sw_k\n  ORDER BY ${desc} LIMIT 1;`;
    return [
      'DECLARE',
      ...pk.flatMap((c, i) => [`  ${lo[i]} ${keyType(c)};`, `  ${hi[i]} ${keyType(c)};`]),
      'BEGIN',
      bound(''),
      '  IF NOT FOUND THEN RETURN; END IF;',
      update([`${tkeys} <= (${hi.join(', ')})`]),
      '  COMMIT;',
      '  LOOP',
      `    ${lo.map((l, i) => `${l} := ${hi[i]};`).join(' ')}`,
      bound(` WHERE (${keys}) > (${lo.join(', ')})`).replace(/^ {2}/gm, '    '),
      '    EXIT WHEN NOT FOUND;',
      update([`${tkeys} > (${lo.join(', ')})`, `${tkeys} <= (${hi.join(', ')})`]).replace(/^ {2}/gm, '    '),
      '    COMMIT;',
      '  END LOOP;',
      'END',
    ].join('\n');
  }

  private triggers(): void {
    const withTriggers = this.targets().filter((k) => this.table(k).triggers.some((tr) => !tr.constraint));
    if (!withTriggers.length) return;
    const list = withTriggers.map((k) => `${displayName(k)} (${this.table(k).triggers.filter((tr) => !tr.constraint).map((tr) => tr.name).join(', ')})`).join('; ');
    this.step(
      'prepare',
      'SET citus.enable_unsafe_triggers = on',
      `Citus refuses to distribute tables with triggers ("cannot distribute relation ... because it has triggers") unless this is on: ${list}. With it on, each trigger runs on the shards, per shard: one that reads or writes other tables only sees the rows of that shard (or must touch reference tables only). Review each one, or drop it before running this.`,
      { citus: true },
    );
    this.undoStep('prepare', 'RESET citus.enable_unsafe_triggers', 'Back to the default: Citus refuses triggers on Citus tables.', [], { citus: true });
  }

  // ------------------------------------------------------------------ foreign keys

  /**
   * Every FK that touches a table changing kind, with its verdict. A
   * partition's own FKs (not cloned from its parent) are merged by shape into
   * one on the partitioned parent, where Citus takes it like any FK of a
   * distributed table (a partition's own FK it does not).
   */
  private planForeignKeys(): FkPlan[] {
    const out: FkPlan[] = [];
    const partitionGroups = new Map<string, Array<{ table: Table; fk: ForeignKey; at: number }>>();
    for (const t of Object.values(this.catalog.tables).sort((a, b) => (a.key < b.key ? -1 : 1))) {
      const parentFks = t.partitionOf ? new Set(this.catalog.tables[t.partitionOf.parent]?.foreignKeys.map((f) => f.name) ?? []) : new Set<string>();
      for (const fk of t.foreignKeys) {
        if (parentFks.has(fk.name)) continue; // cloned from the partitioned parent
        if (!this.changes(t.key) && !this.changes(fk.refTable)) continue;
        if (t.partitionOf && this.kind(t.key) !== 'local' && this.catalog.tables[t.partitionOf.parent]) {
          const refColumns = fk.refColumns.length ? fk.refColumns : (this.catalog.tables[fk.refTable]?.primaryKey?.columns ?? []);
          const sig = JSON.stringify([t.partitionOf.parent, fk.columns, fk.refTable, refColumns, fk.onDelete, fk.onUpdate, fk.match, fk.deferrable, fk.initiallyDeferred]);
          partitionGroups.set(sig, [...(partitionGroups.get(sig) ?? []), { table: t, fk, at: out.length }]);
          out.push({ table: t.key, fk, verdict: { ok: false, reason: '' }, keep: false, early: false });
          continue;
        }
        const v = this.fkVerdict(t, fk);
        out.push({ table: t.key, fk, verdict: v.ok ? { ok: true, on: t.key, shape: v.shape, changes: v.changes, primary: true } : v, keep: false, early: false });
      }
    }
    const taken = new Set<string>();
    for (const t of Object.values(this.catalog.tables)) {
      for (const n of [t.primaryKey?.name, ...t.uniques.filter((u) => u.source === 'constraint').map((u) => u.name), ...t.checks.map((c) => c.name), ...t.exclusions.map((x) => x.name), ...t.foreignKeys.map((f) => f.name)]) {
        if (n) taken.add(`${t.schema}\u0000${n}`);
      }
    }
    for (const members of partitionGroups.values()) {
      const first = members[0];
      const parent = this.table(first.table.partitionOf!.parent);
      const alone = `it is defined on the partition alone, and Citus does not take a partition's own foreign key`;
      let verdict: FkVerdict;
      if (members.some((m) => m.fk.notValid)) {
        verdict = { ok: false, reason: `${alone}; it is NOT VALID, which a foreign key on the partitioned ${displayName(parent.key)} cannot be` };
      } else {
        const schemaTaken = new Set([...taken].filter((x) => x.startsWith(`${parent.schema}\u0000`)).map((x) => x.slice(parent.schema.length + 1)));
        const name = foreignKeyName(parent.name, first.fk.columns, schemaTaken);
        taken.add(`${parent.schema}\u0000${name}`);
        const v = this.fkVerdict(parent, { ...first.fk, name, notValid: false });
        if (!v.ok) {
          verdict = { ok: false, reason: `${alone}, and on the partitioned ${displayName(parent.key)} Citus refuses it too: ${v.reason}` };
        } else {
          const partitions = Object.values(this.catalog.tables)
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
  private decideKept(fks: FkPlan[]): void {
    for (const p of fks) {
      const v = p.verdict;
      const plain = v.ok && !v.changes.length && v.on === p.table && !this.table(p.table).partitionOf;
      if (plain && this.kind(p.table) !== 'local') {
        if (p.table === p.fk.refTable) p.keep = true;
        else if (this.kind(p.fk.refTable) === 'reference' && this.createdAt(p.fk.refTable)! < this.createdAt(p.table)! && !this.isConcurrent(p.table)) p.keep = true;
      }
      p.early = !p.keep && (this.kind(p.table) === 'reference' || this.kind(p.fk.refTable) === 'reference');
    }
  }

  /** Why an FK is out of the way while the tables change kind. */
  private dropWhy(p: FkPlan): string {
    const t = displayName(p.table);
    const r = displayName(p.fk.refTable);
    const v = p.verdict;
    if (!v.ok) return 'Citus cannot enforce it under this design: it is dropped for good (see the restore phase)';
    if (v.on !== p.table) return `it is defined on the partition ${t} alone; it comes back once, on ${displayName(v.on)} (see the restore phase)`;
    if (v.changes.length) return 'Citus takes it only in another form: it comes back rewritten (see the restore phase)';
    const from = this.createdAt(p.table);
    const to = this.createdAt(p.fk.refTable);
    if (p.table !== p.fk.refTable && this.isConcurrent(p.table)) {
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
  private fkVerdict(t: Table, fk: ForeignKey): { ok: true; shape: FkShape; changes: string[] } | { ok: false; reason: string } {
    const from = this.kind(t.key);
    const to = this.kind(fk.refTable);
    const refColumns = fk.refColumns.length ? fk.refColumns : (this.catalog.tables[fk.refTable]?.primaryKey?.columns ?? []);
    const base: FkShape = { ...fk, refColumns };
    const same = { ok: true as const, shape: base, changes: [] as string[] };
    const setDefaultOnSeq =
      (fk.onDelete === 'set default' || fk.onUpdate === 'set default') && fk.columns.some((c) => t.columns.find((x) => x.name === c)?.defaultSequence || /nextval\(/i.test(t.columns.find((x) => x.name === c)?.default ?? ''));
    if (setDefaultOnSeq) return { ok: false, reason: 'cannot create foreign key constraint since Citus does not support ON DELETE / UPDATE SET DEFAULT actions on the columns that default to sequences' };
    const E4 = 'cannot create foreign key constraint since foreign keys from reference tables and local tables to distributed tables are not supported';
    const E1 = `referenced table "${splitKey(fk.refTable).name}" must be a distributed table or a reference table`;
    const E2 = 'cannot create foreign key constraint since relations are not colocated or not referencing a reference table';
    const E3 = 'cannot create foreign key constraint: Foreign keys are supported in two cases, either in between two colocated tables including partition column in the same ordinal in the both tables or from distributed to reference tables';
    const isDist = (k: Kind) => k === 'distributed' || k === 'single-shard';
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
    const key = this.distColumn(t.key)!;
    if (to === 'reference') return this.fkActions(base, key, [], false);
    if (to === 'single-shard' || !this.colocated(t.key, fk.refTable)) return { ok: false, reason: E2 };
    const refKey = this.distColumn(fk.refTable)!;
    const at = fk.columns.indexOf(key);
    if (at !== -1) {
      if (refColumns[at] !== refKey) return { ok: false, reason: E3 };
      return this.fkActions(base, key, [], false);
    }
    if (refColumns.includes(refKey)) return { ok: false, reason: E3 };
    const shape = { ...base, columns: [key, ...fk.columns], refColumns: [refKey, ...refColumns] };
    return this.fkActions(
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
  private fkActions(shape: FkShape, key: string, changes: string[], keyAdded: boolean): { ok: true; shape: FkShape; changes: string[] } | { ok: false; reason: string } {
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
        const ref = this.catalog.tables[shape.refTable];
        const col = ref?.columns.find((x) => x.name === c);
        if (this.distColumn(shape.refTable) === c) fixed.push(`${c} is the distribution column of ${displayName(shape.refTable)}, which Citus never lets change`);
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

  // ------------------------------------------------------------------ 3. reference tables

  private referenceTables(fks: FkPlan[]): void {
    for (const p of fks.filter((x) => x.early)) {
      this.step('reference', dropConstraint(p.table, p.fk.name), `${displayName(p.table)} -> ${displayName(p.fk.refTable)}: out of the way before the reference tables are made: ${this.dropWhy(p)}.`, { table: p.table });
      this.undoStep('reference', this.originalFk(p), `Put back ${p.fk.name} as it was before the migration.`, [p.table, p.fk.refTable], { table: p.table });
    }
    if (!this.refs.length) return;
    const staying = fks.filter((p) => p.keep && p.table !== p.fk.refTable && this.kind(p.fk.refTable) === 'reference');
    if (staying.length) {
      const from = [...new Set(staying.map((p) => p.table))].map(displayName);
      const pairs = [...new Set(staying.map((p) => `${displayName(p.table)} -> ${displayName(p.fk.refTable)}`))];
      const one = from.length === 1;
      this.step(
        'reference',
        'SET citus.enable_local_reference_table_foreign_keys = off',
        `The foreign key${pairs.length === 1 ? '' : 's'} ${pairs.join(', ')} stay${pairs.length === 1 ? 's' : ''} in place, from ${one ? 'a table that becomes' : 'tables that become'} a Citus table only later. With this setting on (the default) and the coordinator in the metadata, create_reference_table would turn ${from.join(', ')}, and every table FK-linked to ${one ? 'it' : 'them'}, into citus local tables, which create_distributed_table then copies back into plain tables first (and refuses for tables with identity columns). Off for these calls, ${one ? 'it stays a plain table' : 'they stay plain tables'} until ${one ? 'it becomes a Citus table' : 'they become Citus tables'}, when Citus checks the foreign keys like any other to a reference table.`,
        { citus: true },
      );
    }
    for (const k of this.refs) {
      const t = this.table(k);
      if (t.relkind === 'partitioned') this.note('reference', `${displayName(k)} is partitioned: Citus only distributes partitioned tables by hash ("distributing partitioned tables in only supported for hash-distributed tables").`, k);
      const incoming = staying.filter((p) => p.fk.refTable === k);
      const stay = incoming.length ? ` The foreign key${incoming.length === 1 ? '' : 's'} to it (${incoming.map((p) => `${p.fk.name} on ${displayName(p.table)}`).join(', ')}) stay${incoming.length === 1 ? 's' : ''} in place: Citus accepts a distributed table referencing a reference table.` : '';
      this.step('reference', `SELECT create_reference_table(${regclassLiteral(k)})`, `${displayName(k)} becomes a reference table: one copy on every node, joinable with any distributed table.${stay}`, { table: k, citus: true });
    }
    if (staying.length) this.step('reference', 'RESET citus.enable_local_reference_table_foreign_keys', 'Back to the default: a foreign key between a plain table and a reference table makes the plain table a citus local table.', { citus: true });
  }

  /** The FK as it was before the migration. */
  private originalFk(p: FkPlan): string {
    return addForeignKey(p.table, { ...p.fk, refColumns: p.fk.refColumns.length ? p.fk.refColumns : (this.catalog.tables[p.fk.refTable]?.primaryKey?.columns ?? []) });
  }

  // ------------------------------------------------------------------ 4. constraints

  private constraints(fks: FkPlan[]): void {
    const moved = fks.filter((p) => !p.keep && !p.early);
    for (const p of moved) {
      this.step('constraints', dropConstraint(p.table, p.fk.name), `${displayName(p.table)} -> ${displayName(p.fk.refTable)}: out of the way while the tables change kind: ${this.dropWhy(p)}.`, { table: p.table });
    }
    for (const key of this.targets().filter((k) => this.kind(k) === 'distributed')) {
      this.rewriteUniques(key);
      for (const part of Object.values(this.catalog.tables).filter((t) => t.partitionOf?.parent === key).sort((a, b) => (a.key < b.key ? -1 : 1))) {
        this.rewriteUniques(part.key, this.table(key));
      }
    }
    // rollback of this phase, in reverse: keys first (FKs need them), then the
    // original FKs: those dropped here, and those that stayed (dropped for undistribute_table)
    for (const p of fks.filter((x) => !x.early && !(x.keep && x.table === x.fk.refTable && this.stuck.has(x.table)))) {
      this.undoStep('constraints', this.originalFk(p), `Put back ${p.fk.name} as it was before the migration.`, [p.table, p.fk.refTable], { table: p.table });
    }
  }

  /** With `parent`: a partition's own keys only (those its parent has are the parent's to change). */
  private rewriteUniques(key: string, parent?: Table): void {
    const t = this.table(key);
    const col = this.distColumn(key)!;
    const sameKey = (a: UniqueKey, b: UniqueKey) => a.columns.join(',') === b.columns.join(',') && a.expressions.join(',') === b.expressions.join(',');
    const ownPk = !parent || !parent.primaryKey;
    const ownUniques = t.uniques.filter((u) => !parent || !parent.uniques.some((p) => sameKey(p, u)));
    const rewrites: UniqueRewrite[] = [];
    const lost = (cols: ReadonlyArray<string | null>, expressions: ReadonlyArray<string>) =>
      `(${indexElements(cols, expressions).join(', ')}) is then unique only per ${col}: two rows with different ${col} may share it`;
    if (ownPk && t.primaryKey && !t.primaryKey.columns.includes(col)) {
      const cols = [col, ...t.primaryKey.columns];
      rewrites.push({
        table: key,
        kind: 'primary',
        name: t.primaryKey.name,
        drop: dropConstraint(key, t.primaryKey.name),
        create: addPrimaryKey(key, t.primaryKey, cols),
        restore: addPrimaryKey(key, t.primaryKey, t.primaryKey.columns),
        original: lost(t.primaryKey.columns, []),
      });
    }
    for (const u of ownUniques) {
      if (u.columns.includes(col)) continue;
      rewrites.push(this.uniqueRewrite(key, u, col, lost(u.columns, u.expressions)));
    }
    for (const x of parent ? [] : t.exclusions) {
      if (!x.elements.some((e) => e.column === col && e.operator.split('.').pop() === '=')) {
        this.note('constraints', `${displayName(key)}: exclusion constraint ${x.name} does not include ${col} with =; Citus refuses to distribute the table until it does (add "${col} WITH =", which needs btree_gist for a gist index).`, key);
      }
    }
    for (const r of rewrites) {
      this.step('constraints', r.drop, `${displayName(key)} is distributed on ${col}: Citus only allows PRIMARY KEY / UNIQUE that include it. Drop ${r.name} ...`, { table: key });
      this.step('constraints', r.create, `... and make it again, same name, with ${col} first. Uniqueness lost: ${r.original}.`, { table: key });
    }
    for (const r of [...rewrites].reverse()) {
      this.undoStep('constraints', r.drop, `Drop the ${r.name} the migration made with ${col} ...`, [key], { table: key });
      this.undoStep('constraints', r.restore, `... and make the original ${r.name} again.`, [key], { table: key });
    }
    // A primary key makes its columns NOT NULL, and dropping it leaves them so.
    const madeNotNull = rewrites.some((r) => r.kind === 'primary') && t.columns.some((c) => c.name === col && !c.notNull);
    if (madeNotNull) {
      this.undoStep('constraints', `ALTER TABLE ${sqlName(key)} ALTER COLUMN ${quoteIdent(col)} DROP NOT NULL`, `${col} was nullable before its primary key included it.`, [key], { table: key });
    }
  }

  private uniqueRewrite(key: string, u: UniqueKey, col: string, lost: string): UniqueRewrite {
    if (u.source === 'constraint') {
      const cols = u.columns.filter((c): c is string => c !== null);
      return { table: key, kind: 'constraint', name: u.name, drop: dropConstraint(key, u.name), create: addUniqueConstraint(key, u, [col, ...cols]), restore: addUniqueConstraint(key, u, cols), original: lost };
    }
    const index = this.table(key).indexes.find((i) => i.name === u.name);
    return {
      table: key,
      kind: 'index',
      name: u.name,
      drop: dropIndex(key, u.name),
      create: createUniqueIndex(key, u, index, [quoteIdent(col), ...indexElements(u.columns, u.expressions)]),
      restore: createUniqueIndex(key, u, index, indexElements(u.columns, u.expressions)),
      original: lost,
    };
  }

  // ------------------------------------------------------------------ 5. distribute

  private distribute(fks: FkPlan[]): string[] {
    const order: string[] = [...this.refs];
    for (const k of this.singles) {
      this.step('distribute', `SELECT create_distributed_table(${regclassLiteral(k)}, NULL)`, `${displayName(k)} becomes a single-shard distributed table (no distribution column).`, { table: k, citus: true });
      order.push(k);
    }
    const anchors = this.groups.map((g) => g.anchor);
    for (const { anchor, members } of this.groups) {
      for (const k of members) {
        const col = this.distColumn(k)!;
        const args = [regclassLiteral(k), quoteLiteral(col)];
        const sc = this.design.tables[k].shardCount;
        if (k === anchor) {
          if (anchors.length > 1) args.push(`colocate_with => 'none'`);
          if ((sc ?? this.design.shardCount) !== 32) args.push(`shard_count => ${sc ?? this.design.shardCount}`);
        } else args.push(`colocate_with => ${regclassLiteral(anchor)}`);
        const concurrent = this.concurrently ? this.concurrentRefusal(k) : 'not asked';
        const fn = concurrent === undefined ? 'create_distributed_table_concurrently' : 'create_distributed_table';
        let why =
          k === anchor
            ? `${displayName(k)} is distributed on ${col}${members.length > 1 ? `, first of its colocation group (${members.map(displayName).join(', ')})` : ''}${anchors.length > 1 ? `; colocate_with => 'none' keeps the groups apart` : ''}.`
            : `${displayName(k)} is distributed on ${col}, colocated with ${displayName(anchor)}: same shard for the same ${col}, so joins and foreign keys on it stay on one node.`;
        if (concurrent === undefined) why += ' Concurrently: writes continue while the shards are copied; it cannot run inside a transaction block, and it first makes the table a citus local table, so the coordinator must be in the metadata (checked in the preflight).';
        else if (this.concurrently) why += ` Not concurrently: ${concurrent}; the blocking call takes a lock that stops writes until the copy is done.`;
        this.step('distribute', `SELECT ${fn}(${args.join(', ')})`, why, { table: k, citus: true, transactional: concurrent !== undefined });
        order.push(k);
      }
    }
    // rollback: the FKs that stayed out of undistribute_table's way (it refuses
    // tables with foreign keys; they come back as they were with the keys), then
    // every table back, last distributed first
    for (const p of fks.filter((x) => x.keep && !(x.table === x.fk.refTable && this.stuck.has(x.table)))) {
      this.undoStep('distribute', dropConstraint(p.table, p.fk.name), `${p.fk.name} stayed in place through the migration; undistribute_table refuses tables with foreign keys, so it is dropped here and comes back as it was further down.`, [], { table: p.table });
    }
    for (const k of [...order].reverse()) {
      this.undoStep('distribute', `SELECT undistribute_table(${regclassLiteral(k)})`, `${displayName(k)} back to a plain PostgreSQL table: its rows come back from the shards.`, [k], { table: k, citus: true });
    }
    return order;
  }

  /** Why create_distributed_table_concurrently cannot take this table (Citus), or undefined. */
  private concurrentRefusal(key: string): string | undefined {
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

  // ------------------------------------------------------------------ 6. restore

  private restore(fks: FkPlan[]): void {
    for (const p of fks) {
      if (p.verdict.ok) continue;
      this.dropped.push({ table: p.table, name: p.fk.name, columns: [...p.fk.columns], refTable: p.fk.refTable, reason: p.verdict.reason });
      this.note('restore', `dropped for good: ${p.fk.name} on ${displayName(p.table)} (${p.fk.columns.join(', ')}) -> ${displayName(p.fk.refTable)}: ${p.verdict.reason}`, p.table);
    }
    for (const p of fks) {
      const v = p.verdict;
      if (!v.ok || p.keep || !v.primary) continue;
      const { shape, changes, on } = v;
      const from = this.kind(on);
      const to = this.kind(p.fk.refTable);
      let why = `${displayName(on)} -> ${displayName(p.fk.refTable)} (${from} -> ${to}): a foreign key Citus enforces.`;
      if (changes.length) {
        why += ` Re-added in the form Citus accepts: ${changes.join('; ')}.`;
        const merged = fks.filter((x) => x.verdict.ok && x.verdict.on === on && x.verdict.shape.name === shape.name);
        for (const m of merged) this.rewritten.push({ table: m.table, name: m.fk.name, refTable: m.fk.refTable, as: { table: on, name: shape.name }, changes });
      }
      if (from === 'local') why += ` Citus turns ${displayName(on)} into a citus local table for it (the coordinator must be in the metadata).`;
      this.step('restore', addForeignKey(on, shape), why, { table: on });
      this.undoStep('restore', dropConstraint(on, shape.name), `Drop ${shape.name} as the migration re-added it.`, [], { table: on });
    }
    this.undo.restore.reverse();
  }

  // ------------------------------------------------------------------ 7. cleanup

  private cleanup(order: string[]): void {
    for (const k of order) {
      this.step(
        'cleanup',
        `SELECT truncate_local_data_after_distributing_table(${regclassLiteral(k)})`,
        `The rows of ${displayName(k)} were copied into its shards; the copy left on the coordinator is invisible but still on disk. Remove it (nothing to do for an empty table).`,
        { table: k, citus: true },
      );
    }
  }
}

function byTableAndName(x: { table: string; name: string }, y: { table: string; name: string }): number {
  return x.table !== y.table ? (x.table < y.table ? -1 : 1) : x.name < y.name ? -1 : x.name > y.name ? 1 : 0;
}

/** Key of a column in the widening graph. */
function node(table: string, column: string): string {
  return `${table}\u0000${column}`;
}

function unnode(n: string): [string, string] {
  const i = n.indexOf('\u0000');
  return [n.slice(0, i), n.slice(i + 1)];
}

/** Referenced before referencing (deps(k) = what k needs first), ties by key; cycles broken in key order. */
function topoOrder(keys: readonly string[], deps: (k: string) => readonly string[]): string[] {
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

/** The ordered migration for a design, and its rollback. */
export function planMigration(catalog: Catalog, design: Design, options: PlanOptions = {}): Migration {
  return new Planner(catalog, design, options).build();
}

export type { FkAction };
