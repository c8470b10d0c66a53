/**
 * Design -> ordered migration (and its rollback), in the order Citus needs:
 * preflight checks, the distribution columns added and filled, the keys made
 * to include the distribution column and the foreign keys out of the way,
 * reference tables then colocation groups anchor first, the foreign keys Citus
 * supports back, the hidden local copies truncated (citus-rules.md §2, §5-§8).
 */
import type { Catalog, Column, FkAction, ForeignKey, Table, UniqueKey } from '../catalog/model.js';
import type { Design, TableDesign, TableKind } from '../design/model.js';
import { displayName, quoteIdent, quoteLiteral, splitKey, sqlName } from '../ingest/pg/index.js';
import { PlanError, type Migration, type MigrationNote, type MigrationStep, type Phase, type PlanOptions } from './model.js';
import {
  addForeignKey,
  addPrimaryKey,
  addUniqueConstraint,
  columnList,
  createUniqueIndex,
  dollarQuote,
  dropConstraint,
  dropIndex,
  indexElements,
  regclassLiteral,
  type FkShape,
} from './sql.js';

const DEFAULT_BATCH = 10000;

type Kind = TableKind;

interface FkPlan {
  readonly table: string;
  readonly fk: ForeignKey;
  /** The FK as re-added after distribution, or why Citus refuses it. */
  readonly verdict: { ok: true; shape: FkShape; changed: boolean } | { ok: false; reason: string };
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
  readonly type: string;
  /** Join hops from the table to the table the value is read from. */
  readonly hops: Array<{ table: string; columns: string[]; refTable: string; refColumns: string[] }>;
  readonly sourceColumn: string;
}

/** Builds a migration for one catalog and design. An object per call: no shared state. */
class Planner {
  private readonly steps: MigrationStep[] = [];
  private readonly notes: MigrationNote[] = [];
  private readonly undo: Record<Phase, MigrationStep[]> = { preflight: [], prepare: [], constraints: [], distribute: [], restore: [], cleanup: [] };
  private readonly undoNotes: MigrationNote[] = [];
  private readonly cannotUndo: string[] = [];
  private readonly added = new Map<string, Set<string>>();
  private readonly citus: string;
  private readonly batch: number;
  private readonly concurrently: boolean;
  /** Tables that change kind and that undistribute_table cannot turn back (identity columns, §2.3). */
  private readonly stuck = new Set<string>();

  constructor(
    private readonly catalog: Catalog,
    private readonly design: Design,
    options: PlanOptions,
  ) {
    this.citus = options.citus ?? design.citus;
    this.batch = options.batchSize ?? DEFAULT_BATCH;
    if (!Number.isInteger(this.batch) || this.batch < 1) throw new PlanError(`batch size must be a whole number of at least 1, not ${this.batch}`);
    this.concurrently = !!options.concurrently;
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
    return this.catalog.tables[key]?.partitionOf?.parent ?? key;
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
    this.preflight();
    this.prepare();
    const fks = this.planForeignKeys();
    this.constraints(fks);
    const order = this.distribute();
    this.restore(fks);
    this.cleanup(order);
    for (const key of [...this.stuck].sort()) {
      const cols = this.table(key).columns.filter((c) => c.identity).map((c) => c.name);
      this.cannotUndo.push(
        `${displayName(key)} cannot be turned back into a plain table: undistribute_table refuses tables with identity columns (${cols.join(', ')}) — "cannot complete operation on a table with identity column"; its constraints, foreign keys and added columns are left as the migration made them.`,
      );
    }
    const undoOrder: Phase[] = ['cleanup', 'restore', 'distribute', 'constraints', 'prepare', 'preflight'];
    return {
      citus: this.citus,
      shardCount: this.design.shardCount,
      concurrently: this.concurrently,
      steps: this.steps,
      notes: this.notes,
      rollback: { steps: undoOrder.flatMap((p) => this.undo[p]), notes: this.undoNotes, cannotUndo: this.cannotUndo },
    };
  }

  // ------------------------------------------------------------------ 1. preflight

  private preflight(): void {
    const v = /^(\d+)(?:\.(\d+))?/.exec(this.citus);
    const want = v ? `{${Number(v[1])},${Number(v[2] ?? 0)}}` : undefined;
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
    if (want) {
      lines.push(
        `  IF string_to_array(split_part(v, '-', 1), '.')::int[] < ${quoteLiteral(want)}::int[] THEN`,
        `    RAISE EXCEPTION 'shardwise: this migration was checked for Citus ${this.citus.replace(/'/g, "''")}; the database has Citus %', v`,
        `      USING HINT = 'Upgrade Citus, or generate the migration again with --citus set to this version.';`,
        '  END IF;',
      );
    }
    lines.push('END');
    this.step('preflight', `DO ${dollarQuote(lines.join('\n'), 'preflight')}`, `Stop before anything changes unless the citus extension${want ? ` (${this.citus} or later)` : ''} is installed.`, { citus: true });
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
    for (const b of this.backfills()) this.backfill(b);
    this.triggers();
    this.identityNotes();
  }

  /** Backfilled tables, those whose source is itself backfilled after it. */
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
      `Every row must now have ${b.column}: Citus refuses NULL distribution keys ("the partition column of table ... cannot be NULL"). This fails if a row has no path to a value (a NULL or dangling ${b.hops[0].columns.join(', ')}).`,
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

  private identityNotes(): void {
    for (const key of this.targets()) {
      const t = this.table(key);
      for (const c of t.columns) {
        const small = c.type.name === 'int4' || c.type.name === 'int2';
        if (!small || !(c.identity || c.serial)) continue;
        this.note(
          'prepare',
          `${displayName(key)}.${c.name} is a ${c.type.display} ${c.identity ? 'identity' : 'serial'} column: inserts that run on a worker cannot draw from it ("nextval(sequence) calls in worker nodes are not supported for column defaults of type int or smallint"); insert through the coordinator, or widen it to bigint (with every column that references it) before this migration.`,
          key,
        );
      }
    }
  }

  // ------------------------------------------------------------------ 3. constraints

  private planForeignKeys(): FkPlan[] {
    const out: FkPlan[] = [];
    for (const t of Object.values(this.catalog.tables).sort((a, b) => (a.key < b.key ? -1 : 1))) {
      const parentFks = t.partitionOf ? new Set(this.catalog.tables[t.partitionOf.parent]?.foreignKeys.map((f) => f.name) ?? []) : new Set<string>();
      for (const fk of t.foreignKeys) {
        if (parentFks.has(fk.name)) continue; // cloned from the partitioned parent
        if (!this.changes(t.key) && !this.changes(fk.refTable)) continue;
        out.push({ table: t.key, fk, verdict: this.fkVerdict(t, fk) });
      }
    }
    return out;
  }

  /** Can Citus enforce this FK under the design? With the shape to re-add it in. */
  private fkVerdict(t: Table, fk: ForeignKey): FkPlan['verdict'] {
    const from = this.kind(t.key);
    const to = this.kind(fk.refTable);
    const refColumns = fk.refColumns.length ? fk.refColumns : (this.catalog.tables[fk.refTable]?.primaryKey?.columns ?? []);
    const base: FkShape = { ...fk, refColumns };
    const setDefaultOnSeq =
      (fk.onDelete === 'set default' || fk.onUpdate === 'set default') && fk.columns.some((c) => t.columns.find((x) => x.name === c)?.defaultSequence || /nextval\(/i.test(t.columns.find((x) => x.name === c)?.default ?? ''));
    if (setDefaultOnSeq) return { ok: false, reason: 'cannot create foreign key constraint since Citus does not support ON DELETE / UPDATE SET DEFAULT actions on the columns that default to sequences' };
    const E4 = 'cannot create foreign key constraint since foreign keys from reference tables and local tables to distributed tables are not supported';
    const E1 = `referenced table "${splitKey(fk.refTable).name}" must be a distributed table or a reference table`;
    const E2 = 'cannot create foreign key constraint since relations are not colocated or not referencing a reference table';
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
      if (to === 'reference') return { ok: true, shape: base, changed: false };
      return {
        ok: false,
        reason: `a plain table referencing a distributed table is accepted but not enforced on deletes, and create_distributed_table_concurrently refuses it; keep ${displayName(t.key)} ${displayName(fk.refTable)}-free or distribute it too`,
      };
    }
    if (from === 'reference') {
      if (to === 'reference') return { ok: true, shape: base, changed: false };
      if (isDist(to)) return { ok: false, reason: E4 };
      return { ok: false, reason: `a reference table referencing a local table turns that table into a citus local table; make ${displayName(fk.refTable)} a reference table to keep this foreign key` };
    }
    // distributed or single-shard referencing table
    if (to === 'local') return { ok: false, reason: E1 };
    if (from === 'single-shard') return to === 'reference' || to === 'single-shard' ? { ok: true, shape: base, changed: false } : { ok: false, reason: E2 };
    const key = this.distColumn(t.key)!;
    const actions = (cols: ReadonlyArray<string>): string | undefined => {
      if (!cols.includes(key)) return undefined;
      if (fk.onDelete === 'set null' || fk.onDelete === 'set default') return 'cannot create foreign key constraint: SET NULL or SET DEFAULT is not supported in ON DELETE operation when distribution key is included in the foreign key constraint';
      if (fk.onUpdate === 'set null' || fk.onUpdate === 'set default' || fk.onUpdate === 'cascade') {
        return 'cannot create foreign key constraint: SET NULL, SET DEFAULT or CASCADE is not supported in ON UPDATE operation when distribution key included in the foreign constraint.';
      }
      return undefined;
    };
    if (to === 'reference') {
      const bad = actions(fk.columns);
      return bad ? { ok: false, reason: bad } : { ok: true, shape: base, changed: false };
    }
    if (to === 'single-shard' || !this.colocated(t.key, fk.refTable)) return { ok: false, reason: E2 };
    const refKey = this.distColumn(fk.refTable)!;
    const at = fk.columns.indexOf(key);
    let shape: FkShape;
    let changed = false;
    if (at !== -1) {
      if (refColumns[at] !== refKey) {
        return { ok: false, reason: 'cannot create foreign key constraint: Foreign keys are supported in two cases, either in between two colocated tables including partition column in the same ordinal in the both tables or from distributed to reference tables' };
      }
      shape = base;
    } else if (refColumns.includes(refKey)) {
      return { ok: false, reason: 'cannot create foreign key constraint: Foreign keys are supported in two cases, either in between two colocated tables including partition column in the same ordinal in the both tables or from distributed to reference tables' };
    } else {
      shape = { ...base, columns: [key, ...fk.columns], refColumns: [refKey, ...refColumns] };
      changed = true;
    }
    const bad = actions(shape.columns);
    if (bad) return { ok: false, reason: `${changed ? `with ${key} added to it, ` : ''}${bad}` };
    return { ok: true, shape, changed };
  }

  private constraints(fks: FkPlan[]): void {
    const original = (p: FkPlan) => addForeignKey(p.table, { ...p.fk, refColumns: p.fk.refColumns.length ? p.fk.refColumns : (this.catalog.tables[p.fk.refTable]?.primaryKey?.columns ?? []) });
    for (const p of fks) {
      this.step(
        'constraints',
        dropConstraint(p.table, p.fk.name),
        `${displayName(p.table)} -> ${displayName(p.fk.refTable)}: foreign keys between tables that change kind are out of the way while they do (Citus checks each one at distribution, in an order that must already be right)${p.verdict.ok ? '; it comes back after distribution' : '; Citus cannot enforce it under this design, so it does not come back (see the restore phase)'}.`,
        { table: p.table },
      );
    }
    for (const key of this.targets().filter((k) => this.kind(k) === 'distributed')) {
      this.rewriteUniques(key);
      for (const part of Object.values(this.catalog.tables).filter((t) => t.partitionOf?.parent === key).sort((a, b) => (a.key < b.key ? -1 : 1))) {
        this.rewriteUniques(part.key, this.table(key));
      }
    }
    // rollback of this phase, in reverse: keys first (FKs need them), then the original FKs
    for (const p of fks) {
      this.undoStep('constraints', original(p), `Put back ${p.fk.name} as it was before the migration.`, [p.table, p.fk.refTable], { table: p.table });
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

  // ------------------------------------------------------------------ 4. distribute

  private distribute(): string[] {
    const targets = this.targets();
    const fkDeps = (k: string) =>
      this.table(k)
        .foreignKeys.map((f) => f.refTable)
        .filter((r) => r !== k);
    const refs = topoOrder(
      targets.filter((k) => this.kind(k) === 'reference'),
      fkDeps,
    );
    const singles = topoOrder(
      targets.filter((k) => this.kind(k) === 'single-shard'),
      fkDeps,
    );
    const dist = targets.filter((k) => this.kind(k) === 'distributed');
    const groups = new Map<string, string[]>();
    for (const k of dist) {
      const a = this.anchorOf(k);
      groups.set(a, [...(groups.get(a) ?? []), k]);
    }
    const order: string[] = [];
    for (const k of refs) {
      const t = this.table(k);
      if (t.relkind === 'partitioned') this.note('distribute', `${displayName(k)} is partitioned: Citus only distributes partitioned tables by hash ("distributing partitioned tables in only supported for hash-distributed tables").`, k);
      this.step('distribute', `SELECT create_reference_table(${regclassLiteral(k)})`, `${displayName(k)} becomes a reference table: one copy on every node, joinable with any distributed table.`, { table: k, citus: true });
      order.push(k);
    }
    for (const k of singles) {
      this.step('distribute', `SELECT create_distributed_table(${regclassLiteral(k)}, NULL)`, `${displayName(k)} becomes a single-shard distributed table (no distribution column).`, { table: k, citus: true });
      order.push(k);
    }
    const anchors = [...groups.keys()].sort();
    for (const anchor of anchors) {
      const members = groups.get(anchor)!;
      const rest = topoOrder(members.filter((m) => m !== anchor), fkDeps);
      for (const k of [anchor, ...rest]) {
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
        if (concurrent === undefined) why += ' Concurrently: writes continue while the shards are copied; it cannot run inside a transaction block, and it first makes the table a citus local table, so the coordinator must be in the metadata.';
        else if (this.concurrently) why += ` Not concurrently: ${concurrent}; the blocking call takes a lock that stops writes until the copy is done.`;
        this.step('distribute', `SELECT ${fn}(${args.join(', ')})`, why, { table: k, citus: true, transactional: concurrent !== undefined });
        order.push(k);
      }
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

  // ------------------------------------------------------------------ 5. restore

  private restore(fks: FkPlan[]): void {
    const refused = fks.filter((p) => !p.verdict.ok);
    for (const p of refused) {
      if (p.verdict.ok) continue;
      this.note('restore', `not re-added: ${p.fk.name} on ${displayName(p.table)} (${p.fk.columns.join(', ')}) -> ${displayName(p.fk.refTable)}: ${p.verdict.reason}`, p.table);
    }
    for (const p of fks) {
      if (!p.verdict.ok) continue;
      const { shape, changed } = p.verdict;
      const from = this.kind(p.table);
      const to = this.kind(p.fk.refTable);
      const kinds = `${from === 'single-shard' ? 'single-shard' : from} -> ${to}`;
      let why = `${displayName(p.table)} -> ${displayName(p.fk.refTable)} (${kinds}): a foreign key Citus enforces.`;
      if (changed) why += ` It now includes the distribution column (${shape.columns[0]} -> ${shape.refColumns[0]}), because the key it references does.`;
      if (from === 'local') why += ` Citus turns ${displayName(p.table)} into a citus local table for it (the coordinator must be in the metadata).`;
      this.step('restore', addForeignKey(p.table, shape), why, { table: p.table });
      this.undoStep('restore', dropConstraint(p.table, shape.name), `Drop ${shape.name} as the migration re-added it.`, [], { table: p.table });
    }
    this.undo.restore.reverse();
  }

  // ------------------------------------------------------------------ 6. cleanup

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
