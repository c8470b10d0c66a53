/**
 * A simulated Citus coordinator: the single-node catalog plus Citus metadata
 * (table kinds, colocation groups, settings, data facts), changed one
 * statement at a time as the coordinator would, raising the errors and
 * notices Citus raises (citus-rules.md). The state lives in state.ts; each
 * statement goes through the dispatcher (utility-hook.ts) to the module named
 * after the Citus source file that holds its rules; a query's planning is
 * the router's (route.ts).
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
import type { Catalog, Table } from '../../catalog/model.js';
import { parseVersion, type CitusVersion } from '../../design/version.js';
import { nodeAs, type Script, type Statement } from '../../ingest/pg/index.js';
import { CitusError, TX_ABORTED } from './errors.js';
import type { CitusKind, CitusSettings, CitusTableInfo, ColocationGroup, SimulateOptions, StepError, TableData } from './model.js';
import type { QueryFacts } from '../../workload/model.js';
import type { StatementRoute } from './route.js';
import { applyDesignCalls, type DesignCall } from './designed-state.js';
import { DEFAULT_SETTINGS } from './shared-library-init.js';
import { newRelationAccess } from './relation-access-tracking.js';
import { ClusterState } from './state.js';
import { abortStatement, endSession, transaction } from './transaction-management.js';
import { processStatement } from './utility-hook.js';

/** A Citus version as written (`"13"`, `"13.2"`, `"11.2.1"`). */
export type Version = CitusVersion;

export { parseVersion } from '../../design/version.js';

/** Outcome of one statement. */
export interface Outcome {
  readonly notices: string[];
  readonly error?: StepError;
  /** A query: how the planner runs it (with its error when it refuses it). */
  readonly route?: StatementRoute;
  /** The model does not know this statement: why. Its outcome is not a prediction. */
  readonly notModelled?: string;
  /** A query: the facts its route was read from (also for a query on no table). */
  readonly facts?: QueryFacts;
}

export class CitusCluster {
  readonly version: Version;
  readonly versionText: string;
  readonly coordinatorInMetadata: boolean;
  readonly metadataSync: boolean;
  private readonly state: ClusterState;

  constructor(catalog: Catalog, options: SimulateOptions = {}) {
    this.versionText = options.citus ?? '14.0';
    const v = parseVersion(this.versionText);
    if (!v) throw new Error(`not a Citus version: ${this.versionText}`);
    this.version = v;
    this.coordinatorInMetadata = options.coordinatorInMetadata ?? true;
    this.metadataSync = options.metadataSync ?? true;
    this.state = new ClusterState(catalog, {
      version: v,
      coordinatorInMetadata: this.coordinatorInMetadata,
      metadataSync: this.metadataSync,
      settings: { ...DEFAULT_SETTINGS, ...(options.settings ?? {}) },
      data: options.data ?? {},
      adopt: options.adoptCatalog ?? false,
    });
  }

  // ------------------------------------------------------------------ queries

  /** The catalog key of a relation name as written (`t`, `s.t`, `"T"`), by search_path. */
  resolve(name: string): string {
    return this.state.resolve(name);
  }

  table(key: string): Table | undefined {
    return this.state.table(key);
  }

  kindOf(table: string): CitusKind {
    return this.state.kindOf(table);
  }

  info(table: string): CitusTableInfo {
    return this.state.info(table);
  }

  distributionColumn(table: string): string | undefined {
    return this.state.distributionColumn(table);
  }

  colocationGroupOf(table: string): ColocationGroup | undefined {
    return this.state.colocationGroupOf(table);
  }

  /** Same colocation group (hash, single-shard and reference tables). */
  areColocated(a: string, b: string): boolean {
    return this.state.areColocated(a, b);
  }

  setting<K extends keyof CitusSettings>(name: K): CitusSettings[K] {
    return this.state.setting(name);
  }

  /** Is the simulated Citus at least this version? */
  atLeast(major: number, minor = 0, patch = 0): boolean {
    return this.state.atLeast(major, minor, patch);
  }

  tableData(table: string): TableData {
    const d = this.state.data.get(this.state.keyOf(table));
    return { rows: d?.rows ?? 0, firstNull: { ...(d?.firstNull ?? {}) } };
  }

  summary(): { tables: CitusTableInfo[]; colocationGroups: ColocationGroup[]; distributedSchemas: string[]; settings: CitusSettings } {
    const s = this.state;
    const tables = s.builder
      .peekTables()
      .map((t) => s.info(t.key))
      .sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));
    return {
      tables,
      colocationGroups: [...s.groups.values()].sort((a, b) => a.id - b.id).map((g) => ({ ...g })),
      distributedSchemas: [...s.tenantSchemas.keys()].sort(),
      settings: { ...s.settings },
    };
  }

  /** The single-node catalog as it stands now. */
  catalog(): Catalog {
    return this.state.catalog();
  }

  /** The same, not copied: read it before the next `execute`, never change it. */
  catalogView(): Catalog {
    return this.state.catalogView();
  }

  // ------------------------------------------------------------------ execution

  /** Run one statement as the coordinator would. */
  execute(script: Script, stmt: Statement): Outcome {
    const s = this.state;
    s.notices = [];
    s.notModelled = undefined;
    s.committed = [];
    s.queryFacts = undefined;
    s.script = script;
    s.stmt = stmt;
    if (stmt.error) return { notices: [], error: { message: stmt.error.message } };
    const node = stmt.node;
    if (!node) return { notices: [] };
    const tx = nodeAs(node, 'TransactionStmt');
    if (tx) {
      transaction(s, tx);
      return { notices: [] };
    }
    if (s.tx?.aborted) return { notices: [], error: TX_ABORTED().toStepError() };
    if (!s.tx) s.access = newRelationAccess(s.sequentialSession);
    const saved = s.snapshot();
    try {
      const route = processStatement(s, node);
      const refused = route?.route.class === 'error' ? route.route.error : undefined;
      if (refused) abortStatement(s, saved);
      return { notices: s.notices, ...(refused ? { error: refused } : {}), ...(route ? { route } : {}), ...(s.notModelled && !refused ? { notModelled: s.notModelled } : {}), ...(s.queryFacts ? { facts: s.queryFacts } : {}) };
    } catch (e) {
      if (!(e instanceof CitusError)) throw e;
      abortStatement(s, saved);
      return { notices: s.notices, error: e.toStepError() };
    }
  }

  /**
   * A design's distribution calls, run directly (designed-state.ts): the
   * state `execute` reaches by running their SQL, without the SQL. Per call,
   * the error Citus raises, or undefined.
   */
  applyDesign(calls: readonly DesignCall[]): Array<StepError | undefined> {
    return applyDesignCalls(this.state, calls);
  }

  /** The session ends (psql exits): an open transaction block is rolled back. */
  endSession(): void {
    endSession(this.state);
  }

  /** psql's `\c`: the session ends and a new one starts, with the server's settings and search_path. */
  reconnect(): void {
    const s = this.state;
    endSession(s);
    s.settings = { ...s.serverSettings };
    s.searchPath = undefined;
    s.sequentialSession = false;
    s.access.sequential = false;
  }
}
