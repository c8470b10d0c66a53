/**
 * Statement kind -> the module that applies it, sorted by kind. A kind not
 * listed is skipped, with the reason skips.ts gives for it (or as not
 * understood).
 */
import type { Node } from '../ingest/pg/ast.js';
import { nodeAs, tagOf, type NodeBody, type NodeTag } from '../ingest/pg/index.js';
import { alterTable, cluster } from './alter-table.js';
import { comment } from './comments.js';
import type { BuildContext } from './context.js';
import { copyFrom, insertRows } from './data.js';
import { drop, rename } from './drop-rename.js';
import { alterDepends, createFunction, createPolicy, createRule, createTrigger } from './functions.js';
import { createIndex } from './indexes.js';
import { createExtension, createSchema, select, setSchema, setVariable } from './schemas.js';
import { alterSequence, createSequence } from './sequences.js';
import { createTable } from './tables.js';
import { alterEnum, createCompositeType, createDomain, createEnum, createRange } from './typedefs.js';
import { createTableAs, createView } from './views.js';

/** Applies one statement of its kind; false when it was skipped. */
type Handler<K extends NodeTag> = (ctx: BuildContext, body: NodeBody<K>) => boolean;

const dataChange = (ctx: BuildContext, kind: NodeTag): boolean => ctx.skip(kind, 'a data change does not alter the schema');

const HANDLERS: { readonly [K in NodeTag]?: Handler<K> } = {
  AlterEnumStmt: alterEnum,
  AlterObjectDependsStmt: alterDepends,
  AlterObjectSchemaStmt: setSchema,
  AlterSeqStmt: alterSequence,
  AlterTableStmt: alterTable,
  ClusterStmt: cluster,
  CommentStmt: comment,
  CompositeTypeStmt: createCompositeType,
  CopyStmt: copyFrom,
  CreateDomainStmt: createDomain,
  CreateEnumStmt: createEnum,
  CreateExtensionStmt: createExtension,
  CreateForeignTableStmt: (ctx, body) => createTable(ctx, body.base!, 'foreign'),
  CreateFunctionStmt: createFunction,
  CreatePolicyStmt: createPolicy,
  CreateRangeStmt: createRange,
  CreateSchemaStmt: (ctx, body) => createSchema(ctx, body, (element) => dispatch(ctx, element)),
  CreateSeqStmt: createSequence,
  CreateStmt: (ctx, body) => createTable(ctx, body, 'table'),
  CreateTableAsStmt: createTableAs,
  CreateTrigStmt: createTrigger,
  DeleteStmt: (ctx) => dataChange(ctx, 'DeleteStmt'),
  DropStmt: drop,
  IndexStmt: createIndex,
  InsertStmt: insertRows,
  MergeStmt: (ctx) => dataChange(ctx, 'MergeStmt'),
  RenameStmt: rename,
  RuleStmt: createRule,
  SelectStmt: select,
  TruncateStmt: (ctx) => dataChange(ctx, 'TruncateStmt'),
  UpdateStmt: (ctx) => dataChange(ctx, 'UpdateStmt'),
  VariableSetStmt: setVariable,
  ViewStmt: createView,
};

/** Apply one statement node to the catalog being built; false when it was skipped. */
export function dispatch(ctx: BuildContext, node: Node): boolean {
  const tag = tagOf(node);
  if (!tag) return false;
  const handler = HANDLERS[tag] as Handler<NodeTag> | undefined;
  return handler ? handler(ctx, nodeAs(node, tag) as NodeBody<NodeTag>) : ctx.skip(tag);
}
