/**
 * The Citus UDFs a migration calls (`SELECT create_distributed_table(...)`),
 * with their parameters as Citus declares them (sql/udfs/<name>/latest.sql)
 * and the version that added each, each handed to the module of the C file
 * that implements it.
 */
import type { CallStmt, FuncCall, SelectStmt } from '../../ingest/pg/ast.js';
import { splitQualified } from '../../catalog/builder.js';
import { listItems, namesOf, nodeAs } from '../../ingest/pg/index.js';
import { undistributeTable } from './alter-table.js';
import { alterDistributedTable } from './alter-distributed-table.js';
import { citusAddLocalTableToMetadata } from './citus-add-local-table-to-metadata.js';
import { markTablesColocated, updateDistributedTableColocation } from './colocation-utils.js';
import { createDistributedTable, createReferenceTable } from './create-distributed-table.js';
import { NO_SUCH_FUNCTION } from './errors.js';
import { bindArgs, boolArg, isGiven, signature, type Arg } from './postgres-parse-func.js';
import { citusSchemaDistribute, citusSchemaUndistribute } from './schema-based-sharding.js';
import { masterCreateEmptyShard } from './stage-protocol.js';
import type { ClusterState } from './state.js';
import { call } from './function.js';
import { createTimePartitions, dropOldTimePartitions, getMissingTimePartitionRanges, timePartitionRange } from './time-partitions.js';
import { truncateLocalDataAfterDistributingTable } from './truncate.js';

type Version = readonly [number, number, number];

/** A UDF as Citus declares it, and the module that runs it. */
interface Udf {
  /** Its parameters in order (latest.sql); undefined: its arguments are not read. */
  readonly params?: readonly string[];
  /** The version that added it (citus-rules.md §2, §12); older versions have no such function. */
  readonly since?: Version;
  run(s: ClusterState, args: ReadonlyMap<string, Arg>): void;
}

const DISTRIBUTION_PARAMS = ['table_name', 'distribution_column', 'distribution_type', 'colocate_with', 'shard_count'];

/** The `table_name` argument (`function_name` for truncate_local_data_after_distributing_table) as a relation; undefined when NULL. */
function relation(s: ClusterState, a: ReadonlyMap<string, Arg>, param = 'table_name'): string | undefined {
  const t = a.get(param);
  return isGiven(t) ? s.regclass(t.text) : undefined;
}

/** A UDF run on its `table_name` relation; nothing when that is NULL. */
function onRelation(run: (s: ClusterState, key: string, a: ReadonlyMap<string, Arg>) => void): Udf['run'] {
  return (s, a) => {
    const key = relation(s, a);
    if (key) run(s, key, a);
  };
}

/** A schema name argument; undefined when NULL. */
function schema(a: ReadonlyMap<string, Arg>): string | undefined {
  const n = a.get('schemaname');
  return isGiven(n) ? splitQualified(n.text)[0] : undefined;
}

const UDFS: Readonly<Record<string, Udf>> = {
  create_time_partitions: {
    params: ['table_name', 'partition_interval', 'end_at', 'start_from'],
    since: [10, 2, 0],
    run: onRelation((s, key, a) => createTimePartitions(s, key, a)),
  },
  time_partition_range: {
    params: ['table_name'],
    since: [10, 2, 0],
    run: onRelation((s, key) => timePartitionRange(s, key)),
  },
  get_missing_time_partition_ranges: {
    params: ['table_name', 'partition_interval', 'to_value', 'from_value'],
    since: [10, 2, 0],
    run: onRelation((s, key, a) => getMissingTimePartitionRanges(s, key, a)),
  },
  create_distributed_table: { params: DISTRIBUTION_PARAMS, run: (s, a) => createDistributedTable(s, a, false) },
  create_distributed_table_concurrently: { params: DISTRIBUTION_PARAMS, since: [11, 1, 0], run: (s, a) => createDistributedTable(s, a, true) },
  create_reference_table: {
    params: ['table_name'],
    run: onRelation((s, key) => createReferenceTable(s, key)),
  },
  citus_add_local_table_to_metadata: {
    params: ['table_name', 'cascade_via_foreign_keys'],
    run: (s, a) => {
      const key = relation(s, a);
      if (key) citusAddLocalTableToMetadata(s, key, boolArg(a.get('cascade_via_foreign_keys')));
    },
  },
  undistribute_table: {
    params: ['table_name', 'cascade_via_foreign_keys'],
    run: (s, a) => {
      if (!isGiven(a.get('table_name')) || a.get('cascade_via_foreign_keys')?.null) return; // STRICT
      undistributeTable(s, relation(s, a)!, boolArg(a.get('cascade_via_foreign_keys')));
    },
  },
  alter_distributed_table: {
    params: ['table_name', 'distribution_column', 'shard_count', 'colocate_with', 'cascade_to_colocated'],
    run: onRelation((s, key, a) => alterDistributedTable(s, key, a)),
  },
  truncate_local_data_after_distributing_table: {
    params: ['function_name'],
    run: (s, a) => {
      const key = relation(s, a, 'function_name');
      if (key) truncateLocalDataAfterDistributingTable(s, key);
    },
  },
  update_distributed_table_colocation: {
    params: ['table_name', 'colocate_with'],
    run: (s, a) => {
      const c = a.get('colocate_with');
      if (!isGiven(a.get('table_name')) || !isGiven(c)) return;
      updateDistributedTableColocation(s, relation(s, a)!, c.text);
    },
  },
  mark_tables_colocated: { run: (s) => markTablesColocated(s) },
  master_create_empty_shard: {
    params: ['table_name'],
    run: (s, a) => {
      const t = a.get('table_name');
      if (isGiven(t)) masterCreateEmptyShard(s, t.text);
    },
  },
  citus_schema_distribute: {
    params: ['schemaname'],
    since: [12, 0, 0],
    run: (s, a) => {
      const name = schema(a);
      if (name !== undefined) citusSchemaDistribute(s, name);
    },
  },
  citus_schema_undistribute: {
    params: ['schemaname'],
    since: [12, 0, 0],
    run: (s, a) => {
      const name = schema(a);
      if (name !== undefined) citusSchemaUndistribute(s, name);
    },
  },
};

/** CALL: a procedure of the script's, else drop_old_time_partitions, Citus's one procedure that changes the schema. */
export function callProcedure(s: ClusterState, body: CallStmt): void {
  const fc = body.funccall;
  if (call(s, body) || !fc || namesOf(fc.funcname).pop() !== 'drop_old_time_partitions') return;
  const a = bindArgs('drop_old_time_partitions', ['table_name', 'older_than'], fc);
  const table = a.get('table_name');
  if (isGiven(table) && !table.expr) dropOldTimePartitions(s, s.regclass(table.text), a.get('older_than'));
}

/** Is this a Citus function the model runs (one that changes Citus's metadata)? */
export function isModelledUdf(name: string): boolean {
  return Object.hasOwn(UDFS, name);
}

/**
 * `SELECT f(...), g(...)` without FROM, and `SELECT * FROM f(...)`: the UDF
 * calls, in order.
 */
function udfCalls(body: SelectStmt): FuncCall[] {
  if (body.valuesLists) return [];
  if (!body.fromClause) return (body.targetList ?? []).flatMap((t) => nodeAs(nodeAs(t, 'ResTarget')?.val, 'FuncCall') ?? []);
  const fns = body.fromClause.map((f) => nodeAs(f, 'RangeFunction'));
  if (fns.some((f) => !f) || body.whereClause) return [];
  return fns.flatMap((f) => (f!.functions ?? []).flatMap((item) => listItems(item).flatMap((n) => nodeAs(n, 'FuncCall') ?? [])));
}

export function select(s: ClusterState, body: SelectStmt): void {
  for (const fc of udfCalls(body)) {
    const names = namesOf(fc.funcname);
    const fname = names[names.length - 1];
    if (names.length > 1 && names[0] !== 'pg_catalog' && names[0] !== 'public' && names[0] !== 'citus') continue;
    const udf = Object.hasOwn(UDFS, fname) ? UDFS[fname] : undefined;
    if (!udf) continue;
    if (udf.since && !s.atLeast(...udf.since)) throw NO_SUCH_FUNCTION(signature(names, fc.args ?? []));
    udf.run(s, udf.params ? bindArgs(fname, udf.params, fc) : new Map());
  }
}
