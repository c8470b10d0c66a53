/**
 * DROP and RENAME: objects leave the catalog with what PostgreSQL drops with
 * them, and renamed objects take everything that names them along
 * (relocate.ts). Comments are skipped as having no bearing (skips.ts).
 */
import type { DropStmt, RenameStmt } from '../ingest/pg/ast.js';
import { nodeAs, objectNames, qualifiedKey, splitKey } from '../ingest/pg/index.js';
import type { BuildContext } from './context.js';
import type { Index } from './model.js';
import { attachedIndex } from './partitions.js';
import type { MTable } from './state.js';
import { moveFunction, partitions, moveSequence, moveTable, moveType, moveView, renameColumn, renameConstraint, renameIndex, renameSchema, renameTrigger } from './relocate.js';
import { article, describeObject } from './skips.js';

export function drop(ctx: BuildContext, body: DropStmt): boolean {
  const type = body.removeType;
  for (const obj of body.objects ?? []) {
    const parts = objectNames(obj);
    if (!parts.length) continue;
    const key = parts.length > 1 ? qualifiedKey(parts[parts.length - 2], parts[parts.length - 1]) : ctx.resolveRelation(undefined, parts[0]);
    switch (type) {
      case 'OBJECT_TABLE':
      case 'OBJECT_FOREIGN_TABLE':
        dropTable(ctx, key);
        break;
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW':
        ctx.views.delete(key);
        break;
      case 'OBJECT_SEQUENCE':
        ctx.sequences.delete(key);
        break;
      case 'OBJECT_INDEX': {
        const owner = ctx.indexOwner.get(key);
        const t = owner ? ctx.tables.get(owner) : undefined;
        if (t) dropIndexAndClones(ctx, t, splitKey(key).name);
        ctx.indexOwner.delete(key);
        break;
      }
      case 'OBJECT_TRIGGER': {
        // DROP TRIGGER name ON table: objects = [table parts..., trigger]
        const trig = parts[parts.length - 1];
        const tkey = parts.length > 2 ? qualifiedKey(parts[0], parts[1]) : ctx.resolveRelation(undefined, parts[0]);
        const t = ctx.tables.get(tkey);
        if (t) t.triggers = t.triggers.filter((x) => x.name !== trig);
        break;
      }
      case 'OBJECT_TYPE':
      case 'OBJECT_DOMAIN':
        ctx.types.delete(key);
        break;
      case 'OBJECT_SCHEMA':
        dropSchema(ctx, parts[parts.length - 1]);
        break;
      default:
        break;
    }
  }
  return true;
}

/**
 * DROP INDEX: on a partitioned table it takes the partitions' indexes
 * attached to it along. The catalog does not record the attachment (ALTER
 * INDEX ... ATTACH PARTITION), so a partition's index of the same definition
 * stands for it, as when the partition was attached.
 */
function dropIndexAndClones(ctx: BuildContext, t: MTable, name: string): void {
  const index = t.indexes.find((i) => i.name === name);
  t.indexes = t.indexes.filter((i) => i.name !== name);
  t.uniques = t.uniques.filter((u) => !(u.source === 'index' && u.name === name));
  if (!index || t.relkind !== 'partitioned') return;
  const same = (i: Index) => attachedIndex(index, i);
  for (const p of partitions(ctx, t)) {
    const attached = p.indexes.find(same);
    if (!attached) continue;
    ctx.indexOwner.delete(qualifiedKey(p.schema, attached.name));
    dropIndexAndClones(ctx, p, attached.name);
  }
}

/** DROP TABLE: with it go its partitions, its indexes, the sequences its columns own and the FKs that reference it. */
/** DROP SCHEMA (CASCADE, or of an empty schema: PostgreSQL refuses the rest): the schema and every object in it. */
function dropSchema(ctx: BuildContext, schema: string): void {
  const inSchema = (key: string) => splitKey(key).schema === schema;
  for (const key of [...ctx.tables.keys()]) if (inSchema(key)) dropTable(ctx, key);
  for (const map of [ctx.views, ctx.sequences, ctx.types, ctx.functions]) for (const key of [...map.keys()]) if (inSchema(key)) map.delete(key);
  ctx.schemas.delete(schema);
}

function dropTable(ctx: BuildContext, key: string): void {
  const t = ctx.tables.get(key);
  if (!t) return;
  for (const p of [...ctx.tables.values()]) if (p.partitionOf?.parent === key) dropTable(ctx, p.key);
  ctx.tables.delete(key);
  for (const other of ctx.tables.values()) other.foreignKeys = other.foreignKeys.filter((f) => f.refTable !== key);
  for (const [k, owner] of [...ctx.indexOwner]) if (owner === key) ctx.indexOwner.delete(k);
  for (const [k, seq] of [...ctx.sequences]) if (seq.ownedBy?.table === key) ctx.sequences.delete(k);
}

export function rename(ctx: BuildContext, body: RenameStmt): boolean {
  const to = body.newname ?? '';
  const from = body.subname ?? '';
  const type = body.renameType;
  switch (type) {
    case 'OBJECT_TABLE':
    case 'OBJECT_FOREIGN_TABLE':
    case 'OBJECT_SEQUENCE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
    case 'OBJECT_INDEX': {
      // PostgreSQL lets ALTER TABLE / ALTER INDEX ... RENAME name any kind of relation.
      const rel = ctx.findRelation(body.relation);
      if (!rel) return ctx.missingRelation('RenameStmt', body);
      switch (rel.kind) {
        case 'table':
          moveTable(ctx, ctx.tables.get(rel.key)!, ctx.tables.get(rel.key)!.schema, to, false);
          return true;
        case 'view':
          moveView(ctx, rel.key, ctx.views.get(rel.key)!.schema, to);
          return true;
        case 'sequence':
          moveSequence(ctx, rel.key, ctx.sequences.get(rel.key)!.schema, to);
          return true;
        case 'index':
          renameIndex(ctx, ctx.tables.get(ctx.indexOwner.get(rel.key)!)!, body.relation!.relname!, to);
          return true;
      }
      return true;
    }
    case 'OBJECT_COLUMN': {
      const rel = ctx.findRelation(body.relation);
      if (!rel) return ctx.missingRelation('RenameStmt', body);
      if (rel.kind === 'view') return ctx.skip('RenameStmt', 'columns of a view are not tracked: the catalog records what a view reads, not its columns');
      if (rel.kind !== 'table') return ctx.skip('RenameStmt', `columns of ${article(rel.kind)} are not tracked`);
      const t = ctx.tables.get(rel.key)!;
      if (renameColumn(ctx, t, from, to)) return true;
      return ctx.unknownObject(`column "${from}" of relation "${t.key}" does not exist at this point`);
    }
    case 'OBJECT_TABCONSTRAINT': {
      const t = ctx.tableFor('RenameStmt', body);
      if (!t) return false;
      if (renameConstraint(ctx, t, from, to)) return true;
      return ctx.unknownObject(`constraint "${from}" of relation "${t.key}" does not exist at this point`);
    }
    case 'OBJECT_TRIGGER': {
      const t = ctx.tableFor('RenameStmt', body);
      if (!t) return false;
      if (renameTrigger(ctx, t, from, to)) return true;
      return ctx.unknownObject(`trigger "${from}" on "${t.key}" does not exist at this point`);
    }
    case 'OBJECT_POLICY': {
      const t = ctx.tableFor('RenameStmt', body);
      if (!t) return false;
      t.policies = t.policies.map((p) => (p.name === from ? { ...p, name: to } : p));
      return true;
    }
    case 'OBJECT_RULE': {
      const t = ctx.tableFor('RenameStmt', body);
      if (!t) return false;
      t.rules = t.rules.map((r) => (r === from ? to : r));
      return true;
    }
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN': {
      const names = objectNames(body.object);
      const key = ctx.resolveTypeKey(names);
      if (!key) return ctx.skip('RenameStmt', `type "${names.join('.')}" is not one the schema defines (a base or extension type): its name is not tracked`);
      moveType(ctx, key, ctx.types.get(key)!.schema, to);
      return true;
    }
    case 'OBJECT_SCHEMA':
      renameSchema(ctx, from, to);
      return true;
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE':
    case 'OBJECT_ROUTINE': {
      const key = ctx.resolveFunctionKey(objectNames(nodeAs(body.object, 'ObjectWithArgs')?.objname));
      if (!key) return ctx.skip('RenameStmt', 'the function is not one the schema defines: its name is not tracked');
      moveFunction(ctx, key, splitKey(key).schema, to);
      return true;
    }
    case 'OBJECT_ATTRIBUTE':
      return ctx.skip('RenameStmt', 'attributes of a composite type are not tracked: they do not affect distribution');
    case 'OBJECT_DOMCONSTRAINT':
      return ctx.skip('RenameStmt', 'domain constraints are not tracked: they do not affect distribution');
    default:
      return ctx.skip('RenameStmt', `renaming ${describeObject(type ?? '')} does not affect distribution`);
  }
}
