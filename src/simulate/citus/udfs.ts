/**
 * The Citus UDFs a migration calls (`SELECT create_distributed_table(...)`),
 * with their parameters as Citus declares them (sql/udfs/<name>/latest.sql)
 * and the version that added each, each handed to the module of the C file
 * that implements it.
 */
import type { FuncCall, SelectStmt } from '../../ingest/pg/ast.js';
import { splitQualified } from '../../catalog/builder.js';
import { namesOf, nodeAs } from '../../ingest/pg/index.js';
import { alterDistributedTable, undistributeTable } from './alter-table.js';
import { citusAddLocalTableToMetadata } from './citus-add-local-table-to-metadata.js';
import { markTablesColocated, updateDistributedTableColocation } from './colocation-utils.js';
import { createDistributedTable, createReferenceTable } from './create-distributed-table.js';
import { NO_SUCH_FUNCTION } from './errors.js';
import { bindArgs, boolArg, isGiven, signature } from './postgres-parse-func.js';
import { citusSchemaDistribute, citusSchemaUndistribute } from './schema-based-sharding.js';
import type { ClusterState } from './state.js';
import { truncateLocalDataAfterDistributingTable } from './truncate.js';

/** UDFs by the version that added them (citus-rules.md §2, §12); older versions have no such function. */
const UDF_SINCE: Record<string, readonly [number, number, number]> = {
  create_distributed_table_concurrently: [11, 1, 0],
  citus_schema_distribute: [12, 0, 0],
  citus_schema_undistribute: [12, 0, 0],
};

/** The UDF calls of a `SELECT f(...), g(...)` without FROM, in order. */
export function select(s: ClusterState, body: SelectStmt): void {
  if (body.fromClause || body.valuesLists) return;
  for (const t of body.targetList ?? []) {
    const fc = nodeAs(nodeAs(t, 'ResTarget')?.val, 'FuncCall');
    if (!fc) continue;
    const names = namesOf(fc.funcname);
    const fname = names[names.length - 1];
    if (names.length > 1 && names[0] !== 'pg_catalog' && names[0] !== 'public' && names[0] !== 'citus') continue;
    const since = UDF_SINCE[fname];
    if (since && !s.atLeast(...since)) throw NO_SUCH_FUNCTION(signature(names, fc.args ?? []));
    callUdf(s, fname, fc);
  }
}

function callUdf(s: ClusterState, fname: string, fc: FuncCall): void {
  switch (fname) {
    case 'create_distributed_table':
    case 'create_distributed_table_concurrently': {
      const a = bindArgs(fname, ['table_name', 'distribution_column', 'distribution_type', 'colocate_with', 'shard_count'], fc);
      createDistributedTable(s, a, fname === 'create_distributed_table_concurrently');
      return;
    }
    case 'create_reference_table': {
      const t = bindArgs(fname, ['table_name'], fc).get('table_name');
      if (isGiven(t)) createReferenceTable(s, s.regclass(t.text));
      return;
    }
    case 'citus_add_local_table_to_metadata': {
      const a = bindArgs(fname, ['table_name', 'cascade_via_foreign_keys'], fc);
      const t = a.get('table_name');
      if (isGiven(t)) citusAddLocalTableToMetadata(s, s.regclass(t.text), boolArg(a.get('cascade_via_foreign_keys')));
      return;
    }
    case 'undistribute_table': {
      const a = bindArgs(fname, ['table_name', 'cascade_via_foreign_keys'], fc);
      const t = a.get('table_name');
      if (!isGiven(t) || a.get('cascade_via_foreign_keys')?.null) return; // STRICT
      undistributeTable(s, s.regclass(t.text), boolArg(a.get('cascade_via_foreign_keys')));
      return;
    }
    case 'alter_distributed_table': {
      const a = bindArgs(fname, ['table_name', 'distribution_column', 'shard_count', 'colocate_with', 'cascade_to_colocated'], fc);
      const t = a.get('table_name');
      if (isGiven(t)) alterDistributedTable(s, s.regclass(t.text), a);
      return;
    }
    case 'truncate_local_data_after_distributing_table': {
      const t = bindArgs(fname, ['function_name'], fc).get('function_name');
      if (isGiven(t)) truncateLocalDataAfterDistributingTable(s, s.regclass(t.text));
      return;
    }
    case 'update_distributed_table_colocation': {
      const a = bindArgs(fname, ['table_name', 'colocate_with'], fc);
      const t = a.get('table_name');
      const c = a.get('colocate_with');
      if (isGiven(t) && isGiven(c)) updateDistributedTableColocation(s, s.regclass(t.text), c.text);
      return;
    }
    case 'mark_tables_colocated':
      markTablesColocated(s);
      return;
    case 'citus_schema_distribute': {
      const schema = bindArgs(fname, ['schemaname'], fc).get('schemaname');
      if (isGiven(schema)) citusSchemaDistribute(s, splitQualified(schema.text)[0]);
      return;
    }
    case 'citus_schema_undistribute': {
      const schema = bindArgs(fname, ['schemaname'], fc).get('schemaname');
      if (isGiven(schema)) citusSchemaUndistribute(s, splitQualified(schema.text)[0]);
      return;
    }
    default:
      return;
  }
}
