/**
 * What a simulated Citus coordinator holds between statements: the
 * single-node catalog (kept by the catalog builder) and Citus's metadata as
 * Citus keeps it in its own tables and caches (metadata/metadata_cache.c):
 * each Citus table's kind, distribution column and colocation group
 * (pg_dist_partition), the colocation groups (pg_dist_colocation), the
 * distributed schemas (pg_dist_schema); the settings (GUCs); what the model
 * knows of the rows; and the session: the open transaction block and the
 * statement being run. The command modules read and change it; one is made
 * per run (`CitusCluster`).
 */
import { CatalogBuilder, NOT_UNDERSTOOD, splitQualified } from '../../catalog/builder.js';
import type { Catalog, Table } from '../../catalog/model.js';
import { versionAtLeast, type CitusVersion } from '../../design/version.js';
import type { DeleteStmt, RangeVar, UpdateStmt } from '../../ingest/pg/ast.js';
import { qualifiedKey, splitKey, type Script, type Statement } from '../../ingest/pg/index.js';
import { NO_RELATION } from './errors.js';
import { newRelationAccess, type RelationAccess } from './relation-access-tracking.js';
import type { QueryFacts } from '../../workload/model.js';
import type { CitusKind, CitusSettings, CitusTableInfo, ColocationGroup, TableData } from './model.js';

/** A Citus table's metadata, as the commands change it. */
export type CitusTableEntry = { -readonly [K in keyof CitusTableInfo]: CitusTableInfo[K] };

/** What the model knows of a table's rows: how many, and per column the first row holding NULL. */
export interface RowFacts {
  rows: number;
  firstNull: Record<string, number>;
}

/** A data-changing statement of a routine: what CALL runs of it. */
export type RoutineStatement = { readonly kind: 'UpdateStmt'; readonly body: UpdateStmt } | { readonly kind: 'DeleteStmt'; readonly body: DeleteStmt };

/** A procedure or function the script created. */
export interface Routine {
  readonly statements: readonly RoutineStatement[];
  /** PL/pgSQL parameters and variables: conditions on them are taken as batch bounds. */
  readonly variables: ReadonlySet<string>;
}

/** The Citus side of the state, as a statement or a transaction block found it. */
export interface Snapshot {
  readonly citus: Map<string, CitusTableEntry>;
  readonly groups: Map<number, ColocationGroup>;
  readonly nextColocationId: number;
  readonly referenceGroup?: number;
  readonly settings: CitusSettings;
  readonly data: Map<string, RowFacts>;
  readonly tenantSchemas: Map<string, number>;
  readonly routines: Map<string, Routine>;
  readonly oids: Map<string, number>;
  readonly nextOid: number;
  readonly searchPath?: readonly string[];
  readonly distributedSequences: Set<string>;
}

/** An open BEGIN ... COMMIT block. */
export interface TransactionBlock {
  readonly snapshot: Snapshot;
  readonly catalog: Catalog;
  /** The catalog's search_path at BEGIN: a SET inside the block goes with it, one before it stays. */
  readonly searchPath: readonly string[];
  aborted: boolean;
  /** Values SET LOCAL changed, restored at the end of the block. */
  readonly local: Partial<CitusSettings>;
}

export interface StateOptions {
  readonly version: CitusVersion;
  readonly coordinatorInMetadata: boolean;
  readonly metadataSync: boolean;
  readonly settings: CitusSettings;
  readonly data: Readonly<Record<string, TableData>>;
  /** Take the catalog over (no copy). */
  readonly adopt?: boolean;
}

export class ClusterState {
  readonly version: CitusVersion;
  /** Is the coordinator in pg_dist_node? */
  readonly coordinatorInMetadata: boolean;
  /** Is metadata synced to the workers (MX)? */
  readonly metadataSync: boolean;
  builder: CatalogBuilder;
  /** pg_dist_partition: the tables in Citus metadata. */
  citus = new Map<string, CitusTableEntry>();
  /** pg_dist_colocation. */
  groups = new Map<number, ColocationGroup>();
  nextColocationId = 1;
  referenceGroup?: number;
  settings: CitusSettings;
  /** The settings a session starts with and RESET goes back to (the server's configuration). */
  readonly serverSettings: CitusSettings;
  data = new Map<string, RowFacts>();
  /** pg_dist_schema: distributed schema -> its colocation group. */
  tenantSchemas = new Map<string, number>();
  routines = new Map<string, Routine>();
  /** Sequences Citus made distributed objects (pg_dist_object): they stay so when their tables go back. */
  distributedSequences = new Set<string>();
  /**
   * Each table's place in pg_class OID order: creation order, and a new OID when
   * Citus rebuilds the table (a citus local table's shell, an undistributed
   * table). Citus walks tables in this order where it sorts by OID.
   */
  oids = new Map<string, number>();
  nextOid = 1;
  /** The session's search_path as a query's names are resolved with it; undefined for the default. */
  searchPath?: readonly string[];
  /** Work of the current statement that Citus commits on its own (create_distributed_table_concurrently's first phase): kept if the statement fails. */
  committed: Array<() => void> = [];
  tx?: TransactionBlock;
  /** citus.multi_shard_modify_mode of the session: 'sequential' or not. */
  sequentialSession = false;
  /** The current transaction's accesses to Citus tables (a block's, or the current statement's outside one). */
  access: RelationAccess = newRelationAccess(false);
  /** NOTICEs of the current statement. */
  notices: string[] = [];
  /** The current statement left the schema unknown to the model (not understood, or opaque code): why. */
  notModelled?: string;
  /** The current statement's query facts, when routing it read them. */
  queryFacts?: QueryFacts;
  script?: Script;
  stmt?: Statement;
  private forQueries?: { readonly builder: CatalogBuilder; readonly revision: number; readonly catalog: Catalog };
  /**
   * Per table, the tables with a foreign key to it, while the catalog cannot
   * change (designed-state.ts); undefined: read from the catalog each time.
   */
  referencing?: ReadonlyMap<string, readonly Table[]>;

  constructor(catalog: Catalog, options: StateOptions) {
    this.version = options.version;
    this.coordinatorInMetadata = options.coordinatorInMetadata;
    this.metadataSync = options.metadataSync;
    this.settings = { ...options.settings };
    this.serverSettings = { ...options.settings };
    this.builder = options.adopt ? CatalogBuilder.adopt(catalog) : CatalogBuilder.fromCatalog(catalog);
    for (const [k, d] of Object.entries(options.data)) this.data.set(k, { rows: d.rows, firstNull: { ...d.firstNull } });
    const file = (t: Table) => catalog.files.indexOf(t.location.file);
    const created = Object.values(catalog.tables).sort((a, b) => file(a) - file(b) || a.location.line - b.location.line || a.location.column - b.location.column);
    for (const t of created) this.newOid(t.key);
  }

  /** Is the simulated Citus at least this version? */
  atLeast(major: number, minor = 0, patch = 0): boolean {
    return versionAtLeast(this.version, major, minor, patch);
  }

  // ------------------------------------------------------------------ names

  /** The catalog key of a relation name as written (`t`, `s.t`, `"T"`), by search_path. */
  resolve(name: string): string {
    const parts = splitQualified(name);
    return parts.length > 1 ? qualifiedKey(parts[parts.length - 2], parts[parts.length - 1]) : this.builder.resolveRelation(undefined, parts[0]);
  }

  /** A table by catalog key or by name as written. */
  table(name: string): Table | undefined {
    return this.builder.peekTable(name) ?? this.builder.peekTable(this.resolve(name));
  }

  keyOf(name: string): string {
    return this.builder.peekTable(name) ? name : this.resolve(name);
  }

  /** The table a RangeVar names; PostgreSQL's error when there is none. */
  mustTable(rv: RangeVar | undefined): Table {
    const key = this.relationKey(rv);
    const t = this.builder.peekTable(key);
    if (!t) throw NO_RELATION(rv?.schemaname ? `${rv.schemaname}.${rv.relname}` : (rv?.relname ?? ''));
    return t;
  }

  /** The catalog key a RangeVar names, by search_path. */
  relationKey(rv: RangeVar | undefined): string {
    return this.builder.resolveRelation(rv?.schemaname, rv?.relname ?? '');
  }

  /** A regclass argument: the relation's key; PostgreSQL's error when there is none. */
  regclass(text: string): string {
    const key = this.resolve(text);
    if (!this.builder.peekTable(key) && !this.builder.peekView(key)) throw NO_RELATION(splitQualified(text).join('.'));
    return key;
  }

  /** The single-node catalog as it stands now. */
  catalog(): Catalog {
    return this.builder.build();
  }

  /**
   * The schema queries are routed on: built again only after a statement
   * that may change it (building it for every query made a script of many
   * queries quadratic). Its skipped statements, diagnostics and rows may lag.
   */
  schemaForQueries(): Catalog {
    const b = this.builder;
    if (this.forQueries?.builder !== b || this.forQueries.revision !== b.revision) this.forQueries = { builder: b, revision: b.revision, catalog: b.build() };
    return this.forQueries.catalog;
  }

  /** The same, not copied (CatalogBuilder.view): read it before the next statement, never change it. */
  catalogView(): Catalog {
    return this.builder.view();
  }

  /** The current statement's change to the single-node catalog. */
  applyToCatalog(): void {
    if (!this.script || !this.stmt) return;
    const before = this.builder.skipCount;
    this.builder.apply(this.script, this.stmt);
    const blind = this.builder.skippedFrom(before).find((x) => x.reason === NOT_UNDERSTOOD);
    if (blind) this.notModelled = `${blind.kind} is not modelled: what it changes, and what Citus says of it, is unknown to shardwise`;
  }

  // ------------------------------------------------------------------ Citus metadata

  /** The kind of a table by catalog key. */
  kind(key: string): CitusKind {
    return this.citus.get(key)?.kind ?? 'local';
  }

  isCitus(key: string): boolean {
    return this.citus.has(key);
  }

  /** The kind of a table by key or by name as written. */
  kindOf(table: string): CitusKind {
    return this.kind(this.keyOf(table));
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

  /** The colocation group of the distributed schema the table is in. */
  tenantOf(key: string): number | undefined {
    return this.tenantSchemas.get(splitKey(key).schema);
  }

  partitionsOf(key: string): Table[] {
    return this.builder.peekTables().filter((t) => t.partitionOf?.parent === key);
  }

  /** citus.enable_local_reference_table_foreign_keys, with the coordinator in the metadata (ShouldEnableLocalReferenceForeignKeys). */
  localReferenceFks(): boolean {
    return this.settings['citus.enable_local_reference_table_foreign_keys'] && this.coordinatorInMetadata;
  }

  /** The table gets a new OID (created, or rebuilt by Citus). */
  newOid(key: string): void {
    this.oids.set(key, this.nextOid++);
  }

  /** Tables in pg_class OID order (creation order). */
  byOid(keys: readonly string[]): string[] {
    const oid = (k: string) => this.oids.get(k) ?? Number.MAX_SAFE_INTEGER;
    return [...new Set(keys)].sort((a, b) => oid(a) - oid(b) || (a < b ? -1 : a > b ? 1 : 0));
  }

  // ------------------------------------------------------------------ rows

  dataOf(key: string): RowFacts {
    let d = this.data.get(key);
    if (!d) {
      d = { rows: 0, firstNull: {} };
      this.data.set(key, d);
    }
    return d;
  }

  hasNulls(table: string, column: string): boolean {
    const d = this.data.get(table);
    return !!d?.rows && d.firstNull[column] !== undefined;
  }

  // ------------------------------------------------------------------ statements and transaction blocks

  snapshot(): Snapshot {
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
      searchPath: this.searchPath,
      distributedSequences: new Set(this.distributedSequences),
    };
  }

  restore(s: Snapshot): void {
    // every field of the snapshot is the state's own, by the same name
    Object.assign(this, s);
  }

}
