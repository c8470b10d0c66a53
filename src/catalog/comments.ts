/**
 * COMMENT ON and CREATE RULE, kept as statements a rollback can run again:
 * undistribute_table re-creates a table, and the views over it, without
 * their comments and rules (real Citus 13.2 drops them), so the rollback
 * restores them from what the schema says.
 */
import type { CommentStmt, RuleStmt } from '../ingest/pg/ast.js';
import { deparseNode, listItems, makeNode, namesOf, quoteIdent, quoteLiteral, sqlName } from '../ingest/pg/index.js';
import type { BuildContext } from './context.js';
import type { SourceComment } from './model.js';

const RELATION_KINDS: Partial<Record<NonNullable<CommentStmt['objtype']>, { kind: SourceComment['kind']; word: string }>> = {
  OBJECT_TABLE: { kind: 'table', word: 'TABLE' },
  OBJECT_VIEW: { kind: 'view', word: 'VIEW' },
  OBJECT_MATVIEW: { kind: 'view', word: 'MATERIALIZED VIEW' },
  OBJECT_FOREIGN_TABLE: { kind: 'table', word: 'FOREIGN TABLE' },
};

export function comment(ctx: BuildContext, body: CommentStmt): boolean {
  const names = namesOf(listItems(body.object));
  const rel = body.objtype ? RELATION_KINDS[body.objtype] : undefined;
  let key: string | undefined;
  let target: string | undefined;
  let column: string | undefined;
  let index: string | undefined;
  if (rel && names.length >= 1 && names.length <= 2) {
    key = ctx.resolveRelation(names.length === 2 ? names[0] : undefined, names[names.length - 1]);
    target = `${rel.word} ${sqlName(key, true)}`;
  } else if (body.objtype === 'OBJECT_COLUMN' && names.length >= 2 && names.length <= 3) {
    column = names[names.length - 1];
    key = ctx.resolveRelation(names.length === 3 ? names[0] : undefined, names[names.length - 2]);
    target = `COLUMN ${sqlName(key, true)}.${quoteIdent(column)}`;
  } else if (body.objtype === 'OBJECT_INDEX' && names.length >= 1 && names.length <= 2) {
    // an index is found by search_path like a relation, and lives in its table's schema
    index = names[names.length - 1];
    const indexKey = ctx.resolveIndex(names.length === 2 ? names[0] : undefined, index);
    key = indexKey === undefined ? undefined : ctx.indexOwner.get(indexKey);
    if (key && indexKey) target = `INDEX ${sqlName(indexKey, true)}`;
  }
  if (!key || !target || !(ctx.tables.has(key) || ctx.views.has(key))) return ctx.skip('CommentStmt');
  // a script read as UTF-8 but run with client_encoding latin1 stores each byte as a character
  const latin1 = ctx.clientEncoding === 'latin1' || ctx.clientEncoding === 'iso88591';
  const comment = body.comment !== undefined && latin1 ? Buffer.from(body.comment, 'utf8').toString('latin1') : body.comment;
  const text = comment === undefined ? 'NULL' : quoteLiteral(comment);
  const kind: SourceComment['kind'] = column ? 'column' : index !== undefined ? 'index' : rel!.kind;
  // a later comment on the same object replaces the earlier one
  const at = ctx.comments.findIndex((c) => c.relation === key && c.kind === kind && c.column === column && c.index === index);
  if (at >= 0) ctx.comments.splice(at, 1);
  if (body.comment !== undefined) {
    ctx.comments.push({ kind, relation: key, ...(column !== undefined ? { column } : {}), ...(index !== undefined ? { index } : {}), sql: `COMMENT ON ${target} IS ${text}` });
  }
  return true;
}

/** A rule as `CREATE OR REPLACE RULE`, its table schema-qualified. */
export function ruleDefinition(ctx: BuildContext, body: RuleStmt, table: string): string {
  const relation = { ...body.relation!, schemaname: ctx.tables.get(table)!.schema };
  return deparseNode(makeNode('RuleStmt', { ...body, relation, replace: true }));
}

