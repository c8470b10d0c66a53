/**
 * Schemas and names: CREATE SCHEMA (with the statements it contains),
 * search_path as `SET` and `set_config()` change it, ALTER ... SET SCHEMA
 * (the object moves with what PostgreSQL moves with it), and extensions with
 * the schema they are installed in.
 */
import type { AlterObjectSchemaStmt, CreateExtensionStmt, CreateSchemaStmt, Node, SelectStmt, VariableSetStmt } from '../ingest/pg/ast.js';
import { defElemsOf, namesOf, nodeAs, objectNames, splitIdentifierList, stringOf, splitKey } from '../ingest/pg/index.js';
import type { BuildContext } from './context.js';
import { moveFunction, moveSequence, moveTable, moveType, moveView } from './relocate.js';
import { describeObject } from './skips.js';

/** CREATE SCHEMA name [elements]: the elements are created in it, as if it led search_path. */
export function createSchema(ctx: BuildContext, body: CreateSchemaStmt, apply: (element: Node) => boolean): boolean {
  // CREATE SCHEMA AUTHORIZATION role names the schema after the role
  const schema = body.schemaname ?? body.authrole?.rolename ?? '';
  if (!schema) return ctx.skip('CreateSchemaStmt', 'a schema named after the current user is not tracked');
  ctx.schemas.add(schema);
  for (const elt of body.schemaElts ?? []) {
    const saved = ctx.searchPath;
    ctx.searchPath = [schema, ...saved];
    apply(elt);
    ctx.searchPath = saved;
  }
  return true;
}

/** SET search_path = ...; any other setting has no bearing. */
export function setVariable(ctx: BuildContext, body: VariableSetStmt): boolean {
  if (body.name === 'client_encoding') {
    // how PostgreSQL decodes the bytes of the strings that follow (comments kept to write again)
    const value = nodeAs((body.args ?? [])[0], 'A_Const');
    ctx.clientEncoding = (value?.sval?.sval ?? '').toLowerCase().replace(/[-_]/g, '') || undefined;
    return ctx.skip('VariableSetStmt', 'the client encoding changes how later strings are read, not the schema');
  }
  if (body.name !== 'search_path') return ctx.skip('VariableSetStmt');
  ctx.searchPath = (body.args ?? []).map((a) => nodeAs(a, 'A_Const')?.sval?.sval ?? '').filter((s) => s);
  return true;
}

/** `SELECT pg_catalog.set_config('search_path', '...', false)`, as pg_dump writes it; any other query has no bearing. */
export function select(ctx: BuildContext, body: SelectStmt): boolean {
  for (const tgt of body.targetList ?? []) {
    const fc = nodeAs(nodeAs(tgt, 'ResTarget')?.val, 'FuncCall');
    if (!fc || !/(^|\.)set_config$/.test(namesOf(fc.funcname).join('.'))) continue;
    const [name, value] = (fc.args ?? []).map((a) => nodeAs(a, 'A_Const')?.sval?.sval);
    if (name === 'search_path' && typeof value === 'string') {
      // read as PostgreSQL reads it (quoted names kept, bare ones folded), as the workload reader does
      const path = splitIdentifierList(value);
      if (path) ctx.searchPath = path;
      return true;
    }
  }
  return ctx.skip('SelectStmt', 'a query does not change the schema');
}

export function createExtension(ctx: BuildContext, body: CreateExtensionStmt): boolean {
  const schemaOpt = defElemsOf(body.options).find((d) => d.defname === 'schema');
  ctx.extensions.push({ name: body.extname!, schema: nodeAs(schemaOpt?.arg, 'String')?.sval, location: ctx.here() });
  return true;
}

/** ALTER ... SET SCHEMA. */
export function setSchema(ctx: BuildContext, body: AlterObjectSchemaStmt): boolean {
  const schema = body.newschema!;
  const type = body.objectType;
  switch (type) {
    case 'OBJECT_TABLE':
    case 'OBJECT_FOREIGN_TABLE':
    case 'OBJECT_SEQUENCE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW': {
      const rel = ctx.findRelation(body.relation);
      if (!rel) return ctx.missingRelation('AlterObjectSchemaStmt', body);
      switch (rel.kind) {
        case 'table': {
          // indexes, constraints, triggers and owned sequences go with it (AlterTableNamespace)
          const t = ctx.tables.get(rel.key)!;
          moveTable(ctx, t, schema, t.name, true);
          return true;
        }
        case 'view':
          moveView(ctx, rel.key, schema, ctx.views.get(rel.key)!.name);
          return true;
        case 'sequence': {
          const seq = ctx.sequences.get(rel.key)!;
          if (seq.ownedBy) {
            return ctx.skip(
              'AlterObjectSchemaStmt',
              `PostgreSQL refuses to move sequence "${seq.key}" on its own ("cannot move an owned sequence into another schema"): it moves with table "${seq.ownedBy.table}"`,
            );
          }
          moveSequence(ctx, rel.key, schema, seq.name);
          return true;
        }
        case 'index':
          return ctx.skip('AlterObjectSchemaStmt', "an index always lives in its table's schema: PostgreSQL refuses to move it on its own");
      }
      return true;
    }
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN': {
      const names = objectNames(body.object);
      const key = ctx.resolveTypeKey(names);
      if (!key) return ctx.skip('AlterObjectSchemaStmt', `type "${names.join('.')}" is not one the schema defines (a base or extension type): its schema is not tracked`);
      moveType(ctx, key, schema, ctx.types.get(key)!.name);
      return true;
    }
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE':
    case 'OBJECT_ROUTINE': {
      const key = ctx.resolveFunctionKey(objectNames(nodeAs(body.object, 'ObjectWithArgs')?.objname));
      if (!key) return ctx.skip('AlterObjectSchemaStmt', 'the function is not one the schema defines: its schema is not tracked');
      moveFunction(ctx, key, schema, splitKey(key).name);
      return true;
    }
    case 'OBJECT_EXTENSION': {
      const name = stringOf(body.object);
      const i = ctx.extensions.findIndex((e) => e.name === name);
      if (i < 0) return ctx.skip('AlterObjectSchemaStmt', `extension "${name}" is not created by the schema read: its schema is not tracked`);
      ctx.extensions[i] = { ...ctx.extensions[i], schema };
      return true;
    }
    default:
      return ctx.skip('AlterObjectSchemaStmt', `moving ${describeObject(type ?? '')} to another schema does not affect distribution`);
  }
}
