/**
 * A simulated Citus coordinator: the single-node catalog (kept by the catalog
 * builder) plus Citus metadata (table kinds, colocation groups, settings,
 * data facts), changed one statement at a time as the coordinator would,
 * raising the errors and notices Citus raises (citus-rules.md).
 *
 * Versions: what citus-rules.md ties to a version is gated on `options.citus`
 * (UDFs and settings that do not exist yet, single-shard tables and schema
 * sharding from 12.0, identity columns by 11.1 / 11.2.0 / 11.2.1 / 12.0,
 * unnamed constraints from 11.2, EXCLUDE on partitioned tables from 13.0,
 * collation-aware colocation from 14.0, the #8214 key-update check). "13.2"
 * means 13.2.0. Not gated: query-planning changes (12.0 non-colocated router
 * pushdown, 13.2 recurring outer joins, MERGE), which live in the router.
 *
 * Rows: per table, how many rows and, per column, whether (and from which
 * row) NULLs remain, updated by COPY, INSERT, UPDATE, DELETE, TRUNCATE, ADD
 * COLUMN and CALL of a procedure the script created. NOT NULL checks that
 * PostgreSQL makes are applied to plain tables only: on a Citus table the
 * error would name the shard holding the row.
 */
import type { Catalog, Column, FkAction, Table } from '../../catalog/model.js';
import { CatalogBuilder } from '../../catalog/builder.js';
import { splitQualified } from '../../catalog/builder.js';
import { parsePlpgsql, parseSql, qualifiedKey, quoteIdent, splitKey, type Script, type Statement } from '../../ingest/pg/index.js';
import {
  ALTER_UNSUPPORTED,
  AUTO_CONVERT_NOTICE,
  CitusError,
  COORDINATOR_NOT_IN_METADATA,
  COPY_DONE_NOTICE,
  COPY_START_NOTICE,
  NO_RELATION,
  DEPENDENT_OBJECTS,
  EXCLUDE_ON_PARTITIONED,
  INVOLVED_IN_FOREIGN_KEY,
  NOT_NULL_VIOLATION,
  NO_SUCH_FUNCTION,
  PARTITION_COLUMN,
  REMOVED_FROM_METADATA_NOTICE,
  TRIGGERS,
  TX_ABORTED,
  UNIQUE_CONSTRAINT,
  qual,
  rel,
} from './errors.js';
import { checkForeignKey, type FkFacts, type FkSide } from './fk.js';
import type { CitusKind, CitusSettings, CitusTableInfo, ColocationGroup, SimulateOptions, StepError, TableData } from './model.js';
import { checkDistributionColumn, columnCollation, typeCollation } from './types.js';
import { parseCopyText } from '../../ingest/copy.js';

type M<T> = { -readonly [K in keyof T]: T[K] };
type Info = M<CitusTableInfo>;
type Data = { rows: number; firstNull: Record<string, number> };

export const DEFAULT_SETTINGS: CitusSettings = {
  'citus.shard_count': 32,
  'citus.shard_replication_factor': 1,
  'citus.enable_repartition_joins': false,
  'citus.enable_unsafe_triggers': false,
  'citus.allow_unsafe_constraints': false,
  'citus.enable_schema_based_sharding': false,
  'citus.enable_local_reference_table_foreign_keys': true,
};

export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

export function parseVersion(text: string): Version | undefined {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0) };
}

const atLeast = (v: Version, major: number, minor = 0, patch = 0) =>
  v.major !== major ? v.major > major : v.minor !== minor ? v.minor > minor : v.patch >= patch;

/**
 * Settings that a Citus version does not define (citus-rules.md §5, §8, §12):
 * there `SET citus.x` only creates a placeholder (PostgreSQL 13/14; on 15 the
 * reserved "citus" prefix makes it an error) and has no effect.
 */
const SETTING_SINCE: Partial<Record<keyof CitusSettings, readonly [number, number, number]>> = {
  'citus.enable_unsafe_triggers': [11, 0, 2],
  'citus.allow_unsafe_constraints': [11, 0, 7],
  'citus.enable_schema_based_sharding': [12, 0, 0],
};

/** Integer settings: their valid range (DefineCustomIntVariable). */
const SETTING_RANGE: Partial<Record<keyof CitusSettings, readonly [number, number]>> = {
  'citus.shard_count': [1, 64000],
  'citus.shard_replication_factor': [1, 100],
};

/** UDFs by the version that added them (citus-rules.md §2, §12); older versions have no such function. */
const UDF_SINCE: Record<string, readonly [number, number, number]> = {
  create_distributed_table_concurrently: [11, 1, 0],
  citus_schema_distribute: [12, 0, 0],
  citus_schema_undistribute: [12, 0, 0],
};

/**
 * #8214 (citus-rules.md §11): `SET key = other.col` is a no-op only when it
 * names the target's own key (or WHERE implies equality). Before the fix,
 * any column at the key's attribute number passed. Fixed in 12.1.10, 13.0.5,
 * 13.1.1, 13.2.1 and 14.0.
 */
export function keyUpdateFixed(v: Version): boolean {
  if (atLeast(v, 14)) return true;
  const fixedIn: Record<string, number> = { '12.1': 10, '13.0': 5, '13.1': 1, '13.2': 1 };
  const p = fixedIn[`${v.major}.${v.minor}`];
  return p !== undefined && v.patch >= p;
}

/** Functions PostgreSQL marks VOLATILE that show up in migrations. */
const VOLATILE = new Set(['random', 'gen_random_uuid', 'clock_timestamp', 'timeofday', 'nextval', 'setval', 'uuid_generate_v1', 'uuid_generate_v4', 'random_normal', 'txid_current', 'pg_sleep']);

/** Outcome of one statement. */
export interface Outcome {
  readonly notices: string[];
  readonly error?: StepError;
}

interface Snapshot {
  citus: Map<string, Info>;
  groups: Map<number, ColocationGroup>;
  nextColocationId: number;
  referenceGroup?: number;
  settings: CitusSettings;
  data: Map<string, Data>;
  tenantSchemas: Map<string, number>;
  routines: Map<string, Routine>;
  oids: Map<string, number>;
  nextOid: number;
}

/** A procedure or function the script created: what CALL runs of it. */
interface Routine {
  /** Its data-changing statements (UPDATE, DELETE), parse-tree bodies. */
  readonly statements: ReadonlyArray<{ kind: 'UpdateStmt' | 'DeleteStmt'; body: any }>;
  /** PL/pgSQL parameters and variables: conditions on them are taken as batch bounds. */
  readonly variables: ReadonlySet<string>;
}

/** Can an expression yield NULL: never, always, or depending on the rows. */
type Nullness = 'never' | 'null' | 'maybe';

/** A UDF argument as written: SQL NULL, a constant (text form), or something else. */
type Arg = { null: true } | { null: false; text: string; expr?: false } | { null: false; expr: true; text: string };

export class CitusCluster {
  readonly version: Version;
  readonly versionText: string;
  readonly coordinatorInMetadata: boolean;
  readonly metadataSync: boolean;
  private builder: CatalogBuilder;
  private citus = new Map<string, Info>();
  private groups = new Map<number, ColocationGroup>();
  private nextColocationId = 1;
  private referenceGroup?: number;
  private settings: CitusSettings;
  private data = new Map<string, Data>();
  private tenantSchemas = new Map<string, number>();
  private routines = new Map<string, Routine>();
  /**
   * Each table's place in pg_class OID order: creation order, and a new OID when
   * Citus rebuilds the table (a citus local table's shell, an undistributed
   * table). Citus walks tables in this order where it sorts by OID.
   */
  private oids = new Map<string, number>();
  private nextOid = 1;
  /** Work of the current statement that Citus commits on its own (create_distributed_table_concurrently's first phase): kept if the statement fails. */
  private committed: Array<() => void> = [];
  private tx?: { snapshot: Snapshot; catalog: Catalog; aborted: boolean; /** Values SET LOCAL changed, restored at the end of the block. */ local: Partial<CitusSettings> };
  private notices: string[] = [];
  private script?: Script;
  private stmt?: Statement;

  constructor(catalog: Catalog, options: SimulateOptions = {}) {
    this.versionText = options.citus ?? '14.0';
    const v = parseVersion(this.versionText);
    if (!v) throw new Error(`not a Citus version: ${this.versionText}`);
    this.version = v;
    this.coordinatorInMetadata = options.coordinatorInMetadata ?? true;
    this.metadataSync = options.metadataSync ?? true;
    this.settings = { ...DEFAULT_SETTINGS, ...(options.settings ?? {}) };
    this.builder = CatalogBuilder.fromCatalog(catalog);
    for (const [k, d] of Object.entries(options.data ?? {})) this.data.set(k, { rows: d.rows, firstNull: { ...d.firstNull } });
    const file = (t: Table) => catalog.files.indexOf(t.location.file);
    const created = Object.values(catalog.tables).sort((a, b) => file(a) - file(b) || a.location.line - b.location.line || a.location.column - b.location.column);
    for (const t of created) this.newOid(t.key);
  }

  // ------------------------------------------------------------------ queries

  /** The catalog key of a relation name as written (`t`, `s.t`, `"T"`), by search_path. */
  resolve(name: string): string {
    const parts = splitQualified(name);
    return parts.length > 1 ? qualifiedKey(parts[parts.length - 2], parts[parts.length - 1]) : this.builder.resolveRelation(undefined, parts[0]);
  }

  table(key: string): Table | undefined {
    return this.builder.peekTable(key) ?? this.builder.peekTable(this.resolve(key));
  }

  private keyOf(name: string): string {
    return this.builder.peekTable(name) ? name : this.resolve(name);
  }

  kindOf(table: string): CitusKind {
    return this.citus.get(this.keyOf(table))?.kind ?? 'local';
  }

  info(table: string): CitusTableInfo {
    const key = this.keyOf(table);
    return { ...(this.citus.get(key) ?? { table: key, kind: 'local' }) };
  }

  distributionColumn(table: string): string | undefined {
    return this.citus.get(this.keyOf(table))?.column;
  }

  colocationGroupOf(table: string): ColocationGroup | undefined {
    const id = this.citus.get(this.keyOf(table))?.colocationId;
    return id ? this.groups.get(id) : undefined;
  }

  /** Same colocation group (hash, single-shard and reference tables). */
  areColocated(a: string, b: string): boolean {
    const ia = this.citus.get(this.keyOf(a))?.colocationId;
    const ib = this.citus.get(this.keyOf(b))?.colocationId;
    return !!ia && ia === ib;
  }

  setting<K extends keyof CitusSettings>(name: K): CitusSettings[K] {
    return this.settings[name];
  }

  /** Is the simulated Citus at least this version? */
  atLeast(major: number, minor = 0, patch = 0): boolean {
    return atLeast(this.version, major, minor, patch);
  }

  tableData(table: string): TableData {
    const d = this.data.get(this.keyOf(table));
    return { rows: d?.rows ?? 0, firstNull: { ...(d?.firstNull ?? {}) } };
  }

  summary(): { tables: CitusTableInfo[]; colocationGroups: ColocationGroup[]; distributedSchemas: string[]; settings: CitusSettings } {
    const tables = this.builder
      .peekTables()
      .map((t) => this.info(t.key))
      .sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));
    return {
      tables,
      colocationGroups: [...this.groups.values()].sort((a, b) => a.id - b.id).map((g) => ({ ...g })),
      distributedSchemas: [...this.tenantSchemas.keys()].sort(),
      settings: { ...this.settings },
    };
  }

  /** The single-node catalog as it stands now. */
  catalog(): Catalog {
    return this.builder.build();
  }

  // ------------------------------------------------------------------ execution

  /** Run one statement as the coordinator would. */
  execute(script: Script, stmt: Statement): Outcome {
    this.notices = [];
    this.committed = [];
    this.script = script;
    this.stmt = stmt;
    if (stmt.error) return { notices: [], error: { message: stmt.error.message } };
    const node = stmt.node as Record<string, any> | undefined;
    if (!node) return { notices: [] };
    const kind = Object.keys(node)[0];
    const body = node[kind];
    if (kind === 'TransactionStmt') return this.transaction(body);
    if (this.tx?.aborted) return { notices: [], error: TX_ABORTED().toStepError() };
    const saved = this.snapshot();
    try {
      this.dispatch(kind, body);
      return { notices: this.notices };
    } catch (e) {
      if (!(e instanceof CitusError)) throw e;
      this.restore(saved);
      for (const keep of this.committed) keep();
      if (this.tx) this.tx.aborted = true;
      return { notices: this.notices, error: e.toStepError() };
    }
  }

  private snapshot(): Snapshot {
    return {
      citus: new Map([...this.citus].map(([k, v]) => [k, { ...v }])),
      groups: new Map(this.groups),
      nextColocationId: this.nextColocationId,
      referenceGroup: this.referenceGroup,
      settings: { ...this.settings },
      data: new Map([...this.data].map(([k, v]) => [k, { rows: v.rows, firstNull: { ...v.firstNull } }])),
      tenantSchemas: new Map(this.tenantSchemas),
      routines: new Map(this.routines),
      oids: new Map(this.oids),
      nextOid: this.nextOid,
    };
  }

  private restore(s: Snapshot): void {
    this.citus = s.citus;
    this.groups = s.groups;
    this.nextColocationId = s.nextColocationId;
    this.referenceGroup = s.referenceGroup;
    this.settings = s.settings;
    this.data = s.data;
    this.tenantSchemas = s.tenantSchemas;
    this.routines = s.routines;
    this.oids = s.oids;
    this.nextOid = s.nextOid;
  }

  private transaction(body: any): Outcome {
    switch (body.kind) {
      case 'TRANS_STMT_BEGIN':
      case 'TRANS_STMT_START':
        if (!this.tx) this.tx = { snapshot: this.snapshot(), catalog: this.builder.build(), aborted: false, local: {} };
        return { notices: [] };
      case 'TRANS_STMT_COMMIT':
        if (this.tx?.aborted) this.rollback();
        else if (this.tx) Object.assign(this.settings, this.tx.local);
        this.tx = undefined;
        return { notices: [] };
      case 'TRANS_STMT_ROLLBACK':
        if (this.tx) this.rollback();
        this.tx = undefined;
        return { notices: [] };
      default:
        return { notices: [] };
    }
  }

  /** The session ends (psql exits): an open transaction block is rolled back. */
  endSession(): void {
    if (this.tx) this.rollback();
    this.tx = undefined;
  }

  private rollback(): void {
    if (!this.tx) return;
    this.restore(this.tx.snapshot);
    this.builder = CatalogBuilder.fromCatalog(this.tx.catalog);
  }

  private applyToCatalog(): void {
    if (this.script && this.stmt) this.builder.apply(this.script, this.stmt);
  }

  private dispatch(kind: string, body: any): void {
    switch (kind) {
      case 'VariableSetStmt':
        this.setVariable(body);
        break;
      case 'SelectStmt':
        this.select(body);
        break;
      case 'CreateSchemaStmt':
        this.createSchema(body);
        break;
      case 'CreateStmt':
        this.createTable(body);
        return;
      case 'AlterTableStmt':
        this.alterTable(body);
        return;
      case 'IndexStmt':
        this.createIndex(body);
        break;
      case 'CreateTrigStmt':
        this.createTrigger(body);
        break;
      case 'AlterSeqStmt':
        this.alterSequence(body);
        break;
      case 'CreateSeqStmt':
        this.createSequence(body);
        break;
      case 'RenameStmt':
        this.renameCheck(body);
        break;
      case 'TruncateStmt':
        this.truncate(body);
        break;
      case 'DropStmt':
        this.drop(body);
        return;
      case 'CopyStmt':
        this.copy(body);
        break;
      case 'InsertStmt':
        this.insert(body);
        break;
      case 'UpdateStmt':
        this.update(body);
        break;
      case 'DeleteStmt':
        this.delete(body);
        break;
      case 'CreateFunctionStmt':
        this.createRoutine(body);
        break;
      case 'CallStmt':
        this.call(body);
        break;
      default:
        break;
    }
    this.applyToCatalog();
  }

  // ------------------------------------------------------------------ helpers

  private mustTable(rv: any): Table {
    const key = this.builder.resolveRelation(rv.schemaname, rv.relname);
    const t = this.builder.peekTable(key);
    if (!t) throw NO_RELATION(rv.schemaname ? `${rv.schemaname}.${rv.relname}` : rv.relname);
    return t;
  }

  private regclass(text: string): string {
    const key = this.resolve(text);
    if (!this.builder.peekTable(key) && !this.isView(key)) throw NO_RELATION(text);
    return key;
  }

  private isView(key: string): boolean {
    return !!this.builder.build().views[key];
  }

  private kind(key: string): CitusKind {
    return this.citus.get(key)?.kind ?? 'local';
  }

  private isCitus(key: string): boolean {
    return this.citus.has(key);
  }

  private localReferenceFks(): boolean {
    return this.settings['citus.enable_local_reference_table_foreign_keys'] && this.coordinatorInMetadata;
  }

  private fkSide(key: string): FkSide {
    const i = this.citus.get(key);
    const g = i?.colocationId ? this.groups.get(i.colocationId) : undefined;
    return { key, kind: i?.kind ?? 'local', column: i?.column, colocationId: i?.colocationId, replicationFactor: g?.replicationFactor ?? 1 };
  }

  private fkFacts(table: Table, fk: Table['foreignKeys'][number]): FkFacts {
    let refColumns = fk.refColumns;
    if (!refColumns.length) refColumns = this.builder.peekTable(fk.refTable)?.primaryKey?.columns ?? [];
    return { name: fk.name, table: table.key, columns: fk.columns, refTable: fk.refTable, refColumns, onDelete: fk.onDelete, onUpdate: fk.onUpdate };
  }

  private nextvalColumns(t: Table): Set<string> {
    return new Set(t.columns.filter((c) => c.defaultSequence || /nextval\(/i.test(c.default ?? '')).map((c) => c.name));
  }

  private checkFk(fk: FkFacts): void {
    const t = this.builder.peekTable(fk.table);
    const err = checkForeignKey(fk, this.fkSide(fk.table), this.fkSide(fk.refTable), {
      localReferenceFks: this.localReferenceFks(),
      nextvalColumns: t ? this.nextvalColumns(t) : new Set(),
    });
    if (err) throw err;
  }

  private outgoing(key: string): FkFacts[] {
    const t = this.builder.peekTable(key);
    return t ? t.foreignKeys.map((fk) => this.fkFacts(t, fk)) : [];
  }

  /** FKs of other tables to `key`, the referencing tables in OID order. */
  private incoming(key: string): FkFacts[] {
    const out: FkFacts[] = [];
    for (const t of this.builder.peekTables()) {
      if (t.key === key) continue;
      for (const fk of t.foreignKeys) if (fk.refTable === key) out.push(this.fkFacts(t, fk));
    }
    if (out.length < 2) return out;
    const order = new Map(this.byOid(out.map((fk) => fk.table)).map((k, i) => [k, i]));
    return out.sort((a, b) => order.get(a.table)! - order.get(b.table)!);
  }

  /**
   * Tables FK-connected to `key`, `key` first, breadth-first as Citus's
   * foreign key graph walks them (foreign_key_relationship.c
   * GetForeignKeyConnectedRelationIdList: the tables a table references, then
   * the ones referencing it). `skip` leaves FKs out: dropped, or not yet
   * re-created by Citus.
   */
  private fkConnected(key: string, skip: (fk: FkFacts) => boolean = () => false): string[] {
    const order = [key];
    const seen = new Set(order);
    for (let i = 0; i < order.length; i++) {
      const k = order[i];
      const referenced = this.outgoing(k).filter((fk) => !skip(fk)).map((fk) => fk.refTable);
      const referencing = this.incoming(k).filter((fk) => !skip(fk)).map((fk) => fk.table);
      for (const n of [...referenced, ...referencing]) {
        if (!seen.has(n) && this.builder.peekTable(n)) {
          seen.add(n);
          order.push(n);
        }
      }
    }
    return order;
  }

  /** An FK's identity: its table and name. */
  private static fkId(fk: FkFacts): string {
    return `${fk.table}\u0000${fk.name}`;
  }

  /** The table gets a new OID (created, or rebuilt by Citus). */
  private newOid(key: string): void {
    this.oids.set(key, this.nextOid++);
  }

  /** Tables in pg_class OID order (creation order). */
  private byOid(keys: readonly string[]): string[] {
    const oid = (k: string) => this.oids.get(k) ?? Number.MAX_SAFE_INTEGER;
    return [...new Set(keys)].sort((a, b) => oid(a) - oid(b) || (a < b ? -1 : a > b ? 1 : 0));
  }

  private newGroup(g: Omit<ColocationGroup, 'id'>): number {
    const id = this.nextColocationId++;
    this.groups.set(id, { id, ...g });
    return id;
  }

  private referenceGroupId(): number {
    if (this.referenceGroup === undefined) {
      this.referenceGroup = this.newGroup({ shardCount: 1, replicationFactor: -1, columnType: '', collation: '', reference: true });
    }
    return this.referenceGroup;
  }

  private dataOf(key: string): Data {
    let d = this.data.get(key);
    if (!d) {
      d = { rows: 0, firstNull: {} };
      this.data.set(key, d);
    }
    return d;
  }

  private tenantOf(key: string): number | undefined {
    return this.tenantSchemas.get(splitKey(key).schema);
  }

  private partitionsOf(key: string): Table[] {
    return this.builder.peekTables().filter((t) => t.partitionOf?.parent === key);
  }

  // ------------------------------------------------------------------ SET

  private setVariable(body: any): void {
    const name: string = body.name ?? '';
    if (!(name in this.settings)) return;
    const k = name as keyof CitusSettings;
    const since = SETTING_SINCE[k];
    if (since && !atLeast(this.version, ...since)) return; // not defined in this version: a placeholder, no effect
    if (body.is_local && !this.tx) return; // SET LOCAL outside a block lasts for its own implicit transaction only
    const local = this.tx?.local as Record<string, unknown> | undefined;
    if (local) {
      // SET LOCAL: remember the value to go back to at the end of the block; a plain SET changes that value
      if (body.is_local && !(k in local)) local[k] = this.settings[k];
      else if (!body.is_local && k in local) delete local[k];
    }
    if (body.kind === 'VAR_RESET' || body.kind === 'VAR_SET_DEFAULT') {
      (this.settings as any)[k] = DEFAULT_SETTINGS[k];
      return;
    }
    const a = body.args?.[0]?.A_Const;
    const raw = a?.ival !== undefined ? String(a.ival.ival ?? 0) : a?.sval?.sval ?? a?.fval?.fval ?? (a?.boolval ? String(!!a.boolval.boolval) : undefined);
    if (raw === undefined) return;
    if (typeof DEFAULT_SETTINGS[k] === 'number') {
      if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(raw)) throw new CitusError(`invalid value for parameter "${name}": "${raw}"`);
      const n = Math.round(Number(raw));
      const range = SETTING_RANGE[k];
      if (range && (n < range[0] || n > range[1])) throw new CitusError(`${n} is outside the valid range for parameter "${name}" (${range[0]} .. ${range[1]})`);
      (this.settings as any)[k] = n;
    } else {
      const b = parseBool(raw);
      if (b === undefined) throw new CitusError(`parameter "${name}" requires a Boolean value`);
      (this.settings as any)[k] = b;
    }
  }

  // ------------------------------------------------------------------ UDFs

  private select(body: any): void {
    if (body.fromClause || body.valuesLists) return;
    for (const t of body.targetList ?? []) {
      const fc = t.ResTarget?.val?.FuncCall;
      if (!fc) continue;
      const names: string[] = (fc.funcname ?? []).map((n: any) => n.String?.sval);
      const fname = names[names.length - 1];
      if (names.length > 1 && names[0] !== 'pg_catalog' && names[0] !== 'public' && names[0] !== 'citus') continue;
      const since = UDF_SINCE[fname];
      if (since && !atLeast(this.version, ...since)) throw NO_SUCH_FUNCTION(signature(names, fc.args ?? []));
      this.callUdf(fname, fc.args ?? []);
    }
  }

  private args(fname: string, params: string[], raw: any[]): Map<string, Arg> {
    const out = new Map<string, Arg>();
    raw.forEach((a, i) => {
      if (a.NamedArgExpr) {
        const n = a.NamedArgExpr.name as string;
        if (!params.includes(n)) throw NO_SUCH_FUNCTION(signature([fname], raw));
        out.set(n, argValue(a.NamedArgExpr.arg));
      } else out.set(params[i], argValue(a));
    });
    return out;
  }

  private callUdf(fname: string, raw: any[]): void {
    switch (fname) {
      case 'create_distributed_table':
      case 'create_distributed_table_concurrently': {
        const a = this.args(fname, ['table_name', 'distribution_column', 'distribution_type', 'colocate_with', 'shard_count'], raw);
        this.createDistributedTable(a, fname === 'create_distributed_table_concurrently');
        return;
      }
      case 'create_reference_table': {
        const a = this.args(fname, ['table_name'], raw);
        const t = a.get('table_name');
        if (!t || t.null) return;
        this.createReferenceTable(this.regclass(t.text));
        return;
      }
      case 'citus_add_local_table_to_metadata': {
        const a = this.args(fname, ['table_name', 'cascade_via_foreign_keys'], raw);
        const t = a.get('table_name');
        if (!t || t.null) return;
        this.addLocalTable(this.regclass(t.text), boolArg(a.get('cascade_via_foreign_keys')), false);
        return;
      }
      case 'undistribute_table': {
        const a = this.args(fname, ['table_name', 'cascade_via_foreign_keys'], raw);
        const t = a.get('table_name');
        if (!t || t.null || a.get('cascade_via_foreign_keys')?.null) return; // STRICT
        this.undistribute(this.regclass(t.text), boolArg(a.get('cascade_via_foreign_keys')));
        return;
      }
      case 'alter_distributed_table': {
        const a = this.args(fname, ['table_name', 'distribution_column', 'shard_count', 'colocate_with', 'cascade_to_colocated'], raw);
        const t = a.get('table_name');
        if (!t || t.null) return;
        this.alterDistributedTable(this.regclass(t.text), a);
        return;
      }
      case 'truncate_local_data_after_distributing_table': {
        const a = this.args(fname, ['function_name'], raw);
        const t = a.get('function_name');
        if (!t || t.null) return;
        const key = this.regclass(t.text);
        // truncate.c EnsureLocalTableCanBeTruncated: any Citus table (a citus local one too); no FK from a plain table.
        if (!this.isCitus(key)) throw new CitusError('supplied parameter is not a distributed relation', 'This UDF only truncates local records of distributed tables.');
        for (const fk of this.incoming(key)) {
          if (this.kind(fk.table) === 'local') {
            throw new CitusError('cannot truncate a table referenced in a foreign key constraint by a local table', `Table "${rel(fk.table)}" references "${rel(key)}"`);
          }
        }
        return;
      }
      case 'update_distributed_table_colocation': {
        const a = this.args(fname, ['table_name', 'colocate_with'], raw);
        const t = a.get('table_name');
        const c = a.get('colocate_with');
        if (!t || t.null || !c || c.null) return;
        this.updateColocation(this.regclass(t.text), c.text);
        return;
      }
      case 'mark_tables_colocated':
        if (atLeast(this.version, 14)) {
          throw new CitusError('mark_tables_colocated has been deprecated', undefined, 'Use update_distributed_table_colocation instead');
        }
        return;
      case 'citus_schema_distribute': {
        const a = this.args(fname, ['schemaname'], raw);
        const s = a.get('schemaname');
        if (!s || s.null) return;
        this.schemaDistribute(splitQualified(s.text)[0]);
        return;
      }
      case 'citus_schema_undistribute': {
        const a = this.args(fname, ['schemaname'], raw);
        const s = a.get('schemaname');
        if (!s || s.null) return;
        this.schemaUndistribute(splitQualified(s.text)[0]);
        return;
      }
      default:
        return;
    }
  }

  /** EnsureCitusTableCanBeCreated: temporary, foreign, relkind. */
  private ensureCanBeCreated(key: string, allowForeign = false): Table {
    const t = this.builder.peekTable(key);
    if (!t) throw new CitusError(`${rel(key)} is not a regular, foreign or partitioned table`);
    if (t.persistence === 'temporary') throw new CitusError('cannot distribute a temporary table');
    if (t.relkind === 'foreign' && !allowForeign) {
      throw new CitusError('foreign tables cannot be distributed', undefined, `Can add foreign table "${rel(key)}" to metadata by running: SELECT citus_add_local_table_to_metadata($$${qual(key)}$$);`);
    }
    const isParent = this.builder.peekTables().some((o) => o.inherits.includes(key));
    if (t.inherits.length || isParent) throw new CitusError(`${rel(key)} is not a regular, foreign or partitioned table`);
    return t;
  }

  private createDistributedTable(a: Map<string, Arg>, concurrently: boolean): void {
    const tArg = a.get('table_name');
    const colArg = a.get('distribution_column');
    const typeArg = a.get('distribution_type') ?? { null: false, text: 'hash' };
    const cwArg = a.get('colocate_with') ?? { null: false, text: 'default' };
    const scArg = a.get('shard_count');
    const fname = concurrently ? 'create_distributed_table_concurrently' : 'create_distributed_table';
    if (!tArg || tArg.null) return;
    const key = this.regclass(tArg.text);
    if (cwArg.null) return;
    if (concurrently && typeArg.null) return;
    const colocateWith = cwArg.text;
    const isDefault = colocateWith.toLowerCase() === 'default';
    const isNone = colocateWith.toLowerCase() === 'none';
    const shardCountGiven = !!scArg && !scArg.null;
    if (!colArg || colArg.null) {
      // Before 12.0 there are no single-shard tables: any NULL among the first four arguments is a silent no-op.
      if (!atLeast(this.version, 12)) return;
      if (concurrently) {
        throw new CitusError('cannot use create_distributed_table_concurrently to create a distributed table with a null shard key, consider using create_distributed_table()');
      }
      if (shardCountGiven) throw new CitusError("shard_count can't be specified when the distribution column is null because in that case it's automatically set to 1");
      if (!typeArg.null && typeArg.text.toLowerCase() !== 'hash') throw new CitusError("distribution_type can't be specified when the distribution column is null ");
      this.createSingleShard(key, colocateWith);
      return;
    }
    if (typeArg.null) return;
    let shardCount = this.settings['citus.shard_count'];
    if (shardCountGiven) {
      if (!isDefault && !isNone) throw new CitusError('Cannot use colocate_with with a table and shard_count at the same time');
      shardCount = Number(scArg.text);
    }
    if (!(shardCount >= 1 && shardCount <= 64000)) throw new CitusError(`${shardCount} is outside the valid range for parameter "shard_count" (1 .. 64000)`);
    if (this.tenantOf(key) !== undefined) {
      throw new CitusError(`${rel(key)} is not allowed for ${fname} because it belongs to a distributed schema`);
    }
    if (concurrently) {
      if (this.tx) throw new CitusError('create_distributed_table_concurrently cannot run inside a transaction block');
      if (this.settings['citus.shard_replication_factor'] > 1) throw new CitusError('cannot distribute a table concurrently when citus.shard_replication_factor > 1');
      this.ensureCanBeCreated(key);
      const t0 = this.builder.peekTable(key)!;
      if (!t0.columns.some((c) => c.name === colArg.text)) throw new CitusError(`column "${colArg.text}" of relation "${rel(key)}" does not exist`);
      if (['distributed', 'reference', 'single-shard'].includes(this.kind(key))) throw new CitusError(`table "${rel(key)}" is already distributed`);
      const typeName = (k: string) => ({ reference: 'reference table', 'citus-local': 'citus local table', local: 'regular table' })[this.kind(k) as 'reference'] ?? 'distributed table';
      for (const fk of this.incoming(key)) {
        if (['reference', 'citus-local', 'local'].includes(this.kind(fk.table))) {
          throw new CitusError(`relation ${rel(key)} is referenced by a foreign key from ${rel(fk.table)}`, `foreign keys from a ${typeName(fk.table)} to a distributed table are not supported.`);
        }
      }
      for (const fk of this.outgoing(key)) {
        if (fk.refTable !== key && this.kind(fk.refTable) === 'local') {
          throw new CitusError(`relation ${rel(fk.refTable)} is referenced by a foreign key from ${rel(key)}`, `foreign keys from a distributed table to a ${typeName(fk.refTable)} are not supported.`);
        }
      }
      // EnsureColocateWithTableIsValid comes before the table is added to the metadata.
      if (!isDefault && !isNone) this.colocateSource(key, t0.columns.find((c) => c.name === colArg.text)!, colocateWith);
      if (!this.isCitus(key)) this.addToMetadataBeforeSplit(key);
      if (!t0.primaryKey && !t0.replicaIdentity) {
        this.notices.push(
          `relation ${rel(key)} does not have a REPLICA IDENTITY or PRIMARY KEY\nDETAIL:  UPDATE and DELETE commands on the relation will error out during create_distributed_table_concurrently unless there is a REPLICA IDENTITY or PRIMARY KEY. INSERT commands will still work.`,
        );
      }
    }
    if (!concurrently && this.kind(key) === 'citus-local') {
      // CreateCitusTable undistributes a citus local table first (DropFKeysAndUndistributeTable):
      // ConvertTable refuses identity columns (alter_table.c, citus-rules.md §2.3, §7).
      this.checkIdentityForConversion(this.ensureCanBeCreated(key));
    }
    this.distributeHash(key, colArg.text, shardCount, shardCountGiven, colocateWith, !concurrently);
  }

  /**
   * create_distributed_table_concurrently's first phase
   * (create_distributed_table.c SendAddLocalTableToMetadataCommandOutsideTransaction):
   * `SELECT citus_add_local_table_to_metadata('<t>')`, without
   * cascade_via_foreign_keys, on a connection of its own. Its errors come back
   * as they are: the coordinator must be in the metadata, and a table with FKs
   * to or from other tables is refused (self-references are fine). It commits
   * on its own, so the table stays a citus local table if the split fails.
   */
  private addToMetadataBeforeSplit(key: string): void {
    this.convertToCitusLocal(key, false, false);
    const kept = [key, ...this.partitionsOf(key).map((p) => p.key)].map((k) => ({ info: { ...this.citus.get(k)! }, oid: this.oids.get(k)! }));
    this.committed.push(() => {
      for (const { info, oid } of kept) {
        this.citus.set(info.table, { ...info });
        this.oids.set(info.table, oid);
        this.nextOid = Math.max(this.nextOid, oid + 1);
      }
    });
  }

  /** CreateCitusTable for a hash-distributed table, after argument checks. */
  private distributeHash(key: string, column: string, shardCount: number, strict: boolean, colocateWith: string, copyNotices: boolean, parentGroup?: number): void {
    const t = this.ensureCanBeCreated(key);
    let recreate: FkFacts[] = [];
    if (this.kind(key) === 'citus-local') {
      recreate = [...this.outgoing(key), ...this.incoming(key)];
      this.citus.delete(key);
    }
    if (this.isCitus(key)) throw new CitusError(`table "${rel(key)}" is already distributed`);
    const col = t.columns.find((c) => c.name === column);
    if (!col) throw new CitusError(`column "${column}" of relation "${rel(key)}" does not exist`);
    const collation = atLeast(this.version, 14) ? columnCollation(col) : typeCollation(col);
    const rf = this.settings['citus.shard_replication_factor'];
    let colocationId: number | undefined = parentGroup;
    let newGroupNeeded = false;
    const isDefault = colocateWith.toLowerCase() === 'default';
    const isNone = colocateWith.toLowerCase() === 'none';
    if (colocationId === undefined) {
      if (isDefault) {
        colocationId = this.findDefaultGroup(shardCount, rf, col.type.name, collation);
        if (colocationId !== undefined && strict && this.groups.get(colocationId)!.shardCount !== shardCount) colocationId = undefined;
        newGroupNeeded = colocationId === undefined;
      } else if (isNone) {
        newGroupNeeded = true;
      } else {
        const srcInfo = this.colocateSource(key, col, colocateWith);
        colocationId = srcInfo.colocationId;
        shardCount = this.groups.get(colocationId!)!.shardCount;
      }
    } else {
      shardCount = this.groups.get(colocationId)!.shardCount;
    }
    // EnsureRelationCanBeDistributed
    this.checkIdentityBeforeTriggers(key);
    this.checkTriggers(key);
    this.checkIdentityAfterTriggers(key);
    const colErr = checkDistributionColumn(rel(key), col);
    if (colErr) throw colErr;
    if (t.partitionOf && !this.isCitus(t.partitionOf.parent) && parentGroup === undefined) {
      const p = rel(t.partitionOf.parent);
      throw new CitusError(`cannot distribute relation "${rel(key)}" which is partition of "${p}"`, 'Citus does not support distributing partitions if their parent is not distributed table.', `Distribute the partitioned table "${p}" instead.`);
    }
    if (t.relkind === 'partitioned' && t.partitionOf) {
      throw new CitusError('distributing multi-level partitioned tables is not supported', `Relation "${rel(key)}" is partitioned table itself and it is also partition of relation "${rel(t.partitionOf.parent)}".`);
    }
    if (newGroupNeeded) colocationId = this.newGroup({ shardCount, replicationFactor: rf, columnType: col.type.name, collation });
    const info: Info = { table: key, kind: 'distributed', column, columnType: col.type.name, collation, colocationId, shardCount };
    this.citus.set(key, info);
    for (const fk of this.outgoing(key)) this.checkFk(fk);
    this.checkUniqueness(t, column);
    this.checkPolicies(t);
    for (const p of this.partitionsOf(key)) this.distributeHash(p.key, column, shardCount, false, qual(key), copyNotices, colocationId);
    if (t.relkind !== 'partitioned') this.copyData(key, column, copyNotices);
    for (const fk of recreate) this.checkFk(fk);
  }

  /** colocate_with => '<table>' for a hash-distributed table: the source table, checked (EnsureTableCanBeColocatedWith). */
  private colocateSource(key: string, col: Column, colocateWith: string): Info {
    const src = this.regclass(colocateWith);
    const srcInfo = this.citus.get(src);
    if (!srcInfo) throw new CitusError(`relation ${rel(src)} is not distributed`);
    if (srcInfo.kind === 'citus-local') {
      throw new CitusError('cannot distribute relation', 'Currently, colocate_with option is not supported with append / range distributed tables and local tables added to metadata.');
    }
    this.ensureColumnTypeEquality(src, key, col);
    const srcTenant = this.tenantOf(src);
    if (srcTenant !== undefined && splitKey(src).schema !== splitKey(key).schema) {
      throw new CitusError(
        `cannot colocate tables ${rel(src)} and ${rel(key)}`,
        'Cannot colocate tables with distributed schema tables by using colocate_with option.',
        `Consider using "CREATE TABLE" statement to create this table as a single-shard distributed table in the same schema to automatically colocate it with ${splitKey(src).schema}.${rel(src)}`,
      );
    }
    return srcInfo;
  }

  private findDefaultGroup(shardCount: number, rf: number, type: string, collation: string): number | undefined {
    let best: number | undefined;
    for (const g of this.groups.values()) {
      if (g.tenantSchema || g.reference) continue;
      if (g.shardCount === shardCount && g.replicationFactor === rf && g.columnType === type && g.collation === collation) {
        if (best === undefined || g.id < best) best = g.id;
      }
    }
    return best;
  }

  private ensureColumnTypeEquality(src: string, key: string, col: Column | undefined): void {
    const s = this.citus.get(src)!;
    const sameType = (s.columnType ?? '') === (col?.type.name ?? '');
    if (!sameType) {
      throw new CitusError(`cannot colocate tables ${rel(src)} and ${rel(key)}`, `Distribution column types don't match for ${rel(src)} and ${rel(key)}.`);
    }
    if (col && atLeast(this.version, 14) && (s.collation ?? '') !== columnCollation(col)) {
      throw new CitusError(`cannot colocate tables ${rel(src)} and ${rel(key)}`, `Distribution column collations don't match for ${rel(src)} and ${rel(key)}.`);
    }
  }

  /** 11.2.1 to 11.x (EnsureRelationCanBeDistributed, first check): identity columns must be bigint. */
  private checkIdentityBeforeTriggers(key: string): void {
    if (!atLeast(this.version, 11, 2, 1) || atLeast(this.version, 12)) return;
    if (this.builder.peekTable(key)!.columns.some((c) => c.identity && c.type.name !== 'int8')) {
      throw new CitusError(`cannot complete operation on ${qual(key)} with smallint/int identity column`, undefined, 'Use bigint identity column instead.');
    }
  }

  /** Before 11.2 (EnsureRelationCanBeDistributed, after the trigger check): no identity columns at all. */
  private checkIdentityAfterTriggers(key: string): void {
    if (atLeast(this.version, 11, 2)) return;
    if (this.builder.peekTable(key)!.columns.some((c) => c.identity)) {
      throw new CitusError(`cannot distribute relation: ${rel(key)}`, 'Distributed relations must not use GENERATED ... AS IDENTITY.');
    }
  }

  /** undistribute_table / alter_distributed_table on a table with identity columns, by version (§2.3, §7). */
  private checkIdentityForConversion(t: Table): void {
    if (!t.columns.some((c) => c.identity)) return;
    if (atLeast(this.version, 11, 2, 1)) throw new CitusError('cannot complete operation on a table with identity column');
    if (!atLeast(this.version, 11, 2)) {
      throw new CitusError(`cannot complete command because relation ${qual(t.key)} has identity column`, undefined, 'Drop the identity columns and re-try the command');
    }
  }

  private checkTriggers(key: string): void {
    const t = this.builder.peekTable(key)!;
    if (this.settings['citus.enable_unsafe_triggers'] || this.tenantOf(key) !== undefined) return;
    if (t.triggers.length) throw TRIGGERS(key);
  }

  private checkUniqueness(t: Table, column: string): void {
    if (this.settings['citus.allow_unsafe_constraints']) return;
    const has = (cols: ReadonlyArray<string | null>) => cols.includes(column);
    const bad =
      (t.primaryKey && !has(t.primaryKey.columns)) ||
      t.uniques.some((u) => !has(u.columns)) ||
      t.exclusions.some((x) => !x.elements.some((e) => e.column === column && isEquality(e.operator)));
    if (bad) throw UNIQUE_CONSTRAINT(t.key);
  }

  private checkPolicies(t: Table): void {
    if (t.policies.some((p) => p.hasSubquery)) throw new CitusError('cannot create policy', 'Subqueries are not supported in policies on distributed tables');
  }

  /** COPY of the local rows into the new shards: NULL keys abort it. */
  private copyData(key: string, column: string | undefined, notices: boolean): void {
    const d = this.data.get(key);
    if (!d || d.rows === 0) return;
    const firstNull = column === undefined ? undefined : d.firstNull[column];
    if (firstNull !== undefined) {
      if (firstNull > 0 && notices) this.notices.push(COPY_START_NOTICE);
      throw new CitusError(`the partition column of table ${qual(key)} cannot be NULL`);
    }
    if (notices) this.notices.push(COPY_START_NOTICE, COPY_DONE_NOTICE(key));
  }

  private createSingleShard(key: string, colocateWith: string, tenantGroup?: number): void {
    if (this.tenantOf(key) !== undefined && tenantGroup === undefined) {
      throw new CitusError(`${rel(key)} is not allowed for create_distributed_table because it belongs to a distributed schema`);
    }
    const t = this.ensureCanBeCreated(key);
    if (this.settings['citus.shard_replication_factor'] > 1) {
      throw new CitusError('could not create single shard table: citus.shard_replication_factor is greater than 1', undefined, 'Consider setting citus.shard_replication_factor to 1 and try again');
    }
    if (this.isCitus(key) && this.kind(key) !== 'citus-local') throw new CitusError(`table "${rel(key)}" is already distributed`);
    let colocationId = tenantGroup;
    if (colocationId === undefined) {
      const lc = colocateWith.toLowerCase();
      if (lc === 'default') {
        for (const g of this.groups.values()) {
          if (!g.tenantSchema && !g.reference && g.shardCount === 1 && g.columnType === '' && g.replicationFactor === this.settings['citus.shard_replication_factor']) {
            if (colocationId === undefined || g.id < colocationId) colocationId = g.id;
          }
        }
      } else if (lc !== 'none') {
        const src = this.regclass(colocateWith);
        const s = this.citus.get(src);
        if (!s) throw new CitusError(`relation ${rel(src)} is not distributed`);
        if (s.kind === 'citus-local') throw new CitusError('cannot distribute relation', 'Currently, colocate_with option is not supported with append / range distributed tables and local tables added to metadata.');
        this.ensureColumnTypeEquality(src, key, undefined);
        colocationId = s.colocationId;
      }
    }
    this.checkTriggers(key);
    if (t.partitionOf && !this.isCitus(t.partitionOf.parent)) {
      const p = rel(t.partitionOf.parent);
      throw new CitusError(`cannot distribute relation "${rel(key)}" which is partition of "${p}"`, 'Citus does not support distributing partitions if their parent is not distributed table.', `Distribute the partitioned table "${p}" instead.`);
    }
    colocationId ??= this.newGroup({ shardCount: 1, replicationFactor: this.settings['citus.shard_replication_factor'], columnType: '', collation: '' });
    this.citus.set(key, { table: key, kind: 'single-shard', colocationId, shardCount: 1 });
    for (const fk of this.outgoing(key)) this.checkFk(fk);
    for (const fk of this.incoming(key)) this.checkFk(fk);
    this.checkPolicies(t);
    for (const p of this.partitionsOf(key)) this.createSingleShard(p.key, qual(key), colocationId);
    if (t.relkind !== 'partitioned') this.copyData(key, undefined, true);
  }

  private createReferenceTable(key: string): void {
    if (this.kind(key) === 'citus-local') {
      this.checkIdentityBeforeTriggers(key);
      this.checkTriggers(key);
      this.checkIdentityAfterTriggers(key);
      this.citus.set(key, { table: key, kind: 'reference', colocationId: this.referenceGroupId(), shardCount: 1 });
      for (const fk of [...this.outgoing(key), ...this.incoming(key)]) this.checkFk(fk);
      this.copyData(key, undefined, true);
      return;
    }
    const t = this.ensureCanBeCreated(key);
    // CreateCitusTable (create_distributed_table.c): with FKs between local and
    // reference tables enabled, the FKs between the new reference table and
    // plain tables are dropped now and re-created at the end, where the ALTER
    // TABLE hook converts the plain tables (ConvertPostgresLocalTablesToCitusLocalTables).
    // The FKs it references through come first, then the ones referencing it.
    const recreate = this.localReferenceFks()
      ? [
          ...this.outgoing(key).filter((fk) => fk.refTable !== key && this.kind(fk.refTable) === 'local'),
          ...this.incoming(key).filter((fk) => this.kind(fk.table) === 'local'),
        ]
      : [];
    if (this.isCitus(key)) throw new CitusError(`table "${rel(key)}" is already distributed`);
    this.checkIdentityBeforeTriggers(key);
    this.checkTriggers(key);
    this.checkIdentityAfterTriggers(key);
    if (t.partitionOf && !this.isCitus(t.partitionOf.parent)) {
      const p = rel(t.partitionOf.parent);
      throw new CitusError(`cannot distribute relation "${rel(key)}" which is partition of "${p}"`, 'Citus does not support distributing partitions if their parent is not distributed table.', `Distribute the partitioned table "${p}" instead.`);
    }
    if (t.relkind === 'partitioned') throw new CitusError('distributing partitioned tables in only supported for hash-distributed tables');
    this.citus.set(key, { table: key, kind: 'reference', colocationId: this.referenceGroupId(), shardCount: 1 });
    const pending = new Set(recreate.map(CitusCluster.fkId));
    const notYet = (fk: FkFacts) => pending.has(CitusCluster.fkId(fk));
    for (const fk of this.outgoing(key)) if (!notYet(fk)) this.checkFk(fk);
    this.checkPolicies(t);
    this.copyData(key, undefined, true);
    for (const fk of recreate) {
      this.convertForForeignKeys([fk], notYet); // in ALTER TABLE's preprocessing: the FK is not there yet
      pending.delete(CitusCluster.fkId(fk));
      this.checkFk(fk);
    }
    for (const fk of [...this.outgoing(key), ...this.incoming(key)]) this.checkFk(fk);
  }

  /**
   * ALTER TABLE ... ADD FOREIGN KEY between a plain table and a reference or
   * citus local table (table.c ConvertPostgresLocalTablesToCitusLocalTables):
   * the tables it names, in OID order, each plain one converted to a citus
   * local table together with everything FK-connected to it. They are marked
   * auto-converted unless one of them is a citus local table the user added;
   * then an auto-converted one is marked as the user's too. `skip`: FKs Citus
   * has dropped and not re-created yet.
   */
  private convertForForeignKeys(fks: readonly FkFacts[], skip: (fk: FkFacts) => boolean = () => false): void {
    const involved = this.byOid([...fks.map((fk) => fk.refTable), ...fks.map((fk) => fk.table)]);
    const userConverted = involved.some((k) => this.citus.get(k)?.kind === 'citus-local' && !this.citus.get(k)?.autoConverted);
    for (const k of involved) {
      const info = this.citus.get(k);
      if (info?.kind === 'citus-local' && info.autoConverted && userConverted) this.markNotAutoConverted(k);
      if (info) continue;
      this.convertWithDetail(() => this.convertToCitusLocal(k, !userConverted, true, skip));
    }
  }

  /** UpdateAutoConvertedForConnectedRelations: the citus local tables FK-connected to `key` become the user's. */
  private markNotAutoConverted(key: string): void {
    for (const k of this.fkConnected(key)) {
      const i = this.citus.get(k);
      if (i?.kind === 'citus-local') i.autoConverted = false;
    }
  }

  /**
   * CreateCitusLocalTable (citus_add_local_table_to_metadata.c). An
   * auto-converted table gets the NOTICE; a table with FKs to or from other
   * tables needs `cascade`, and then every FK-connected plain table is
   * converted too, each with its own NOTICE (CascadeOperationForFkeyConnectedRelations
   * runs CreateCitusLocalTable on each, `key` first again). Each conversion
   * rebuilds the table as a shell: a new OID. `skip`: FKs Citus has dropped
   * and not re-created yet.
   */
  private convertToCitusLocal(key: string, autoConverted: boolean, cascade: boolean, skip: (fk: FkFacts) => boolean = () => false): void {
    if (!this.coordinatorInMetadata) throw COORDINATOR_NOT_IN_METADATA();
    const t = this.builder.peekTable(key)!;
    if (t.partitionOf) {
      const p = rel(t.partitionOf.parent);
      if (autoConverted) throw new CitusError('cannot build foreign key between reference table and a partition', undefined, `Try using parent table: ${p}`);
      // ErrorIfAddingPartitionTableToMetadata
      throw new CitusError(`cannot add local table ${rel(key)} to metadata since it is a partition of ${p}. Instead, add the parent table ${p} to metadata.`);
    }
    const notice = (k: string) => {
      if (autoConverted && this.localReferenceFks()) this.notices.push(AUTO_CONVERT_NOTICE(k));
    };
    notice(key);
    const fks = [...this.outgoing(key), ...this.incoming(key)].filter((fk) => fk.table !== fk.refTable && !skip(fk));
    if (fks.length && !cascade) throw INVOLVED_IN_FOREIGN_KEY(key);
    const group = fks.length ? this.fkConnected(key, skip) : [key];
    if (!atLeast(this.version, 11, 2)) {
      // Before 11.2 the shell table could not be deparsed with identity columns.
      for (const k of group) {
        if (this.kind(k) === 'local' && this.builder.peekTable(k)?.columns.some((c) => c.identity)) {
          throw new CitusError(`cannot add ${qual(k)} to citus metadata since table has identity column`, undefined, 'Drop the identity columns and re-try the command');
        }
      }
    }
    for (const k of group) {
      if (this.kind(k) !== 'local') continue;
      if (fks.length) notice(k);
      this.citus.set(k, { table: k, kind: 'citus-local', autoConverted, colocationId: 0 });
      this.newOid(k);
      for (const p of this.partitionsOf(k)) this.citus.set(p.key, { table: p.key, kind: 'citus-local', autoConverted, colocationId: 0 });
    }
    for (const k of group) for (const fk of this.outgoing(k)) if (!skip(fk)) this.checkFk(fk);
  }

  private addLocalTable(key: string, cascade: boolean, autoConverted: boolean): void {
    if (!this.coordinatorInMetadata) throw COORDINATOR_NOT_IN_METADATA();
    const info = this.citus.get(key);
    if (info?.kind === 'citus-local') {
      this.markNotAutoConverted(key);
      return;
    }
    if (info) throw new CitusError(`table "${rel(key)}" is already distributed`);
    const t = this.ensureCanBeCreated(key, true);
    if (t.persistence === 'temporary') throw new CitusError('cannot add local table to metadata, temporary tables are not supported');
    this.convertToCitusLocal(key, autoConverted, cascade);
  }

  private undistribute(key: string, cascade: boolean): void {
    const info = this.citus.get(key);
    if (!info) throw new CitusError('cannot undistribute table because the table is not distributed');
    if (this.tenantOf(key) !== undefined && info.kind === 'single-shard') {
      throw new CitusError(`${rel(key)} is not allowed for undistribute_table because it belongs to a distributed schema`);
    }
    const hint = `Use cascade option to undistribute all the relations involved in a foreign key relationship with ${qual(key)} by executing SELECT undistribute_table($$${qual(key)}$$, cascade_via_foreign_keys=>true)`;
    if (!cascade) {
      if (this.outgoing(key).some((fk) => fk.refTable !== key)) throw new CitusError(`cannot complete operation because table ${rel(key)} has a foreign key`, undefined, hint);
      if (this.incoming(key).length) throw new CitusError(`cannot complete operation because table ${rel(key)} is referenced by a foreign key`, undefined, hint);
    }
    const t = this.builder.peekTable(key)!;
    if (t.partitionOf) throw new CitusError('cannot complete operation because table is a partition', undefined, `the parent table is "${rel(t.partitionOf.parent)}"`);
    for (const k of this.undistribution(key, cascade, false)) this.takeOutOfMetadata(k);
  }

  /**
   * UndistributeTable (alter_table.c) from its identity check on: ConvertTable
   * refuses identity columns (ErrorIfTableHasIdentityColumn, since 11.2.1);
   * with cascade_via_foreign_keys and FKs, ConvertTableInternal undistributes
   * each FK-connected Citus table in turn (CascadeOperationForFkeyConnectedRelations),
   * each with its own identity check and progress NOTICEs, which only the top
   * call can suppress. Returns the tables to take out of the metadata, in order.
   * `skip`: FKs the current command drops.
   */
  private undistribution(key: string, cascade: boolean, suppressNotices: boolean, skip: (fk: FkFacts) => boolean = () => false): string[] {
    this.checkIdentityForConversion(this.builder.peekTable(key)!);
    const hasFks = [...this.outgoing(key), ...this.incoming(key)].some((fk) => fk.table !== fk.refTable && !skip(fk));
    if (!cascade || !hasFks) {
      if (!suppressNotices) this.conversionNotices(key);
      return [key];
    }
    const connected = this.fkConnected(key, skip).filter((k) => this.isCitus(k));
    const targets = connected.filter((k) => !connected.includes(this.builder.peekTable(k)?.partitionOf?.parent ?? ''));
    for (const k of targets) {
      this.checkIdentityForConversion(this.builder.peekTable(k)!);
      this.conversionNotices(k);
    }
    return targets;
  }

  /** The table (and its partitions) becomes a plain table again: rebuilt, so a new OID. */
  private takeOutOfMetadata(key: string): void {
    this.citus.delete(key);
    this.newOid(key);
    for (const p of this.partitionsOf(key)) {
      this.citus.delete(p.key);
      this.newOid(p.key);
    }
  }

  private conversionNotices(key: string): void {
    const q = qual(key);
    this.notices.push(`creating a new table for ${q}`, `moving the data of ${q}`, `dropping the old ${q}`, `renaming the new table to ${q}`);
  }

  private alterDistributedTable(key: string, a: Map<string, Arg>): void {
    const info = this.citus.get(key);
    if (!info || (info.kind !== 'distributed' && info.kind !== 'single-shard')) throw new CitusError('cannot alter table because the table is not distributed');
    if (this.tenantOf(key) !== undefined) throw new CitusError(`${rel(key)} is not allowed for alter_distributed_table because it belongs to a distributed schema`);
    const t = this.builder.peekTable(key)!;
    if (t.relkind === 'foreign') throw new CitusError('cannot complete operation because it is a foreign table');
    if (t.partitionOf) throw new CitusError('cannot complete operation because table is a partition', undefined, `the parent table is "${rel(t.partitionOf.parent)}"`);
    this.checkIdentityForConversion(t);
    const col = a.get('distribution_column');
    const sc = a.get('shard_count');
    const cw = a.get('colocate_with');
    const cascadeArg = a.get('cascade_to_colocated');
    const given = (x?: Arg) => !!x && !x.null;
    if (!given(col) && !given(sc) && !given(cw)) {
      throw new CitusError('you have to specify at least one of the distribution_column, shard_count or colocate_with parameters');
    }
    const groupMates = [...this.citus.values()].filter((i) => i.colocationId === info.colocationId && i.table !== key && !this.builder.peekTable(i.table)?.partitionOf);
    if (given(sc) && groupMates.length && !given(cascadeArg) && !(given(cw) && cw!.text.toLowerCase() !== 'default')) {
      throw new CitusError(
        'cascade_to_colocated parameter is necessary',
        'this table is colocated with some other tables',
        'cascade_to_colocated := false will break the current colocation, cascade_to_colocated := true will change the shard count of colocated tables too.',
      );
    }
    const newColumn = given(col) ? col!.text : info.column!;
    const c = t.columns.find((x) => x.name === newColumn);
    if (!c) throw new CitusError(`column "${newColumn}" of relation "${rel(key)}" does not exist`);
    const shardCount = given(sc) ? Number(sc!.text) : info.shardCount!;
    this.conversionNotices(key);
    this.citus.delete(key);
    for (const p of this.partitionsOf(key)) this.citus.delete(p.key);
    const saved = this.notices;
    this.notices = [];
    this.distributeHash(key, newColumn, shardCount, given(sc), given(cw) ? cw!.text : 'default', false);
    this.notices = saved;
  }

  private updateColocation(key: string, colocateWith: string): void {
    const info = this.citus.get(key);
    if (this.tenantOf(key) !== undefined) throw new CitusError(`${rel(key)} is not allowed for update_distributed_table_colocation because it belongs to a distributed schema`);
    if (!info || (info.kind !== 'distributed' && info.kind !== 'single-shard')) throw new CitusError(`relation ${rel(key)} should be a hash or single shard distributed table`);
    if (colocateWith.toLowerCase() === 'none') {
      const g = this.groups.get(info.colocationId!)!;
      info.colocationId = this.newGroup({ shardCount: g.shardCount, replicationFactor: g.replicationFactor, columnType: g.columnType, collation: g.collation });
      return;
    }
    const src = this.regclass(colocateWith);
    const s = this.citus.get(src);
    if (!s) throw new CitusError(`relation ${rel(src)} is not distributed`);
    if (this.tenantOf(src) !== undefined) throw new CitusError(`${rel(src)} is not allowed for colocate_with because it belongs to a distributed schema`);
    if (s.shardCount !== info.shardCount) {
      throw new CitusError(`cannot colocate tables ${rel(src)} and ${rel(key)}`, `Shard counts don't match for ${rel(src)} and ${rel(key)}.`);
    }
    const col = info.column ? this.builder.peekTable(key)!.columns.find((c) => c.name === info.column) : undefined;
    this.ensureColumnTypeEquality(src, key, col);
    info.colocationId = s.colocationId;
  }

  // ------------------------------------------------------------------ schema-based sharding

  private createSchema(body: any): void {
    if (!this.settings['citus.enable_schema_based_sharding'] || !atLeast(this.version, 12)) return;
    const name: string = body.schemaname;
    if (!name || this.tenantSchemas.has(name)) return;
    this.tenantSchemas.set(name, this.newGroup({ shardCount: 1, replicationFactor: 1, columnType: '', collation: '', tenantSchema: name }));
  }

  private schemaDistribute(schema: string): void {
    if (this.tenantSchemas.has(schema)) return;
    const tables = this.builder.peekTables().filter((t) => t.schema === schema);
    for (const t of tables) {
      const k = this.kind(t.key);
      if (k === 'distributed' || k === 'reference' || k === 'single-shard') throw new CitusError('distributed schema cannot have distributed tables');
      if (t.inherits.length || tables.some((o) => o.inherits.includes(t.key))) throw new CitusError('tables in a distributed schema cannot inherit or be inherited');
      if (t.partitionOf && splitKey(t.partitionOf.parent).schema !== schema) throw new CitusError('partitioned tables in a distributed schema must be in the same schema');
      if (t.relkind === 'foreign') throw new CitusError('cannot distribute a schema that contains foreign tables');
    }
    for (const t of tables) {
      for (const fk of this.outgoing(t.key)) {
        const rs = splitKey(fk.refTable).schema;
        if (rs !== schema && this.kind(fk.refTable) !== 'reference') {
          throw new CitusError('foreign keys from distributed schemas can only point to the same distributed schema or reference tables in regular schemas');
        }
      }
      for (const fk of this.incoming(t.key)) {
        if (splitKey(fk.table).schema !== schema) throw new CitusError('cannot create foreign keys to tables in a distributed schema from another schema');
      }
    }
    const id = this.newGroup({ shardCount: 1, replicationFactor: 1, columnType: '', collation: '', tenantSchema: schema });
    this.tenantSchemas.set(schema, id);
    for (const t of tables) {
      this.citus.set(t.key, { table: t.key, kind: 'single-shard', colocationId: id, shardCount: 1 });
      if (t.relkind !== 'partitioned') this.copyData(t.key, undefined, true);
    }
  }

  private schemaUndistribute(schema: string): void {
    const id = this.tenantSchemas.get(schema);
    if (id === undefined) throw new CitusError(`schema ${schema} is not distributed`);
    for (const t of this.builder.peekTables()) {
      if (t.schema === schema) {
        this.conversionNotices(t.key);
        this.citus.delete(t.key);
      }
    }
    this.tenantSchemas.delete(schema);
    this.groups.delete(id);
  }

  // ------------------------------------------------------------------ CREATE TABLE

  private fksOfCreate(body: any, key: string): FkFacts[] {
    const out: FkFacts[] = [];
    const add = (con: any, cols: string[]) => {
      const pk = con.pktable;
      const refKey = pk.schemaname ? qualifiedKey(pk.schemaname, pk.relname) : pk.relname === splitKey(key).name && !this.builder.peekTable(this.builder.resolveRelation(undefined, pk.relname)) ? key : this.builder.resolveRelation(undefined, pk.relname);
      let refColumns = (con.pk_attrs ?? []).map((x: any) => x.String.sval as string);
      if (!refColumns.length && refKey !== key) refColumns = this.builder.peekTable(refKey)?.primaryKey?.columns ?? [];
      out.push({ name: con.conname ?? '', table: key, columns: cols, refTable: refKey, refColumns, onDelete: ACTIONS[con.fk_del_action ?? 'a'], onUpdate: ACTIONS[con.fk_upd_action ?? 'a'] });
    };
    for (const elt of body.tableElts ?? []) {
      if (elt.ColumnDef) {
        for (const c of elt.ColumnDef.constraints ?? []) if (c.Constraint?.contype === 'CONSTR_FOREIGN') add(c.Constraint, [elt.ColumnDef.colname]);
      } else if (elt.Constraint?.contype === 'CONSTR_FOREIGN') {
        add(elt.Constraint, (elt.Constraint.fk_attrs ?? []).map((x: any) => x.String.sval));
      }
    }
    return out;
  }

  private createTable(body: any): void {
    const rv = body.relation;
    const schema = rv.schemaname ?? this.builder.currentCreationSchema();
    const key = qualifiedKey(schema, rv.relname);
    if (this.builder.peekTable(key)) {
      if (body.if_not_exists) {
        this.notices.push(`relation "${rv.relname}" already exists, skipping`);
        return;
      }
      throw new CitusError(`relation "${rv.relname}" already exists`);
    }
    if (!atLeast(this.version, 13) && body.partspec && (body.tableElts ?? []).some((e: any) => e.Constraint?.contype === 'CONSTR_EXCLUSION')) {
      throw EXCLUDE_ON_PARTITIONED();
    }
    const fks = this.fksOfCreate(body, key);
    for (const fk of fks) if (fk.refTable !== key && !this.builder.peekTable(fk.refTable)) throw NO_RELATION(fk.refTable.startsWith('public.') ? rel(fk.refTable) : fk.refTable);
    const parents = (body.inhRelations ?? []).map((n: any) => this.builder.resolveRelation(n.RangeVar.schemaname, n.RangeVar.relname)) as string[];
    const tenant = this.tenantSchemas.get(schema);
    if (!body.partbound && parents.length) {
      if (tenant !== undefined || parents.some((p) => this.tenantOf(p) !== undefined)) throw new CitusError('tables in a distributed schema cannot inherit or be inherited');
      if (parents.some((p) => ['distributed', 'single-shard', 'reference'].includes(this.kind(p)))) throw new CitusError('non-distributed tables cannot inherit distributed tables');
    }
    this.applyToCatalog();
    this.data.set(key, { rows: 0, firstNull: {} });
    this.newOid(key);
    const t = this.builder.peekTable(key);
    if (!t) return;
    try {
      this.classifyNewTable(key, schema, body, fks, parents);
    } catch (e) {
      this.dropFromCatalog(key);
      throw e;
    }
  }

  /** Remove a table from the catalog again (a CREATE TABLE that Citus rejected). */
  private dropFromCatalog(key: string): void {
    this.dropObject(key, 'OBJECT_TABLE');
  }

  private classifyNewTable(key: string, schema: string, body: any, fks: FkFacts[], parents: string[]): void {
    const tenant = this.tenantSchemas.get(schema);
    if (body.partbound && parents[0]) {
      const parent = this.citus.get(parents[0]);
      if (parent?.kind === 'distributed') {
        this.citus.set(key, { table: key, kind: 'distributed', column: parent.column, columnType: parent.columnType, collation: parent.collation, colocationId: parent.colocationId, shardCount: parent.shardCount });
      } else if (parent?.kind === 'single-shard') {
        this.citus.set(key, { table: key, kind: 'single-shard', colocationId: parent.colocationId, shardCount: 1 });
      } else if (parent?.kind === 'citus-local') {
        this.citus.set(key, { table: key, kind: 'citus-local', autoConverted: parent.autoConverted, colocationId: 0 });
      }
      if (parent) return;
    }
    if (tenant !== undefined) {
      this.citus.set(key, { table: key, kind: 'single-shard', colocationId: tenant, shardCount: 1 });
      for (const fk of fks) {
        const rs = splitKey(fk.refTable).schema;
        if (rs !== schema && this.tenantOf(fk.refTable) === undefined && this.kind(fk.refTable) !== 'reference' && this.kind(fk.refTable) === 'local') {
          throw new CitusError('foreign keys from distributed schemas can only point to the same distributed schema or reference tables in regular schemas');
        }
      }
      for (const fk of this.outgoing(key)) this.checkFk(fk);
      return;
    }
    if (fks.some((fk) => this.tenantOf(fk.refTable) !== undefined)) {
      throw new CitusError('cannot create foreign keys to tables in a distributed schema from another schema');
    }
    // PostprocessCreateTableStmtForeignKeys (table.c): the FKs to reference and
    // citus local tables are dropped and re-created one by one, through the
    // ALTER TABLE hook that converts the new table (and what it is FK-connected to).
    if (!this.localReferenceFks()) return;
    const recreate = this.outgoing(key).filter((fk) => fk.refTable !== key && (this.kind(fk.refTable) === 'reference' || this.kind(fk.refTable) === 'citus-local'));
    const pending = new Set(recreate.map(CitusCluster.fkId));
    const notYet = (fk: FkFacts) => pending.has(CitusCluster.fkId(fk));
    for (const fk of recreate) {
      this.convertForForeignKeys([fk], notYet); // in ALTER TABLE's preprocessing: the FK is not there yet
      pending.delete(CitusCluster.fkId(fk));
      this.checkFk(fk);
    }
  }

  /** Errors raised while auto-converting for an FK carry Citus's explanation. */
  private convertWithDetail(f: () => void): void {
    try {
      f();
    } catch (e) {
      if (e instanceof CitusError && !e.message.startsWith('local tables')) {
        throw new CitusError(e.message, 'When adding a foreign key from a local table to a reference table, Citus applies a conversion to all the local tables in the foreign key graph', e.hint);
      }
      throw e;
    }
  }

  // ------------------------------------------------------------------ ALTER TABLE

  private alterTable(body: any): void {
    if (body.objtype && body.objtype !== 'OBJECT_TABLE' && body.objtype !== 'OBJECT_FOREIGN_TABLE') {
      this.applyToCatalog();
      return;
    }
    const rv = body.relation;
    const key = this.builder.resolveRelation(rv.schemaname, rv.relname);
    const t = this.builder.peekTable(key);
    if (!t) {
      if (body.missing_ok) {
        this.notices.push(`relation "${rv.relname}" does not exist, skipping`);
        return;
      }
      throw NO_RELATION(rv.schemaname ? `${rv.schemaname}.${rv.relname}` : rv.relname);
    }
    const cmds: any[] = (body.cmds ?? []).map((c: any) => c.AlterTableCmd);
    const info = this.citus.get(key);
    const newFks: FkFacts[] = [];
    for (const cmd of cmds) {
      const con = cmd.subtype === 'AT_AddConstraint' ? cmd.def?.Constraint : undefined;
      if (con?.contype === 'CONSTR_FOREIGN') {
        const refKey = this.builder.resolveRelation(con.pktable.schemaname, con.pktable.relname);
        const ref = this.builder.peekTable(refKey);
        if (!ref) throw NO_RELATION(con.pktable.relname);
        let refColumns = (con.pk_attrs ?? []).map((x: any) => x.String.sval as string);
        if (!refColumns.length) refColumns = ref.primaryKey?.columns ?? [];
        newFks.push({ name: con.conname ?? '', table: key, columns: (con.fk_attrs ?? []).map((x: any) => x.String.sval), refTable: refKey, refColumns, onDelete: ACTIONS[con.fk_del_action ?? 'a'], onUpdate: ACTIONS[con.fk_upd_action ?? 'a'] });
      }
    }
    // Local <-> reference / citus local FKs: Citus converts the plain tables first
    // (table.c ATDefinesFKeyBetweenPostgresAndCitusLocalOrRef).
    const lref = (k: CitusKind) => k === 'reference' || k === 'citus-local';
    const betweenLocalAndRef = (fk: FkFacts) => {
      const a = this.kind(fk.table);
      const b = this.kind(fk.refTable);
      return fk.table !== fk.refTable && ((a === 'local' && lref(b)) || (lref(a) && b === 'local'));
    };
    if (this.localReferenceFks() && newFks.some(betweenLocalAndRef)) this.convertForForeignKeys(newFks);
    const infoNow = this.citus.get(key) ?? info;
    if (infoNow) this.checkAlterCitusTable(t, infoNow, cmds);
    else this.checkPostgresAlter(t, cmds);
    for (const fk of newFks) this.checkFk(fk);
    // ATTACH PARTITION: the child follows the parent.
    for (const cmd of cmds) {
      if (cmd.subtype !== 'AT_AttachPartition') continue;
      const prv = cmd.def.PartitionCmd.name;
      const childKey = this.builder.resolveRelation(prv.schemaname, prv.relname);
      if (!this.builder.peekTable(childKey)) throw NO_RELATION(prv.relname);
      const parent = this.citus.get(key);
      if (parent?.kind === 'distributed' && !this.isCitus(childKey)) {
        this.checkTriggers(childKey);
        this.citus.set(childKey, { table: childKey, kind: 'distributed', column: parent.column, columnType: parent.columnType, collation: parent.collation, colocationId: parent.colocationId, shardCount: parent.shardCount });
        this.copyData(childKey, parent.column, true);
      } else if (parent?.kind === 'single-shard' && !this.isCitus(childKey)) {
        this.citus.set(childKey, { table: childKey, kind: 'single-shard', colocationId: parent.colocationId, shardCount: 1 });
        this.copyData(childKey, undefined, true);
      } else if (parent?.kind === 'citus-local' && !this.isCitus(childKey)) {
        this.citus.set(childKey, { table: childKey, kind: 'citus-local', autoConverted: parent.autoConverted, colocationId: 0 });
      }
    }
    const names = constraintNames(t);
    const dropped = new Set<string>(cmds.filter((c) => c.subtype === 'AT_DropConstraint' && names.has(c.name)).map((c) => c.name));
    const onTable = (fk: FkFacts) => fk.table === key || this.builder.peekTable(fk.table)?.partitionOf?.parent === key;
    const undistribute = dropped.size && this.isCitus(key) ? this.disconnectedCitusLocals(new Set(), (fk) => onTable(fk) && dropped.has(fk.name)) : [];
    this.applyToCatalog();
    for (const cmd of cmds) {
      if (cmd.subtype === 'AT_AddColumn' && this.data.get(key)?.rows) {
        const cd = cmd.def.ColumnDef;
        const hasDefault = (cd.constraints ?? []).some((c: any) => ['CONSTR_DEFAULT', 'CONSTR_IDENTITY', 'CONSTR_GENERATED'].includes(c.Constraint?.contype));
        const serial = /serial/.test((cd.typeName?.names ?? []).map((n: any) => n.String?.sval).join('.'));
        if (!hasDefault && !serial) this.dataOf(key).firstNull[cd.colname] = 0;
      }
    }
    for (const k of undistribute) this.takeOutOfMetadata(k);
  }

  private checkAlterCitusTable(t: Table, info: Info, cmds: any[]): void {
    const key = t.key;
    const touchesKey = (name?: string) => !!info.column && name === info.column;
    for (const cmd of cmds) {
      switch (cmd.subtype) {
        case 'AT_AddColumn': {
          const cd = cmd.def?.ColumnDef;
          const names: string[] = (cd?.typeName?.names ?? []).map((n: any) => n.String?.sval);
          const cons: any[] = (cd?.constraints ?? []).map((c: any) => c.Constraint);
          const rows = this.data.get(key)?.rows ?? 0;
          if (names.length === 1 && /^(small|big)?serial[248]?$/.test(names[0])) {
            if (this.metadataSync) throw new CitusError('cannot execute ADD COLUMN commands involving serial pseudotypes when metadata is synchronized to workers');
            if (cmds.length > 1 || cons.length) throw new CitusError('cannot execute ADD COLUMN commands involving serial pseudotypes with other subcommands/constraints', undefined, 'You can issue each subcommand separately');
            if (rows) {
              throw new CitusError('Cannot add a column involving serial pseudotypes because the table is not empty', undefined, "You can first call ALTER TABLE .. ADD COLUMN .. smallint/int/bigint\nThen set the default by ALTER TABLE .. ALTER COLUMN .. SET DEFAULT nextval('..')");
            }
          }
          for (const c of cons) {
            if (c.contype === 'CONSTR_IDENTITY') {
              if (this.metadataSync) throw new CitusError('cannot execute ADD COLUMN commands involving identity columns when metadata is synchronized to workers');
              if (rows) throw new CitusError('Cannot add an identity column because the table is not empty');
            }
          }
          for (const c of cons) {
            if (c.contype === 'CONSTR_DEFAULT' && JSON.stringify(c.raw_expr ?? null).includes('"nextval"')) {
              if (cmds.length > 1 || cons.length > 1) throw new CitusError("cannot execute ADD COLUMN .. DEFAULT nextval('..') command with other subcommands/constraints", undefined, 'You can issue each subcommand separately');
              if (rows) {
                throw new CitusError("cannot add a column involving DEFAULT nextval('..') because the table is not empty", undefined, "You can first call ALTER TABLE .. ADD COLUMN .. smallint/int/bigint\nThen set the default by ALTER TABLE .. ALTER COLUMN .. SET DEFAULT nextval('..')");
              }
            }
          }
          break;
        }
        case 'AT_ColumnDefault':
          if (touchesKey(cmd.name)) throw PARTITION_COLUMN();
          if (cmd.def && JSON.stringify(cmd.def).includes('"nextval"') && cmds.length > 1) {
            throw new CitusError("cannot execute ALTER COLUMN COLUMN .. SET DEFAULT nextval('..') command with other subcommands", undefined, 'You can issue each subcommand separately');
          }
          break;
        case 'AT_AlterColumnType': {
          if (touchesKey(cmd.name)) throw PARTITION_COLUMN();
          const col = t.columns.find((c) => c.name === cmd.name);
          if (col?.identity) throw new CitusError('cannot execute ALTER COLUMN command involving identity column');
          if (col?.defaultSequence) throw new CitusError('cannot execute ALTER COLUMN TYPE .. command because the column involves a default coming from a sequence');
          break;
        }
        case 'AT_DropColumn':
        case 'AT_DropNotNull':
          if (touchesKey(cmd.name)) throw PARTITION_COLUMN();
          break;
        case 'AT_AddConstraint':
          if (cmds.length > 1) throw new CitusError('cannot execute ADD CONSTRAINT command with other subcommands', undefined, 'You can issue each subcommand separately');
          // Citus names unnamed constraints itself since 11.2 (citus-rules.md §5, §12).
          if (!atLeast(this.version, 11, 2) && !cmd.def?.Constraint?.conname) throw new CitusError('cannot create constraint without a name on a distributed table');
          break;
        case 'AT_AttachPartition': {
          if (cmds.length > 1) throw new CitusError('cannot execute ATTACH PARTITION command with other subcommands', undefined, 'You can issue each subcommand separately.');
          const prv = cmd.def.PartitionCmd.name;
          const childKey = this.builder.resolveRelation(prv.schemaname, prv.relname);
          if (this.kind(childKey) === 'citus-local' || info.kind === 'citus-local') break;
          if (this.isCitus(childKey) && !this.areColocated(childKey, key)) throw new CitusError('distributed tables cannot have non-colocated distributed tables as a partition ');
          break;
        }
        case 'AT_DetachPartitionFinalize':
          throw new CitusError('ALTER TABLE .. DETACH PARTITION .. FINALIZE commands are currently unsupported.');
        case 'AT_DetachPartition':
          if (cmds.length > 1) throw new CitusError('cannot execute DETACH PARTITION command with other subcommands', undefined, 'You can issue each subcommand separately.');
          if (cmd.def?.PartitionCmd?.concurrent) throw new CitusError('ALTER TABLE .. DETACH PARTITION .. CONCURRENTLY commands are currently unsupported.');
          break;
        case 'AT_EnableTrig':
        case 'AT_EnableAlwaysTrig':
        case 'AT_EnableReplicaTrig':
        case 'AT_EnableTrigUser':
        case 'AT_DisableTrig':
        case 'AT_DisableTrigUser':
        case 'AT_EnableTrigAll':
        case 'AT_DisableTrigAll':
          if (cmds.length > 1) throw new CitusError('cannot execute ENABLE/DISABLE TRIGGER command with other subcommands', undefined, 'You can issue each subcommand separately');
          this.triggerSupported(key);
          break;
        case 'AT_SetExpression':
          throw new CitusError('ALTER TABLE ... ALTER COLUMN ... SET EXPRESSION commands are currently unsupported.');
        case 'AT_SetAccessMethod':
          if (!cmd.name) throw new CitusError('DEFAULT option in ALTER TABLE ... SET ACCESS METHOD is currently unsupported.', undefined, 'You can rerun the command by explicitly writing the access method name.');
          break;
        case 'AT_SetNotNull':
        case 'AT_ReplicaIdentity':
        case 'AT_ChangeOwner':
        case 'AT_EnableRowSecurity':
        case 'AT_DisableRowSecurity':
        case 'AT_ForceRowSecurity':
        case 'AT_NoForceRowSecurity':
        case 'AT_ValidateConstraint':
        case 'AT_DropConstraint':
        case 'AT_SetCompression':
        case 'AT_SetRelOptions':
        case 'AT_ResetRelOptions':
        case 'AT_ReplaceRelOptions':
        case 'AT_SetLogged':
        case 'AT_SetUnLogged':
          break;
        default:
          throw ALTER_UNSUPPORTED();
      }
    }
    // PostgreSQL runs the command here (between Citus's pre- and post-processing).
    this.checkPostgresAlter(t, cmds);
    for (const cmd of cmds) {
      if (cmd.subtype === 'AT_AddColumn') {
        const cons = (cmd.def?.ColumnDef?.constraints ?? []).map((x: any) => x.Constraint);
        if (info.kind === 'distributed' && !this.settings['citus.allow_unsafe_constraints'] && cons.some((c: any) => c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_UNIQUE')) {
          throw UNIQUE_CONSTRAINT(key); // the new column is never the distribution column
        }
        // Unnamed PRIMARY KEY / UNIQUE / REFERENCES get a name from Citus since 11.2; an unnamed CHECK never does.
        const unnamed = atLeast(this.version, 11, 2) ? ['CONSTR_CHECK'] : ['CONSTR_PRIMARY', 'CONSTR_UNIQUE', 'CONSTR_FOREIGN', 'CONSTR_CHECK'];
        const c = cons.find((x: any) => !x.conname && unnamed.includes(x.contype));
        if (c) throw this.addColumnConstraintError(key, cmd.def.ColumnDef.colname, c);
      }
      if (cmd.subtype === 'AT_AddConstraint' && info.kind === 'distributed' && !this.settings['citus.allow_unsafe_constraints']) {
        const con = cmd.def.Constraint;
        if (con.contype === 'CONSTR_PRIMARY' || con.contype === 'CONSTR_UNIQUE') {
          let cols: string[] = (con.keys ?? []).map((k: any) => k.String.sval);
          if (!cols.length && con.indexname) cols = (t.indexes.find((i) => i.name === con.indexname)?.columns ?? []).filter((c): c is string => !!c);
          if (!cols.includes(info.column!)) throw UNIQUE_CONSTRAINT(key);
        } else if (con.contype === 'CONSTR_EXCLUSION') {
          const ok = (con.exclusions ?? []).some((pair: any) => {
            const [elem, ops] = pair.List.items;
            const op = (ops.List?.items ?? []).map((o: any) => o.String.sval).join('.');
            return elem.IndexElem?.name === info.column && isEquality(op);
          });
          if (!ok) throw UNIQUE_CONSTRAINT(key);
        }
      }
    }
  }

  /** ErrorUnsupportedAlterTableAddColumn: ADD COLUMN with a constraint Citus cannot name on the shards. */
  private addColumnConstraintError(key: string, column: string, c: any): CitusError {
    let what = 'CHECK (check_expression)';
    if (c.contype === 'CONSTR_UNIQUE') what = `UNIQUE (${column})`;
    else if (c.contype === 'CONSTR_PRIMARY') what = `PRIMARY KEY (${column})`;
    else if (c.contype === 'CONSTR_FOREIGN') {
      const refKey = this.builder.resolveRelation(c.pktable.schemaname, c.pktable.relname);
      const refColumn = c.pk_attrs?.[0]?.String?.sval ?? this.builder.peekTable(refKey)?.primaryKey?.columns[0] ?? '';
      const actions: Record<string, string> = { n: 'SET NULL', c: 'CASCADE', d: 'SET DEFAULT', r: 'RESTRICT' };
      what = `FOREIGN KEY (${column}) REFERENCES ${rel(refKey)}(${refColumn})`;
      if (actions[c.fk_del_action]) what += ` ON DELETE ${actions[c.fk_del_action]}`;
      if (actions[c.fk_upd_action]) what += ` ON UPDATE ${actions[c.fk_upd_action]}`;
    }
    return new CitusError(
      'cannot execute ADD COLUMN command with PRIMARY KEY, UNIQUE, FOREIGN and CHECK constraints',
      'Adding a column with a constraint in one command is not supported because all constraints in Citus must have explicit names',
      `You can issue each command separately such as ALTER TABLE ${rel(key)} ADD COLUMN ${column} data_type; ALTER TABLE ${rel(key)} ADD CONSTRAINT constraint_name ${what};`,
    );
  }

  /**
   * What PostgreSQL itself refuses in an ALTER TABLE, as far as the model knows:
   * EXCLUDE on a partitioned table before PostgreSQL 17 (so before Citus 13.0,
   * citus-rules.md §8, §12); a constraint name the table already uses, or a
   * second primary key (constraints the same command drops do not count:
   * PostgreSQL drops before it adds); and, for plain tables (whose rows the
   * coordinator holds), NOT NULL over rows that hold NULL.
   */
  private checkPostgresAlter(t: Table, cmds: any[]): void {
    if (!atLeast(this.version, 13) && t.relkind === 'partitioned') {
      for (const cmd of cmds) {
        if (cmd.subtype === 'AT_AddConstraint' && cmd.def?.Constraint?.contype === 'CONSTR_EXCLUSION') throw EXCLUDE_ON_PARTITIONED();
      }
    }
    const names = constraintNames(t);
    for (const cmd of cmds) if (cmd.subtype === 'AT_DropConstraint') names.delete(cmd.name);
    const hasPk = !!t.primaryKey && names.has(t.primaryKey.name);
    for (const cmd of cmds) {
      const con = cmd.subtype === 'AT_AddConstraint' ? cmd.def?.Constraint : undefined;
      if (!con) continue;
      if (con.conname && names.has(con.conname)) throw new CitusError(`constraint "${con.conname}" for relation "${rel(t.key)}" already exists`);
      if (con.contype === 'CONSTR_PRIMARY' && hasPk) throw new CitusError(`multiple primary keys for table "${rel(t.key)}" are not allowed`);
    }
    if (this.kind(t.key) !== 'local') return; // on a Citus table the error would name the shard holding the row
    const d = this.data.get(t.key);
    if (!d?.rows) return;
    const hasNulls = (c: string) => d.firstNull[c] !== undefined;
    for (const cmd of cmds) {
      let cols: string[] = [];
      if (cmd.subtype === 'AT_SetNotNull') cols = [cmd.name];
      else if (cmd.subtype === 'AT_AddConstraint' && cmd.def?.Constraint?.contype === 'CONSTR_PRIMARY') {
        cols = (cmd.def.Constraint.keys ?? []).map((k: any) => k.String.sval);
      } else if (cmd.subtype === 'AT_AddColumn') {
        const cd = cmd.def?.ColumnDef;
        const cons = (cd?.constraints ?? []).map((x: any) => x.Constraint?.contype);
        const filled = cons.some((c: string) => ['CONSTR_DEFAULT', 'CONSTR_IDENTITY', 'CONSTR_GENERATED'].includes(c)) || /serial/.test((cd?.typeName?.names ?? []).map((n: any) => n.String?.sval).join('.'));
        if (!filled && (cons.includes('CONSTR_NOTNULL') || cons.includes('CONSTR_PRIMARY'))) throw NOT_NULL_VIOLATION(cd.colname, rel(t.key));
      }
      const bad = cols.find(hasNulls);
      if (bad) throw NOT_NULL_VIOLATION(bad, rel(t.key));
    }
  }

  /**
   * UndistributeDisconnectedCitusLocalTables (utility_hook.c). At the end of a
   * top-level command that dropped a table constraint (citus_drop_trigger calls
   * notify_constraint_dropped), with FKs between local and reference tables on
   * (ShouldCheckUndistributeCitusLocalTables: the setting, and the coordinator
   * in the metadata), Citus takes each auto-converted citus local table, in
   * OID order, that is no longer FK-connected to a reference table, prints a
   * NOTICE and undistributes it with cascade_via_foreign_keys, its own
   * progress NOTICEs suppressed (those of the FK-connected tables it cascades
   * to are not). The undistribution refuses identity columns (alter_table.c
   * ConvertTable -> ErrorIfTableHasIdentityColumn), which fails the whole command.
   *
   * Called before the command's catalog change is applied, so that a failure
   * leaves the catalog as it was: `goneTables` and `goneFk` say what the
   * command drops. Returns the tables to take out of the metadata once it is applied.
   */
  private disconnectedCitusLocals(goneTables: ReadonlySet<string>, goneFk: (fk: FkFacts) => boolean): string[] {
    if (!this.localReferenceFks()) return [];
    const skip = (fk: FkFacts) => goneTables.has(fk.table) || goneTables.has(fk.refTable) || goneFk(fk);
    const out: string[] = [];
    const locals = this.byOid([...this.citus.values()].filter((i) => i.kind === 'citus-local').map((i) => i.table));
    for (const k of locals) {
      const t = this.builder.peekTable(k);
      if (!t || goneTables.has(k) || out.includes(k) || t.partitionOf || !this.citus.get(k)?.autoConverted) continue;
      const group = this.fkConnected(k, skip);
      if (group.some((g) => this.kind(g) === 'reference')) continue;
      this.notices.push(REMOVED_FROM_METADATA_NOTICE(k));
      out.push(...this.undistribution(k, true, true, skip).filter((g) => !out.includes(g)));
    }
    return out;
  }

  // ------------------------------------------------------------------ other DDL

  private createIndex(body: any): void {
    const t = this.mustTable(body.relation);
    const info = this.citus.get(t.key);
    if (!body.unique || info?.kind !== 'distributed' || this.settings['citus.allow_unsafe_constraints']) return;
    const cols = (body.indexParams ?? []).map((p: any) => p.IndexElem?.name).filter(Boolean);
    if (!cols.includes(info.column)) throw new CitusError('creating unique indexes on non-partition columns is currently unsupported');
  }

  private triggerSupported(key: string): void {
    if (this.settings['citus.enable_unsafe_triggers']) return;
    const k = this.kind(key);
    if (k === 'reference') throw new CitusError('triggers are not supported on reference tables');
    if ((k === 'distributed' || k === 'single-shard') && this.tenantOf(key) === undefined) throw new CitusError('triggers are not supported on distributed tables');
  }

  private createTrigger(body: any): void {
    const t = this.mustTable(body.relation);
    this.triggerSupported(t.key);
  }

  private sequenceUsers(seqKey: string): string[] {
    const out: string[] = [];
    for (const t of this.builder.peekTables()) {
      if (t.columns.some((c) => c.defaultSequence === seqKey || c.identity?.sequence === seqKey)) out.push(t.key);
    }
    const owner = this.builder.peekSequence(seqKey)?.ownedBy?.table;
    if (owner && !out.includes(owner)) out.push(owner);
    return out;
  }

  private alterSequence(body: any): void {
    const rv = body.sequence;
    const key = this.builder.resolveRelation(rv.schemaname, rv.relname);
    if (!this.builder.peekSequence(key)) {
      if (body.missing_ok) return;
      throw NO_RELATION(rv.relname);
    }
    if (this.sequenceUsers(key).some((k) => ['distributed', 'reference', 'single-shard'].includes(this.kind(k)))) {
      throw new CitusError('Altering a distributed sequence is currently not supported.');
    }
  }

  private createSequence(body: any): void {
    for (const o of body.options ?? []) {
      const d = o.DefElem;
      if (d?.defname !== 'owned_by') continue;
      const parts = (d.arg?.List?.items ?? []).map((i: any) => i.String.sval as string);
      if (parts.length < 2) continue;
      const tkey = parts.length > 2 ? qualifiedKey(parts[0], parts[1]) : this.builder.resolveRelation(undefined, parts[0]);
      if (this.kind(tkey) === 'distributed' || this.kind(tkey) === 'single-shard') {
        throw new CitusError('cannot create sequences that specify a distributed table in their OWNED BY option');
      }
    }
  }

  private renameCheck(body: any): void {
    if (body.renameType === 'OBJECT_TABCONSTRAINT' && body.relation) {
      const key = this.builder.resolveRelation(body.relation.schemaname, body.relation.relname);
      const k = this.kind(key);
      if (k === 'distributed' || k === 'single-shard') throw new CitusError('renaming constraints belonging to distributed tables is currently unsupported');
    }
    if (body.renameType === 'OBJECT_TABLE' && body.relation) {
      const key = this.builder.resolveRelation(body.relation.schemaname, body.relation.relname);
      const info = this.citus.get(key);
      const d = this.data.get(key);
      const oid = this.oids.get(key);
      if (oid !== undefined) {
        this.oids.delete(key);
        this.oids.set(qualifiedKey(splitKey(key).schema, body.newname), oid);
      }
      if (info || d) {
        const newKey = qualifiedKey(splitKey(key).schema, body.newname);
        if (info) {
          this.citus.delete(key);
          this.citus.set(newKey, { ...info, table: newKey });
        }
        if (d) {
          this.data.delete(key);
          this.data.set(newKey, d);
        }
      }
    }
    if (body.renameType === 'OBJECT_COLUMN' && body.relation) {
      const key = this.builder.resolveRelation(body.relation.schemaname, body.relation.relname);
      const info = this.citus.get(key);
      if (info && info.column === body.subname) info.column = body.newname;
    }
  }

  private truncate(body: any): void {
    const keys = (body.relations ?? []).map((r: any) => this.mustTable(r.RangeVar).key) as string[];
    const all = new Set(keys);
    if (body.behavior === 'DROP_CASCADE') {
      const queue = [...keys];
      while (queue.length) {
        const k = queue.shift()!;
        for (const fk of this.incoming(k)) if (!all.has(fk.table)) {
          all.add(fk.table);
          queue.push(fk.table);
          this.notices.push(`truncate cascades to table "${rel(fk.table)}"`);
        }
      }
    } else {
      for (const k of keys) {
        for (const fk of this.incoming(k)) {
          if (!all.has(fk.table)) {
            throw new CitusError(
              'cannot truncate a table referenced in a foreign key constraint',
              `Table "${rel(fk.table)}" references "${rel(k)}".`,
              `Truncate table "${rel(fk.table)}" at the same time, or use TRUNCATE ... CASCADE.`,
            );
          }
        }
      }
    }
    for (const k of all) this.data.set(k, { rows: 0, firstNull: {} });
  }

  private drop(body: any): void {
    const tables: string[] = [];
    let dropViews = () => {};
    if (body.removeType === 'OBJECT_TABLE' || body.removeType === 'OBJECT_FOREIGN_TABLE') {
      for (const obj of body.objects ?? []) {
        const parts: string[] = (obj.List?.items ?? [obj]).map((i: any) => i.String?.sval).filter(Boolean);
        const key = parts.length > 1 ? qualifiedKey(parts[parts.length - 2], parts[parts.length - 1]) : this.builder.resolveRelation(undefined, parts[0]);
        if (!this.builder.peekTable(key)) {
          if (body.missing_ok) {
            this.notices.push(`table "${parts[parts.length - 1]}" does not exist, skipping`);
            continue;
          }
          throw new CitusError(`table "${parts[parts.length - 1]}" does not exist`);
        }
        tables.push(key, ...this.partitionsOf(key).map((p) => p.key));
      }
      const named = tables.filter((k) => !this.builder.peekTable(k)?.partitionOf || !tables.includes(this.builder.peekTable(k)!.partitionOf!.parent));
      dropViews = this.dropDependents(tables, named, body.behavior === 'DROP_CASCADE');
    }
    if (body.removeType === 'OBJECT_PROCEDURE' || body.removeType === 'OBJECT_FUNCTION' || body.removeType === 'OBJECT_ROUTINE') {
      for (const obj of body.objects ?? []) {
        const names: string[] = (obj.ObjectWithArgs?.objname ?? []).map((n: any) => n.String?.sval);
        const name = names[names.length - 1];
        if (name) this.routines.delete(names.length > 1 ? qualifiedKey(names[names.length - 2], name) : qualifiedKey(this.builder.currentCreationSchema(), name));
      }
    }
    // A dropped Citus table that had constraints (or FKs to it, dropped by CASCADE): citus_drop_trigger reports a dropped table constraint.
    const gone = new Set(tables);
    const dropsConstraint = tables.some((k) => constraintNames(this.builder.peekTable(k)!).size > 0 || this.incoming(k).length > 0);
    const undistribute = dropsConstraint && tables.some((k) => this.isCitus(k)) ? this.disconnectedCitusLocals(gone, () => false) : [];
    dropViews();
    this.applyToCatalog();
    for (const k of tables) {
      this.citus.delete(k);
      this.data.delete(k);
      this.oids.delete(k);
    }
    for (const k of undistribute) this.takeOutOfMetadata(k);
  }

  /** getObjectDescription() of a relation: qualified only when not visible on the search path. */
  private describe(key: string, what: string): string {
    const { schema, name } = splitKey(key);
    const visible = this.resolve(quoteIdent(name)) === key;
    return `${what} ${visible ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`}`;
  }

  /**
   * PostgreSQL's dependency check for DROP TABLE: FKs from other tables,
   * views reading the table (transitively) and inheritance children. Without
   * CASCADE they make the DROP fail; with it they are dropped too, with a NOTICE.
   * Returns what drops the dependent views from the catalog, to run once nothing can fail any more.
   */
  private dropDependents(tables: string[], named: string[], cascade: boolean): () => void {
    const dropped = new Set(tables);
    const catalog = this.builder.build();
    const viewWord = (k: string) => (catalog.views[k]?.materialized ? 'materialized view' : 'view');
    const found: Array<{ text: string; view?: string; fk?: { table: string; name: string } }> = [];
    const describeDropped = (k: string) => (catalog.views[k] ? this.describe(k, viewWord(k)) : this.describe(k, 'table'));
    for (const t of this.builder.peekTables()) {
      if (dropped.has(t.key)) continue;
      const parentFks = t.partitionOf ? this.builder.peekTable(t.partitionOf.parent)?.foreignKeys ?? [] : [];
      for (const fk of t.foreignKeys) {
        if (!dropped.has(fk.refTable) || parentFks.some((p) => p.name === fk.name)) continue;
        found.push({ text: `constraint ${fk.name} on ${this.describe(t.key, 'table')} depends on ${describeDropped(fk.refTable)}`, fk: { table: t.key, name: fk.name } });
      }
      for (const parent of t.inherits) if (dropped.has(parent)) found.push({ text: `${this.describe(t.key, 'table')} depends on ${describeDropped(parent)}` });
    }
    const views = Object.values(catalog.views).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (let changed = true; changed; ) {
      changed = false;
      for (const v of views) {
        if (dropped.has(v.key)) continue;
        const on = v.reads.find((r) => dropped.has(r));
        if (!on) continue;
        dropped.add(v.key);
        changed = true;
        found.push({ text: `${this.describe(v.key, viewWord(v.key))} depends on ${describeDropped(on)}`, view: v.key });
      }
    }
    if (!found.length) return () => {};
    if (!cascade) {
      const lines = found.map((f) => f.text);
      if (named.length === 1) throw DEPENDENT_OBJECTS(this.describe(named[0], 'table'), lines);
      throw new CitusError('cannot drop desired object(s) because other objects depend on them', lines.join('\n'), 'Use DROP ... CASCADE to drop the dependent objects too.');
    }
    const what = found.map((f) => `drop cascades to ${f.text.replace(/ depends on .*$/, '')}`);
    this.notices.push(what.length === 1 ? what[0] : `drop cascades to ${what.length} other objects\nDETAIL:  ${what.join('\n')}`);
    return () => {
      for (const f of found) if (f.view) this.dropObject(f.view, catalog.views[f.view].materialized ? 'OBJECT_MATVIEW' : 'OBJECT_VIEW');
    };
  }

  /** Drop a relation from the catalog (a CASCADE's dependent, or a CREATE TABLE that Citus rejected). */
  private dropObject(key: string, removeType: string): void {
    const { schema, name } = splitKey(key);
    const node = { DropStmt: { removeType, behavior: 'DROP_RESTRICT', objects: [{ List: { items: [{ String: { sval: schema } }, { String: { sval: name } }] } }] } };
    this.builder.apply(this.script!, { ...this.stmt!, node } as unknown as Statement);
  }

  // ------------------------------------------------------------------ data

  private recordRows(key: string, columns: string[], rows: Array<Array<string | null>>, via: 'copy' | 'insert'): void {
    const t = this.builder.peekTable(key)!;
    const info = this.citus.get(key);
    if (info?.kind === 'distributed' && info.column) {
      const idx = columns.indexOf(info.column);
      const keyCol = t.columns.find((c) => c.name === info.column);
      const hasDefault = !!(keyCol?.default || keyCol?.identity);
      if (idx === -1 && !hasDefault) {
        if (via === 'copy') throw new CitusError(`the partition column of table ${qual(key)} should have a value`);
        throw new CitusError('cannot perform an INSERT without a partition column value');
      }
      if (idx !== -1 && rows.some((r) => r[idx] === null)) {
        if (via === 'copy') throw new CitusError(`the partition column of table ${qual(key)} cannot be NULL`);
        throw new CitusError('cannot perform an INSERT with NULL in the partition column');
      }
    }
    const d = this.dataOf(key);
    for (const c of t.columns) {
      const idx = columns.indexOf(c.name);
      let first = -1;
      if (idx === -1) first = c.default || c.identity || c.generated ? -1 : rows.length ? 0 : -1;
      else first = rows.findIndex((r) => r[idx] === null);
      if (first !== -1 && d.firstNull[c.name] === undefined) d.firstNull[c.name] = d.rows + first;
    }
    d.rows += rows.length;
  }

  private copy(body: any): void {
    if (!body.is_from || body.filename || !body.relation) return;
    const t = this.mustTable(body.relation);
    const stmt = this.stmt!;
    const block = this.script?.copyBlocks.find((b) => b.statementStartByte <= stmt.startByte && stmt.endByte <= b.statementEndByte);
    const columns = (body.attlist ?? []).map((a: any) => a.String.sval as string);
    const cols = columns.length ? columns : t.columns.filter((c) => !c.generated).map((c) => c.name);
    const rows = block ? parseCopyText(this.script!.source.bytes.subarray(block.dataStartByte, block.dataEndByte)) : [];
    this.recordRows(t.key, cols, rows, 'copy');
  }

  private insert(body: any): void {
    const t = this.mustTable(body.relation);
    const columns = (body.cols ?? []).map((c: any) => c.ResTarget.name as string);
    const cols = columns.length ? columns : t.columns.filter((c) => !c.generated).map((c) => c.name);
    const lists = body.selectStmt?.SelectStmt?.valuesLists;
    if (!lists) {
      this.recordRows(t.key, cols, [cols.map(() => 'x')], 'insert');
      return;
    }
    const rows = lists.map((l: any) => (l.List?.items ?? []).map((v: any) => (isNullConst(v) ? null : 'x')));
    this.recordRows(t.key, cols, rows, 'insert');
  }

  private isVolatile(node: unknown): boolean {
    let found = false;
    walk(node, (n: any) => {
      const fc = n.FuncCall;
      if (!fc) return;
      const names = (fc.funcname ?? []).map((x: any) => x.String?.sval);
      const name = names[names.length - 1];
      const key = names.length > 1 ? qualifiedKey(names[0], name) : qualifiedKey('public', name);
      if (VOLATILE.has(name) || this.builder.peekFunction(key)?.volatility === 'volatile') found = true;
    });
    return found;
  }

  private update(body: any): void {
    const t = this.mustTable(body.relation);
    const info = this.citus.get(t.key);
    if (info && info.kind !== 'citus-local') this.checkDistributedUpdate(t, info, body);
    this.updateData(body);
  }

  /** Citus's planner checks of an UPDATE on a distributed or reference table (citus-rules.md §11). */
  private checkDistributedUpdate(t: Table, info: Info, body: any): void {
    for (const tgt of body.targetList ?? []) {
      const rt = tgt.ResTarget;
      if (this.isVolatile(rt.val)) throw new CitusError('functions used in UPDATE queries on distributed tables must not be VOLATILE');
      if (info.kind === 'distributed' && info.column && rt.name === info.column && this.changesKey(t, info.column, body, rt.val)) {
        throw new CitusError('modifying the partition value of rows is not allowed');
      }
    }
    if (body.whereClause && this.isVolatile(body.whereClause)) {
      throw new CitusError('functions used in the WHERE/ON/WHEN clause of modification queries on distributed tables must not be VOLATILE');
    }
  }

  /**
   * TargetEntryChangesValue: may `SET <key> = val` change the key? A constant
   * is a no-op when WHERE has `key = <that constant>`. A column: before the
   * #8214 fix, any column at the key's attribute number passed (of any table in
   * the query); since, only the target's own key, or one WHERE equates to it.
   */
  private changesKey(t: Table, column: string, body: any, val: any): boolean {
    let v = val;
    while (v?.TypeCast) v = v.TypeCast.arg;
    if (v?.A_Const) return !whereFixesKey(body.whereClause, column, val);
    const ref = v?.ColumnRef ? this.columnOf(v, this.rangeVars(body)) : undefined;
    if (!ref) return true;
    if (keyUpdateFixed(this.version)) return !(ref.alias === this.targetAlias(body) && ref.column === column) && !whereFixesKey(body.whereClause, column, val);
    const attno = (k: string, c: string) => (this.builder.peekTable(k)?.columns ?? []).findIndex((x) => x.name === c);
    return !ref.table || attno(ref.table, ref.column) !== attno(t.key, column);
  }

  private delete(body: any): void {
    this.mustTable(body.relation);
    this.deleteData(body);
  }

  // ------------------------------------------------------------------ what the rows hold (NULLs per column)

  private targetAlias(body: any): string {
    return body.relation.alias?.aliasname ?? body.relation.relname;
  }

  /** The range variables of an UPDATE/DELETE: alias -> table key ('' when not a table the model knows). */
  private rangeVars(body: any): Map<string, string> {
    const out = new Map<string, string>();
    const add = (rv: any) => {
      const key = this.builder.resolveRelation(rv.schemaname, rv.relname);
      out.set(rv.alias?.aliasname ?? rv.relname, this.builder.peekTable(key) ? key : '');
    };
    add(body.relation);
    const visit = (n: any) => {
      if (n?.RangeVar) add(n.RangeVar);
      else if (n?.JoinExpr) {
        visit(n.JoinExpr.larg);
        visit(n.JoinExpr.rarg);
      } else if (n?.RangeSubselect?.alias) out.set(n.RangeSubselect.alias.aliasname, '');
    };
    for (const n of [...(body.fromClause ?? []), ...(body.usingClause ?? [])]) visit(n);
    return out;
  }

  /** The table column a ColumnRef names among the range variables; undefined for anything else (a variable, an expression). */
  private columnOf(node: any, vars: Map<string, string>): { alias: string; table: string; column: string } | undefined {
    let n = node;
    while (n?.TypeCast) n = n.TypeCast.arg;
    const fields = n?.ColumnRef?.fields;
    if (!fields) return undefined;
    const names: string[] = fields.map((f: any) => f.String?.sval);
    if (names.some((x) => x === undefined)) return undefined;
    const column = names[names.length - 1];
    if (names.length >= 2) {
      const alias = names[names.length - 2];
      return vars.has(alias) ? { alias, table: vars.get(alias)!, column } : undefined;
    }
    for (const [alias, table] of vars) {
      if (table && this.builder.peekTable(table)?.columns.some((c) => c.name === column)) return { alias, table, column };
    }
    return undefined;
  }

  private hasNulls(table: string, column: string): boolean {
    const d = this.data.get(table);
    return !!d?.rows && d.firstNull[column] !== undefined;
  }

  /** Can `node` yield NULL for some row? */
  private nullness(node: any, vars: Map<string, string>, target: Table): Nullness {
    const all = (xs: Nullness[]): Nullness => (xs.every((x) => x === 'never') ? 'never' : xs.every((x) => x === 'null') ? 'null' : 'maybe');
    const n = node;
    if (n?.TypeCast) return this.nullness(n.TypeCast.arg, vars, target);
    if (n?.A_Const) return n.A_Const.isnull ? 'null' : 'never';
    if (n?.ColumnRef) {
      const ref = this.columnOf(n, vars);
      if (!ref || !ref.table) return 'maybe';
      return this.hasNulls(ref.table, ref.column) ? 'maybe' : 'never';
    }
    if (n?.CoalesceExpr) {
      const xs = (n.CoalesceExpr.args ?? []).map((a: any) => this.nullness(a, vars, target));
      return xs.includes('never') ? 'never' : xs.every((x: Nullness) => x === 'null') ? 'null' : 'maybe';
    }
    if (n?.SetToDefault) return 'maybe'; // resolved by the caller, which knows the column
    if (n?.SQLValueFunction || n?.NullTest || n?.BooleanTest) return 'never';
    if (n?.FuncCall) {
      const name = (n.FuncCall.funcname ?? []).map((x: any) => x.String?.sval).pop();
      if (name === 'nullif') return 'maybe';
      const xs = (n.FuncCall.args ?? []).map((a: any) => this.nullness(a, vars, target));
      return xs.includes('null') || xs.includes('maybe') ? 'maybe' : 'never';
    }
    if (n?.A_Expr) {
      const xs = [n.A_Expr.lexpr, n.A_Expr.rexpr].filter(Boolean).map((a: any) => (Array.isArray(a) || a.List ? 'maybe' : this.nullness(a, vars, target)));
      return xs.includes('null') ? 'null' : all(xs as Nullness[]) === 'never' ? 'never' : 'maybe';
    }
    if (n?.CaseExpr) {
      const c = n.CaseExpr;
      if (!c.defresult) return 'maybe';
      return all([...(c.args ?? []).map((w: any) => this.nullness(w.CaseWhen?.result, vars, target)), this.nullness(c.defresult, vars, target)]);
    }
    return 'maybe';
  }

  /**
   * UPDATE: which columns' NULLs it clears or adds. `SET c = <never NULL>`
   * clears c's NULLs when it reaches every row where c is NULL: no WHERE, or
   * a WHERE made of `c IS NULL` (or an OR holding it) and join equalities of
   * UPDATE ... FROM whose columns hold no NULL (rows without a match keep
   * NULL; a join on a column with NULLs cannot reach them all). `SET c = NULL`
   * adds NULLs. Conditions on `variables` (a routine's batch bounds) are
   * dropped: the routine repeats the statement until it is done.
   */
  private updateData(body: any, variables: ReadonlySet<string> = new Set()): void {
    const key = this.builder.resolveRelation(body.relation.schemaname, body.relation.relname);
    const t = this.builder.peekTable(key);
    const d = this.data.get(key);
    if (!t || !d || d.rows === 0) return;
    const vars = this.rangeVars(body);
    const target = this.targetAlias(body);
    const conj = conjuncts(body.whereClause).filter((c) => !mentions(c, variables));
    const from = [...vars.entries()].filter(([a]) => a !== target);
    const fromEmpty = from.some(([, k]) => k && this.data.get(k)?.rows === 0);
    const joinOk = (c: any): boolean => {
      const a = c.A_Expr;
      if (!a || a.kind !== 'AEXPR_OP' || a.name?.[0]?.String?.sval !== '=') return false;
      const l = this.columnOf(a.lexpr, vars);
      const r = this.columnOf(a.rexpr, vars);
      return !!l && !!r && l.alias !== r.alias && !!l.table && !!r.table && !this.hasNulls(l.table, l.column) && !this.hasNulls(r.table, r.column);
    };
    const reachesNullRows = (col: string): boolean => {
      if (fromEmpty) return false;
      return conj.every((c) => isNullTestOf(c, col, target, t) || (from.length > 0 && joinOk(c)));
    };
    const updated = new Map<string, number | undefined>();
    for (const tgt of body.targetList ?? []) {
      const rt = tgt.ResTarget;
      const col: string = rt.name;
      if (rt.indirection || !t.columns.some((c) => c.name === col)) continue;
      const c = t.columns.find((x) => x.name === col)!;
      const value: Nullness = rt.val?.SetToDefault ? (c.default || c.identity || c.generated ? 'never' : 'null') : this.nullness(rt.val, vars, t);
      const existing = d.firstNull[col];
      if (value === 'never') updated.set(col, reachesNullRows(col) ? undefined : existing);
      else if (value === 'null') updated.set(col, conj.length || from.length ? Math.min(existing ?? Infinity, d.rows - 1) : 0);
      else {
        // NULL for the rows where the source is NULL: the source's first NULL when every row is updated in place
        const src = this.columnOf(rt.val, vars);
        const srcFirst = src && src.alias === target ? d.firstNull[src.column] : undefined;
        updated.set(col, existing ?? (!conj.length && !from.length && srcFirst !== undefined ? srcFirst : d.rows - 1));
      }
    }
    for (const [col, first] of updated) {
      if (first === undefined) delete d.firstNull[col];
      else d.firstNull[col] = first;
    }
  }

  /** DELETE: no WHERE empties the table; `WHERE c IS NULL` (or an OR holding it) removes c's NULLs. */
  private deleteData(body: any, variables: ReadonlySet<string> = new Set()): void {
    const key = this.builder.resolveRelation(body.relation.schemaname, body.relation.relname);
    const t = this.builder.peekTable(key);
    if (!t) return;
    const conj = conjuncts(body.whereClause).filter((c) => !mentions(c, variables));
    if (!conj.length && !body.usingClause?.length) {
      this.data.set(key, { rows: 0, firstNull: {} });
      return;
    }
    const d = this.data.get(key);
    if (!d?.rows || conj.length !== 1) return;
    const target = this.targetAlias(body);
    for (const col of t.columns.map((c) => c.name)) {
      if (d.firstNull[col] === undefined || !isNullTestOf(conj[0], col, target, t)) continue;
      if (d.rows === 1) {
        this.data.set(key, { rows: 0, firstNull: {} });
        return;
      }
      delete d.firstNull[col];
    }
  }

  // ------------------------------------------------------------------ routines

  /** CREATE FUNCTION / PROCEDURE: keep what CALL would change (PL/pgSQL and SQL bodies). */
  private createRoutine(body: any): void {
    const names: string[] = (body.funcname ?? []).map((n: any) => n.String?.sval);
    const name = names[names.length - 1];
    const key = names.length > 1 ? qualifiedKey(names[names.length - 2], name) : qualifiedKey(this.builder.currentCreationSchema(), name);
    const opt = (n: string) => (body.options ?? []).map((o: any) => o.DefElem).find((d: any) => d?.defname === n);
    const language = String(opt('language')?.arg?.String?.sval ?? 'sql').toLowerCase();
    const source: string | undefined = opt('as')?.arg?.List?.items?.[0]?.String?.sval;
    const statements: Array<{ kind: 'UpdateStmt' | 'DeleteStmt'; body: any }> = [];
    const variables = new Set<string>();
    const collect = (sql: string) => {
      const parsed = parseSql(sql);
      if (!parsed.ok) return;
      for (const raw of parsed.result.stmts ?? []) {
        const node = raw.stmt as any;
        if (node?.UpdateStmt) statements.push({ kind: 'UpdateStmt', body: node.UpdateStmt });
        else if (node?.DeleteStmt) statements.push({ kind: 'DeleteStmt', body: node.DeleteStmt });
      }
    };
    for (const p of body.parameters ?? []) if (p.FunctionParameter?.name) variables.add(p.FunctionParameter.name);
    if (language === 'plpgsql' && this.stmt) {
      const tree = parsePlpgsql(this.stmt.sql) as any;
      walk(tree, (n: any) => {
        for (const k of ['PLpgSQL_var', 'PLpgSQL_row', 'PLpgSQL_rec']) if (n[k]?.refname) variables.add(n[k].refname);
        const q = n.PLpgSQL_stmt_execsql?.sqlstmt?.PLpgSQL_expr?.query;
        if (typeof q === 'string') collect(q);
      });
    } else if (language === 'sql' && source) collect(source);
    this.routines.set(key, { statements, variables });
  }

  /** CALL of a procedure the script created: its UPDATEs and DELETEs change the rows as they would run. */
  private call(body: any): void {
    const names: string[] = (body.funccall?.funcname ?? []).map((n: any) => n.String?.sval);
    const name = names[names.length - 1];
    const key = names.length > 1 ? qualifiedKey(names[names.length - 2], name) : qualifiedKey(this.builder.currentCreationSchema(), name);
    const r = this.routines.get(key);
    if (!r) return;
    for (const s of r.statements) {
      if (!this.builder.peekTable(this.builder.resolveRelation(s.body.relation.schemaname, s.body.relation.relname))) continue;
      if (s.kind === 'UpdateStmt') this.updateData(s.body, r.variables);
      else this.deleteData(s.body, r.variables);
    }
  }
}

/** The names of a table's constraints (what ALTER TABLE ... DROP CONSTRAINT can drop). */
function constraintNames(t: Table): Set<string> {
  return new Set([
    ...(t.primaryKey ? [t.primaryKey.name] : []),
    ...t.uniques.filter((u) => u.source === 'constraint').map((u) => u.name),
    ...t.checks.map((c) => c.name),
    ...t.exclusions.map((x) => x.name),
    ...t.foreignKeys.map((f) => f.name),
  ]);
}

const ACTIONS: Record<string, FkAction> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

function isEquality(op: string): boolean {
  const last = op.split('.').pop();
  return last === '=';
}

function isNullConst(v: any): boolean {
  while (v?.TypeCast) v = v.TypeCast.arg;
  return !!v?.A_Const?.isnull;
}

/** A call's signature as PostgreSQL's func_signature_string() writes it: `f(unknown, colocate_with => unknown)`. */
function signature(names: string[], raw: any[]): string {
  const types = raw.map((a) => (a.NamedArgExpr ? `${a.NamedArgExpr.name} => ${argType(a.NamedArgExpr.arg)}` : argType(a)));
  return `${names.join('.')}(${types.join(', ')})`;
}

/** The type the parser gives an argument before function lookup (format_type_be); `unknown` for literals and NULL. */
function argType(node: any): string {
  if (node?.TypeCast) {
    const names: string[] = (node.TypeCast.typeName?.names ?? []).map((n: any) => n.String?.sval).filter((n: string) => n !== 'pg_catalog');
    const n = names[names.length - 1] ?? 'unknown';
    const display: Record<string, string> = { int4: 'integer', int: 'integer', int8: 'bigint', int2: 'smallint', bool: 'boolean', varchar: 'character varying', bpchar: 'character', float8: 'double precision', float4: 'real' };
    return (display[n] ?? n) + (node.TypeCast.typeName?.arrayBounds ? '[]' : '');
  }
  const c = node?.A_Const;
  if (!c || c.isnull || c.sval) return 'unknown';
  if (c.boolval) return 'boolean';
  if (c.fval) return /^[+-]?\d+$/.test(String(c.fval.fval)) ? 'bigint' : 'numeric';
  const v = Number(c.ival?.ival ?? 0);
  return v >= -2147483648 && v <= 2147483647 ? 'integer' : 'bigint';
}

function argValue(node: any): Arg {
  let n = node;
  while (n?.TypeCast) n = n.TypeCast.arg;
  const c = n?.A_Const;
  if (c) {
    if (c.isnull) return { null: true };
    if (c.sval) return { null: false, text: c.sval.sval ?? '' };
    if (c.ival) return { null: false, text: String(c.ival.ival ?? 0) };
    if (c.fval) return { null: false, text: String(c.fval.fval) };
    if (c.boolval) return { null: false, text: c.boolval.boolval ? 'true' : 'false' };
    if ('ival' in c || Object.keys(c).length === 1) return { null: false, text: '0' };
  }
  return { null: false, expr: true, text: '' };
}

/** PostgreSQL's parse_bool: true/false, yes/no, on/off, 1/0 and unambiguous prefixes. */
function parseBool(raw: string): boolean | undefined {
  const v = raw.trim().toLowerCase();
  if (!v) return undefined;
  const prefix = (word: string, min = 1) => v.length >= min && word.startsWith(v);
  if (prefix('true') || prefix('yes') || prefix('on', 2) || v === '1') return true;
  if (prefix('false') || prefix('no') || prefix('off', 2) || v === '0') return false;
  return undefined;
}

function boolArg(a: Arg | undefined): boolean {
  return !!a && !a.null && ['true', 't', 'on', 'yes', '1'].includes(a.text.toLowerCase());
}

function isSameColumn(val: any, column: string): boolean {
  const f = val?.ColumnRef?.fields;
  return !!f && f[f.length - 1]?.String?.sval === column;
}

/** The top-level AND terms of a WHERE clause. */
function conjuncts(where: any): any[] {
  if (!where) return [];
  if (where.BoolExpr?.boolop === 'AND_EXPR') return where.BoolExpr.args.flatMap(conjuncts);
  return [where];
}

/** Does the expression name one of `names` as a bare identifier (a routine variable)? */
function mentions(node: unknown, names: ReadonlySet<string>): boolean {
  if (!names.size) return false;
  let found = false;
  walk(node, (n: any) => {
    const f = n.ColumnRef?.fields;
    if (f?.length === 1 && names.has(f[0].String?.sval)) found = true;
  });
  return found;
}

/** Is `cond` `col IS NULL` on the target (or an OR with such a branch), so that it holds on every row where col is NULL? */
function isNullTestOf(cond: any, col: string, alias: string, t: Table): boolean {
  if (cond?.BoolExpr?.boolop === 'OR_EXPR') return cond.BoolExpr.args.some((a: any) => isNullTestOf(a, col, alias, t));
  const nt = cond?.NullTest;
  if (!nt || nt.nulltesttype !== 'IS_NULL') return false;
  const names: string[] = (nt.arg?.ColumnRef?.fields ?? []).map((f: any) => f.String?.sval);
  if (names[names.length - 1] !== col || !t.columns.some((c) => c.name === col)) return false;
  return names.length === 1 || names[names.length - 2] === alias;
}

/** `SET key = <const>` when WHERE has `key = <same const>` at its top-level AND. */
function whereFixesKey(where: any, column: string, val: any): boolean {
  const target = JSON.stringify(stripLocations(val));
  const conj = where?.BoolExpr?.boolop === 'AND_EXPR' ? where.BoolExpr.args : where ? [where] : [];
  return conj.some((e: any) => {
    const a = e.A_Expr;
    if (!a || a.kind !== 'AEXPR_OP' || a.name?.[0]?.String?.sval !== '=') return false;
    return (isSameColumn(a.lexpr, column) && JSON.stringify(stripLocations(a.rexpr)) === target) || (isSameColumn(a.rexpr, column) && JSON.stringify(stripLocations(a.lexpr)) === target);
  });
}

function stripLocations(n: unknown): unknown {
  if (Array.isArray(n)) return n.map(stripLocations);
  if (n && typeof n === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(n)) if (k !== 'location') o[k] = stripLocations(v);
    return o;
  }
  return n;
}

function walk(node: unknown, f: (n: object) => void): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) walk(x, f);
    return;
  }
  f(node);
  for (const v of Object.values(node)) walk(v, f);
}
