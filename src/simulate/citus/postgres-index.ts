/**
 * PostgreSQL's own checks of CREATE INDEX and DROP INDEX, in its order:
 * DefineIndex's column lookups (ComputeIndexAttrs) before the name
 * (index_create: relations, sequences, views and indexes share one
 * namespace); RemoveRelations' lookup of each index (missing, or a relation
 * of another kind) and the dependencies that keep an index (a constraint it
 * backs, the partitioned table's index a partition's index is attached to,
 * the foreign keys on it: CASCADE drops them).
 */
import type { DropStmt, IndexStmt, Node } from '../../ingest/pg/ast.js';
import { nodeAs, objectNames, splitKey } from '../../ingest/pg/index.js';
import type { Index, Table } from '../../catalog/model.js';
import { attachedIndex } from '../../catalog/partitions.js';
import { CitusError } from './errors.js';
import { dropIndexDependents } from './postgres-dependency.js';
import type { ClusterState } from './state.js';

/** CREATE INDEX's checks on table `t`; false when IF NOT EXISTS makes it a no-op (with PostgreSQL's NOTICE). */
export function checkCreateIndex(s: ClusterState, t: Table, body: IndexStmt): boolean {
  const columns = new Set(t.columns.map((c) => c.name));
  for (const p of [...(body.indexParams ?? []), ...(body.indexIncludingParams ?? [])]) {
    const name = nodeAs(p, 'IndexElem')?.name;
    if (name && !columns.has(name)) throw new CitusError(`column "${name}" does not exist`);
  }
  if (body.idxname && s.builder.relationNameTaken(t.schema, body.idxname)) {
    if (!body.if_not_exists) throw new CitusError(`relation "${body.idxname}" already exists`);
    s.notices.push(`relation "${body.idxname}" already exists, skipping`);
    return false;
  }
  return true;
}

/** The index a DROP INDEX names: its key and table, or undefined when there is none. */
export function namedIndex(s: ClusterState, obj: Node): { key: string; table: Table; index: Index } | undefined {
  const parts = objectNames(obj);
  const rel = s.builder.peekRelation(parts.length > 1 ? parts[parts.length - 2] : undefined, parts[parts.length - 1]);
  if (rel?.kind !== 'index') return undefined;
  const owner = s.builder.indexTable(rel.key);
  const table = owner ? s.builder.peekTable(owner) : undefined;
  const index = table?.indexes.find((i) => i.name === splitKey(rel.key).name);
  return table && index ? { key: rel.key, table, index } : undefined;
}

/** DROP INDEX's lookups and dependency checks; the indexes that IF EXISTS skips get PostgreSQL's NOTICE. */
export function checkDropIndex(s: ClusterState, body: DropStmt): void {
  for (const obj of body.objects ?? []) {
    const parts = objectNames(obj);
    const name = parts[parts.length - 1];
    const found = namedIndex(s, obj);
    if (!found) {
      const rel = s.builder.peekRelation(parts.length > 1 ? parts[parts.length - 2] : undefined, name);
      if (rel) throw new CitusError(`"${name}" is not an index`, undefined, `Use DROP ${rel.kind === 'table' ? 'TABLE' : rel.kind === 'view' ? 'VIEW' : 'SEQUENCE'} to remove a ${rel.kind}.`);
      if (parts.length > 1 && !s.builder.hasSchema(parts[parts.length - 2])) throw new CitusError(`schema "${parts[parts.length - 2]}" does not exist`);
      if (!body.missing_ok) throw new CitusError(`index "${name}" does not exist`);
      s.notices.push(`index "${name}" does not exist, skipping`);
      continue;
    }
    const { table, index } = found;
    if (index.constraint) {
      throw new CitusError(
        `cannot drop index ${index.name} because constraint ${index.constraint} on table ${table.name} requires it`,
        undefined,
        `You can drop constraint ${index.constraint} on table ${table.name} instead.`,
      );
    }
    const parentIndex = attachedTo(s, table, index);
    if (parentIndex) throw new CitusError(`cannot drop index ${index.name} because index ${parentIndex} requires it`, undefined, `You can drop index ${parentIndex} instead.`);
    dropIndexDependents(s, table.key, index.name, undefined, body.behavior === 'DROP_CASCADE');
  }
}

/** The partitioned table's index a partition's index is attached to (the same definition on the parent). */
function attachedTo(s: ClusterState, table: Table, index: Index): string | undefined {
  const parentKey = table.partitionOf?.parent;
  const parent = parentKey ? s.builder.peekTable(parentKey) : undefined;
  if (!parent) return undefined;
  return parent.indexes.find((p) => attachedIndex(p, index))?.name;
}
