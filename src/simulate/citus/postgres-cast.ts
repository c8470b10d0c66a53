/**
 * CREATE CAST and DROP CAST (PostgreSQL's pg_cast, commands/functioncmds.c):
 * the casts the script adds, kept in the state, by source and target type.
 * Casts of the schema the script starts from are not in the catalog (it
 * skips CREATE CAST): the model knows only that there are some.
 */
import type { CreateCastStmt, Node, TypeName } from '../../ingest/pg/ast.js';
import { listItems, namesOf, nodeAs } from '../../ingest/pg/index.js';
import type { ClusterState } from './state.js';

const castKey = (from: TypeName | undefined, to: TypeName | undefined) => `${namesOf(from?.names).pop()}>${namesOf(to?.names).pop()}`;

export function createCast(s: ClusterState, body: CreateCastStmt): void {
  s.casts.add(castKey(body.sourcetype, body.targettype));
}

/** DROP CAST (source AS target), ... */
export function dropCasts(s: ClusterState, objects: readonly Node[] | undefined): void {
  for (const o of objects ?? []) {
    const [from, to] = listItems(o).map((n) => nodeAs(n, 'TypeName'));
    s.casts.delete(castKey(from, to));
  }
}

/**
 * Are there casts from `type` to timestamptz and back? Also when the schema
 * made casts the model cannot see: then the type may pass.
 */
export function castsToAndFromTimestamptz(s: ClusterState, type: string): boolean {
  if (s.schemaHasCasts) return true;
  return s.casts.has(`${type}>timestamptz`) && s.casts.has(`timestamptz>${type}`);
}
