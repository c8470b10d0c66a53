/**
 * Citus and PostgreSQL error texts, verbatim, as the coordinator reports them.
 * `rel(key)` is get_rel_name() (bare name), `qual(key)` is
 * generate_qualified_relation_name() (always schema-qualified, quoted as needed).
 */
import { quoteIdent, splitKey } from '../../ingest/pg/index.js';
import type { StepError } from './model.js';

/** An error raised while simulating a statement: aborts the statement. */
export class CitusError extends Error {
  readonly detail?: string;
  readonly hint?: string;
  constructor(message: string, detail?: string, hint?: string) {
    super(message);
    this.name = 'CitusError';
    this.detail = detail;
    this.hint = hint;
  }

  toStepError(): StepError {
    const e: { message: string; detail?: string; hint?: string } = { message: this.message };
    if (this.detail !== undefined) e.detail = this.detail;
    if (this.hint !== undefined) e.hint = this.hint;
    return e;
  }
}

export function rel(key: string): string {
  return splitKey(key).name;
}

export function qual(key: string): string {
  const { schema, name } = splitKey(key);
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

const HINT_REFERENCE = (t: string) =>
  `You could use SELECT create_reference_table('${t}') to replicate the referenced table to all nodes or consider dropping the foreign key`;

/** §6 E1..E10, and the other FK errors. */
export const FK = {
  e1: (ref: string) =>
    new CitusError(
      `referenced table "${rel(ref)}" must be a distributed table or a reference table`,
      'To enforce foreign keys, the referencing and referenced rows need to be stored on the same node.',
      HINT_REFERENCE(rel(ref)),
    ),
  e2: () =>
    new CitusError(
      'cannot create foreign key constraint since relations are not colocated or not referencing a reference table',
      'A distributed table can only have foreign keys if it is referencing another colocated hash distributed table or a reference table',
    ),
  e3: () =>
    new CitusError(
      'cannot create foreign key constraint',
      'Foreign keys are supported in two cases, either in between two colocated tables including partition column in the same ordinal in the both tables or from distributed to reference tables',
    ),
  e4: () =>
    new CitusError(
      'cannot create foreign key constraint since foreign keys from reference tables and local tables to distributed tables are not supported',
      'Reference tables and local tables can only have foreign keys to reference tables and local tables',
    ),
  e5: () =>
    new CitusError(
      'cannot create foreign key constraint',
      'SET NULL or SET DEFAULT is not supported in ON DELETE operation when distribution key is included in the foreign key constraint',
    ),
  e6: () =>
    new CitusError(
      'cannot create foreign key constraint',
      'SET NULL, SET DEFAULT or CASCADE is not supported in ON UPDATE operation when distribution key included in the foreign constraint.',
    ),
  e7: (referenced: string) =>
    new CitusError(
      'cannot define foreign key constraint, foreign keys from reference tables to local tables can only be defined with NO ACTION or RESTRICT behaviors',
      undefined,
      HINT_REFERENCE(rel(referenced)),
    ),
  e8: () =>
    new CitusError(
      'cannot create foreign key constraint since Citus does not support ON DELETE / UPDATE SET DEFAULT actions on the columns that default to sequences',
    ),
  e9: () =>
    new CitusError(
      'cannot create foreign key constraint',
      'Citus currently supports foreign key constraints only for "citus.shard_replication_factor = 1".',
      'Please change "citus.shard_replication_factor to 1". To learn more about using foreign keys with other replication factors, please contact us at https://citusdata.com/about/contact_us.',
    ),
  e10: (local: string) =>
    new CitusError(
      `cannot create foreign key constraint as "${rel(local)}" is a postgres local table`,
      undefined,
      `first add local table to citus metadata by using SELECT citus_add_local_table_to_metadata('${rel(local)}') and execute the ALTER TABLE command to create the foreign key to local table`,
    ),
};

export const UNIQUE_CONSTRAINT = (t: string) =>
  new CitusError(
    `cannot create constraint on "${rel(t)}"`,
    'Distributed relations cannot have UNIQUE, EXCLUDE, or PRIMARY KEY constraints that do not include the partition column (with an equality operator if EXCLUDE).',
  );

export const ALTER_UNSUPPORTED = () =>
  new CitusError(
    'alter table command is currently unsupported',
    'Only ADD|DROP COLUMN, SET|DROP NOT NULL, SET|DROP DEFAULT, ADD|DROP|VALIDATE CONSTRAINT, SET (), RESET (), ENABLE|DISABLE|NO FORCE|FORCE ROW LEVEL SECURITY, ATTACH|DETACH PARTITION and TYPE subcommands are supported.',
  );

export const PARTITION_COLUMN = () => new CitusError('cannot execute ALTER TABLE command involving partition column');

export const AUTO_CONVERT_NOTICE = (t: string) =>
  'local tables that are added to metadata automatically by citus, but not chained with reference tables via foreign keys might be automatically converted back to postgres tables\n' +
  `HINT:  Executing citus_add_local_table_to_metadata($$${qual(t)}$$) prevents this for the given relation, and all of the connected relations`;

/** UndistributeDisconnectedCitusLocalTables (utility_hook.c): an auto-converted citus local table no longer FK-connected to a reference table. */
export const REMOVED_FROM_METADATA_NOTICE = (t: string) => `removing table ${qual(t)} from metadata as it is not connected to any reference tables via foreign keys`;

/** CreateCitusLocalTable (citus_add_local_table_to_metadata.c) without cascade_via_foreign_keys, for a table with FKs to or from other tables. */
export const INVOLVED_IN_FOREIGN_KEY = (t: string) =>
  new CitusError(
    `relation ${qual(t)} is involved in a foreign key relationship with another table`,
    undefined,
    `Use cascade_via_foreign_keys option to add all the relations involved in a foreign key relationship with ${qual(t)} to citus metadata by executing SELECT citus_add_local_table_to_metadata($$${qual(t)}$$, cascade_via_foreign_keys=>true)`,
  );

export const COPY_START_NOTICE = 'Copying data from local table...';

export const COPY_DONE_NOTICE = (t: string) =>
  'copying the data has completed\n' +
  'DETAIL:  The local data in the table is no longer visible, but is still on disk.\n' +
  `HINT:  To remove the local data, run: SELECT truncate_local_data_after_distributing_table($$${qual(t)}$$)`;

export const COORDINATOR_NOT_IN_METADATA = () =>
  new CitusError(
    'operation is not allowed when coordinator is not added into metadata',
    undefined,
    `Use "SELECT citus_set_coordinator_host('<hostname>', '<port>')" to configure the coordinator hostname and port`,
  );

export const TRIGGERS = (t: string) =>
  new CitusError(`cannot distribute relation "${rel(t)}" because it has triggers`, undefined, `Consider dropping all the triggers on "${rel(t)}" and retry.`);

export const NO_RELATION = (name: string) => new CitusError(`relation "${name}" does not exist`);

export const TX_ABORTED = () => new CitusError('current transaction is aborted, commands ignored until end of transaction block');

/** PostgreSQL: SET NOT NULL (or a NOT NULL / PRIMARY KEY column) over rows holding NULL. `table` is the bare name. */
export const NOT_NULL_VIOLATION = (column: string, table: string) => new CitusError(`column "${column}" of relation "${table}" contains null values`);

/** PostgreSQL: a call of a function the installed Citus version does not have. `signature` as func_signature_string() writes it. */
export const NO_SUCH_FUNCTION = (signature: string) =>
  new CitusError(`function ${signature} does not exist`, undefined, 'No function matches the given name and argument types. You might need to add explicit type casts.');

/** PostgreSQL: DROP without CASCADE of an object others depend on. `object` and `dependents` as getObjectDescription() writes them. */
export const DEPENDENT_OBJECTS = (object: string, dependents: string[]) =>
  new CitusError(`cannot drop ${object} because other objects depend on it`, dependents.join('\n'), 'Use DROP ... CASCADE to drop the dependent objects too.');

/** PostgreSQL before 17 (Citus before 13.0): EXCLUDE constraints on partitioned tables. */
export const EXCLUDE_ON_PARTITIONED = () => new CitusError('exclusion constraints are not supported on partitioned tables');
