/** Small shared pieces for rule checks: names for messages and SQL, kind tests. */
import { displayName, quoteIdent, quoteLiteral, sqlName } from '../ingest/pg/names.js';
import type { CitusKind } from './model.js';

export { displayName, quoteIdent, quoteLiteral, sqlName };

/** Hash-distributed or single-shard: a table Citus calls distributed. */
export function isDistributedKind(kind: CitusKind): boolean {
  return kind === 'distributed' || kind === 'single-shard';
}

/** Distributed, single-shard or reference: what create_distributed_table / create_reference_table make. */
export function isShardedKind(kind: CitusKind): boolean {
  return kind === 'distributed' || kind === 'single-shard' || kind === 'reference';
}

/** Any table in Citus metadata. */
export function isCitusKind(kind: CitusKind): boolean {
  return kind !== 'local';
}

/** Human words for a kind, as messages use them. */
export function kindWords(kind: CitusKind): string {
  switch (kind) {
    case 'distributed':
      return 'distributed table';
    case 'single-shard':
      return 'single-shard distributed table';
    case 'reference':
      return 'reference table';
    case 'citus-local':
      return 'citus local table';
    default:
      return 'local table';
  }
}

export function columnList(columns: readonly string[]): string {
  return columns.map(quoteIdent).join(', ');
}
