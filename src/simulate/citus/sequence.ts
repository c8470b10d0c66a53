/**
 * Sequences and Citus tables (commands/sequence.c): a sequence a distributed
 * or reference table uses is distributed and cannot be altered
 * (PreprocessAlterSequenceStmt, SequenceUsedInDistributedTable), and a new
 * sequence cannot be OWNED BY a distributed table (ErrorIfUnsupportedSeqStmt).
 */
import type { AlterSeqStmt, CreateSeqStmt } from '../../ingest/pg/ast.js';
import { defElem, listItems, qualifiedKey, stringOf } from '../../ingest/pg/index.js';
import { isMetadataSequence } from './citus-catalog.js';
import { CitusError, NO_RELATION } from './errors.js';
import type { ClusterState } from './state.js';
import { isDistributedTable } from './model.js';

/** The tables whose columns take their values from the sequence, and the table owning it. */
function sequenceUsers(s: ClusterState, seqKey: string): string[] {
  const out: string[] = [];
  for (const t of s.builder.peekTables()) {
    if (t.columns.some((c) => c.defaultSequence === seqKey || c.identity?.sequence === seqKey)) out.push(t.key);
  }
  const owner = s.builder.peekSequence(seqKey)?.ownedBy?.table;
  if (owner && !out.includes(owner)) out.push(owner);
  return out;
}

export function alterSequence(s: ClusterState, body: AlterSeqStmt): void {
  // the extension's own id sequences (RESTART sets the next ids)
  if (isMetadataSequence(body.sequence)) return;
  const key = s.relationKey(body.sequence);
  if (!s.builder.peekSequence(key)) {
    if (body.missing_ok) return;
    throw NO_RELATION(body.sequence?.relname ?? '');
  }
  if (s.distributedSequences.has(key) || sequenceUsers(s, key).some((k) => isDistributedTable(s.kind(k)) || s.kind(k) === 'reference')) {
    throw new CitusError('Altering a distributed sequence is currently not supported.');
  }
}

/**
 * A table becomes a distributed, reference or single-shard table: the
 * sequences its columns draw from become distributed objects
 * (EnsureSequenceDependenciesAreDistributed), and stay so after
 * undistribute_table.
 */
export function markSequencesDistributed(s: ClusterState, tableKey: string): void {
  for (const c of s.builder.peekTable(tableKey)?.columns ?? []) {
    if (c.defaultSequence) s.distributedSequences.add(c.defaultSequence);
    if (c.identity?.sequence) s.distributedSequences.add(c.identity.sequence);
  }
  // the sequences it owns (OWNED BY one of its columns) go with it
  for (const q of s.builder.peekSequences()) if (q.ownedBy?.table === tableKey) s.distributedSequences.add(q.key);
}

export function createSequence(s: ClusterState, body: CreateSeqStmt): void {
  // a sequence created again under a dropped one's name is a new, local object
  if (body.sequence?.relname) s.distributedSequences.delete(s.relationKey(body.sequence));
  const ownedBy = defElem(body.options, 'owned_by');
  const parts = listItems(ownedBy?.arg).map(stringOf);
  if (parts.length < 2) return;
  const tkey = parts.length > 2 ? qualifiedKey(parts[0], parts[1]) : s.builder.resolveRelation(undefined, parts[0]);
  if (isDistributedTable(s.kind(tkey))) {
    throw new CitusError('cannot create sequences that specify a distributed table in their OWNED BY option');
  }
}
