/**
 * Triggers on Citus tables (commands/trigger.c): CREATE TRIGGER and ALTER
 * TABLE ... ENABLE/DISABLE TRIGGER on distributed and reference tables need
 * citus.enable_unsafe_triggers (ErrorOutForTriggerIfNotSupported); tables in
 * a distributed schema may have them. A table with triggers cannot be
 * distributed without it (create_distributed_table.c EnsureRelationHasNoTriggers).
 */
import type { AlterObjectDependsStmt, CreateTrigStmt } from '../../ingest/pg/ast.js';
import { listItems, namesOf } from '../../ingest/pg/index.js';
import { CitusError, TRIGGERS } from './errors.js';
import type { ClusterState } from './state.js';
import { isDistributedTable } from './model.js';

export function ensureTriggerSupported(s: ClusterState, key: string): void {
  if (s.settings['citus.enable_unsafe_triggers']) return;
  const k = s.kind(key);
  if (k === 'reference') throw new CitusError('triggers are not supported on reference tables');
  if (isDistributedTable(k) && s.tenantOf(key) === undefined) throw new CitusError('triggers are not supported on distributed tables');
}

export function createTrigger(s: ClusterState, body: CreateTrigStmt): void {
  ensureTriggerSupported(s, s.mustTable(body.relation).key);
}

/** EnsureRelationHasNoTriggers, or with citus.enable_unsafe_triggers ErrorIfRelationHasUnsupportedTrigger. */
export function ensureRelationHasNoTriggers(s: ClusterState, key: string): void {
  const t = s.builder.peekTable(key)!;
  if (s.settings['citus.enable_unsafe_triggers']) return errorIfUnsupportedTrigger(s, key);
  if (s.tenantOf(key) !== undefined) return;
  if (t.triggers.length) throw TRIGGERS(key);
}

const extensionTrigger = (name: string) => `trigger "${name}" depends on an extension and this is not supported for distributed tables and local tables added to metadata`;

/** ErrorIfRelationHasUnsupportedTrigger: a trigger that depends on an extension. */
export function errorIfUnsupportedTrigger(s: ClusterState, key: string): void {
  const dependent = s.builder.peekTable(key)!.triggers.find((x) => x.extensionDependent);
  if (dependent) throw new CitusError(extensionTrigger(dependent.name));
}

/** ALTER TRIGGER ... DEPENDS ON EXTENSION on a Citus table (PreprocessAlterTriggerDependsStmt): the workers' extension makes such triggers. */
export function alterTriggerDepends(s: ClusterState, body: AlterObjectDependsStmt): void {
  if (body.objectType !== 'OBJECT_TRIGGER' || !s.metadataSync) return;
  const key = s.mustTable(body.relation).key;
  if (!s.isCitus(key)) return;
  const names = namesOf(listItems(body.object));
  throw new CitusError(extensionTrigger(names[names.length - 1]), 'Triggers from extensions are expected to be created on the workers by the extension they depend on.');
}
