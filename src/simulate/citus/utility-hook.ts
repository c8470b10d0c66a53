/**
 * The dispatcher: each statement the coordinator runs goes to the module of
 * the command it is, as Citus's utility hook hands utility statements to
 * their pre- and post-processing (commands/utility_hook.c,
 * distribute_object_ops.c) and its planner hook plans queries
 * (planner/distributed_planner.c; here route.ts). Then the statement changes
 * the single-node catalog, unless its module does that itself.
 */
import type { Node } from '../../ingest/pg/ast.js';
import { nodeAs, tagOf, type NodeBody, type NodeTag } from '../../ingest/pg/index.js';
import { alterTableSchema } from './alter-table-schema.js';
import { cluster } from './cluster-command.js';
import { createIndex } from './create-index.js';
import { createCast } from './postgres-cast.js';
import { doBlock } from './do-block.js';
import { createTable } from './create-table.js';
import { drop } from './drop-distributed-table.js';
import { createFunction } from './function.js';
import { deleteFrom, update } from './modify-rows.js';
import { copyFrom, insert } from './multi-copy.js';
import { recordQuery } from './relation-access-tracking.js';
import { forgetHiddenWrites } from './row-opaque.js';
import { rename } from './rename.js';
import { routeStatement, type StatementRoute } from './route.js';
import { createSchema } from './schema-based-sharding.js';
import { alterSequence, createSequence } from './sequence.js';
import type { ClusterState } from './state.js';
import { checkCreateIndex } from './postgres-index.js';
import { checkColumnsExist, checkPostgresAlter } from './postgres-tablecmds.js';
import { alterTable } from './table.js';
import { alterTriggerDepends, createTrigger } from './trigger.js';
import { truncate } from './truncate.js';
import { callProcedure, select } from './udfs.js';
import { followSearchPath, setVariable } from './variableset.js';

type Command<K extends NodeTag> = (s: ClusterState, body: NodeBody<K>) => void;

/** Statement kind -> the module that runs it. */
const COMMANDS: { readonly [K in NodeTag]?: Command<K> } = {
  AlterObjectDependsStmt: alterTriggerDepends,
  AlterObjectSchemaStmt: alterTableSchema,
  AlterSeqStmt: alterSequence,
  AlterTableStmt: alterTable,
  CallStmt: callProcedure,
  ClusterStmt: cluster,
  CopyStmt: copyFrom,
  CreateCastStmt: createCast,
  CreateFunctionStmt: createFunction,
  CreateSchemaStmt: createSchema,
  CreateSeqStmt: createSequence,
  CreateStmt: createTable,
  CreateTrigStmt: createTrigger,
  DeleteStmt: deleteFrom,
  DoStmt: doBlock,
  DropStmt: drop,
  IndexStmt: createIndex,
  InsertStmt: insert,
  RenameStmt: rename,
  SelectStmt: select,
  TruncateStmt: truncate,
  UpdateStmt: update,
  VariableSetStmt: setVariable,
};

/** Statements whose module changes the catalog itself (around Citus's checks). */
const OWN_CATALOG_CHANGE: ReadonlySet<string> = new Set(['AlterObjectSchemaStmt', 'AlterTableStmt', 'CreateStmt', 'DropStmt']);

/**
 * Run one statement (not a transaction statement) on the state; a CitusError
 * is the statement's error. A query also gets its route; a route Citus
 * refuses changes neither the rows nor the catalog.
 */
export function processStatement(s: ClusterState, node: Node): StatementRoute | undefined {
  const tag = tagOf(node);
  if (tag === undefined) return undefined;
  forgetHiddenWrites(s, node);
  run(s, node, tag);
  followSearchPath(s, node);
  if (OWN_CATALOG_CHANGE.has(tag)) return undefined;
  const route = s.stmt ? routeStatement(s, s.stmt) : undefined;
  if (route && route.route.class !== 'error' && s.queryFacts) recordQuery(s, node, s.queryFacts.tablesRead, s.queryFacts.tablesWritten, route.shards);
  if (route?.route.class === 'error') return route;
  for (const execute of s.afterPlan) execute();
  s.applyToCatalog();
  return route;
}

/**
 * With citus.enable_ddl_propagation off, Citus leaves these to PostgreSQL
 * (utility_hook.c skips their pre- and post-processing): PostgreSQL's checks
 * alone, and the coordinator's catalog changes while the shards do not.
 * ATTACH PARTITION is still Citus's (PreprocessAlterTableStmtAttachPartition).
 */
const UNPROPAGATED: { readonly [K in NodeTag]?: Command<K> } = {
  AlterTableStmt: (s, body) => {
    const t = s.builder.peekTable(s.relationKey(body.relation));
    const cmds = (body.cmds ?? []).flatMap((c) => nodeAs(c, 'AlterTableCmd') ?? []);
    if (cmds.some((c) => c.subtype === 'AT_AttachPartition')) return alterTable(s, body);
    if (t && (!body.objtype || body.objtype === 'OBJECT_TABLE')) {
      checkPostgresAlter(s, t, cmds);
      checkColumnsExist(s, t, cmds);
    }
    s.applyToCatalog();
  },
  IndexStmt: (s, body) => {
    const t = s.builder.peekTable(s.relationKey(body.relation));
    if (t) checkCreateIndex(s, t, body);
  },
};

function run<K extends NodeTag>(s: ClusterState, node: Node, tag: K): void {
  const unpropagated: Command<K> | undefined = s.settings['citus.enable_ddl_propagation'] ? undefined : UNPROPAGATED[tag];
  const command: Command<K> | undefined = unpropagated ?? COMMANDS[tag];
  const body = nodeAs(node, tag);
  if (command && body) command(s, body);
}
