/**
 * Triggers on Citus tables (commands/trigger.c): CREATE TRIGGER and ALTER
 * TABLE ... ENABLE/DISABLE TRIGGER on distributed and reference tables need
 * citus.enable_unsafe_triggers (ErrorOutForTriggerIfNotSupported); tables in
 * a distributed schema may have them. A table with triggers cannot be
 * distributed without it (create_distributed_table.c EnsureRelationHasNoTriggers).
 */
import type { CreateTrigStmt } from '../../ingest/pg/ast.js';
import { CitusError, TRIGGERS } from './errors.js';
import type { ClusterState } from './state.js';

export function ensureTriggerSupported(s: ClusterState, key: string): void {
  if (s.settings['citus.enable_unsafe_triggers']) return;
  const k = s.kind(key);
  if (k === 'reference') throw new CitusError('triggers are not supported on reference tables');
  if ((k === 'distributed' || k === 'single-shard') && s.tenantOf(key) === undefined) throw new CitusError('triggers are not supported on distributed tables');
}

export function createTrigger(s: ClusterState, body: CreateTrigStmt): void {
  ensureTriggerSupported(s, s.mustTable(body.relation).key);
}

/** EnsureRelationHasNoTriggers. */
export function ensureRelationHasNoTriggers(s: ClusterState, key: string): void {
  const t = s.builder.peekTable(key)!;
  if (s.settings['citus.enable_unsafe_triggers'] || s.tenantOf(key) !== undefined) return;
  if (t.triggers.length) throw TRIGGERS(key);
}
