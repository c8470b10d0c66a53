/**
 * Citus behaviour cases, written from citus-rules.md (exact texts quoted there)
 * and, where it is silent, from the Citus source's format strings.
 * Each case: a schema, a script, and per step `ok` or the expected error.
 */
import type { SimulateOptions } from '../../../src/simulate/citus/index.js';

export interface Expect {
  readonly error?: { message: string; detail?: string; hint?: string };
  readonly notices?: string[];
}
export interface Case {
  readonly name: string;
  readonly schema: string;
  readonly script: string;
  readonly expect: ReadonlyArray<Expect | 'ok'>;
  readonly options?: SimulateOptions;
}

export const ok = 'ok' as const;
export const err = (message: string, detail?: string, hint?: string, notices?: string[]): Expect => ({
  error: { message, ...(detail !== undefined ? { detail } : {}), ...(hint !== undefined ? { hint } : {}) },
  ...(notices ? { notices } : {}),
});
export const notes = (...notices: string[]): Expect => ({ notices });

// -------------------------------------------------------------- texts (citus-rules.md §6)
const E1 = (ref: string) =>
  err(
    `referenced table "${ref}" must be a distributed table or a reference table`,
    'To enforce foreign keys, the referencing and referenced rows need to be stored on the same node.',
    `You could use SELECT create_reference_table('${ref}') to replicate the referenced table to all nodes or consider dropping the foreign key`,
  );
const E2 = err(
  'cannot create foreign key constraint since relations are not colocated or not referencing a reference table',
  'A distributed table can only have foreign keys if it is referencing another colocated hash distributed table or a reference table',
);
const E3 = err(
  'cannot create foreign key constraint',
  'Foreign keys are supported in two cases, either in between two colocated tables including partition column in the same ordinal in the both tables or from distributed to reference tables',
);
const E4 = err(
  'cannot create foreign key constraint since foreign keys from reference tables and local tables to distributed tables are not supported',
  'Reference tables and local tables can only have foreign keys to reference tables and local tables',
);
const E5 = err('cannot create foreign key constraint', 'SET NULL or SET DEFAULT is not supported in ON DELETE operation when distribution key is included in the foreign key constraint');
const E6 = err('cannot create foreign key constraint', 'SET NULL, SET DEFAULT or CASCADE is not supported in ON UPDATE operation when distribution key included in the foreign constraint.');
const E7 = (ref: string) =>
  err(
    'cannot define foreign key constraint, foreign keys from reference tables to local tables can only be defined with NO ACTION or RESTRICT behaviors',
    undefined,
    `You could use SELECT create_reference_table('${ref}') to replicate the referenced table to all nodes or consider dropping the foreign key`,
  );
const E8 = err('cannot create foreign key constraint since Citus does not support ON DELETE / UPDATE SET DEFAULT actions on the columns that default to sequences');
const E9 = err(
  'cannot create foreign key constraint',
  'Citus currently supports foreign key constraints only for "citus.shard_replication_factor = 1".',
  'Please change "citus.shard_replication_factor to 1". To learn more about using foreign keys with other replication factors, please contact us at https://citusdata.com/about/contact_us.',
);
const E10 = (t: string) =>
  err(
    `cannot create foreign key constraint as "${t}" is a postgres local table`,
    undefined,
    `first add local table to citus metadata by using SELECT citus_add_local_table_to_metadata('${t}') and execute the ALTER TABLE command to create the foreign key to local table`,
  );
const UNIQ = (t: string) =>
  err(
    `cannot create constraint on "${t}"`,
    'Distributed relations cannot have UNIQUE, EXCLUDE, or PRIMARY KEY constraints that do not include the partition column (with an equality operator if EXCLUDE).',
  );
const AUTO = (q: string) =>
  'local tables that are added to metadata automatically by citus, but not chained with reference tables via foreign keys might be automatically converted back to postgres tables\n' +
  `HINT:  Executing citus_add_local_table_to_metadata($$${q}$$) prevents this for the given relation, and all of the connected relations`;
const COPY1 = 'Copying data from local table...';
const COPY2 = (q: string) =>
  `copying the data has completed\nDETAIL:  The local data in the table is no longer visible, but is still on disk.\nHINT:  To remove the local data, run: SELECT truncate_local_data_after_distributing_table($$${q}$$)`;
const ALTER_UNSUP = err(
  'alter table command is currently unsupported',
  'Only ADD|DROP COLUMN, SET|DROP NOT NULL, SET|DROP DEFAULT, ADD|DROP|VALIDATE CONSTRAINT, SET (), RESET (), ENABLE|DISABLE|NO FORCE|FORCE ROW LEVEL SECURITY, ATTACH|DETACH PARTITION and TYPE subcommands are supported.',
);
const PARTCOL = err('cannot execute ALTER TABLE command involving partition column');
const TRIG = (t: string) => err(`cannot distribute relation "${t}" because it has triggers`, undefined, `Consider dropping all the triggers on "${t}" and retry.`);
/** ErrorUnsupportedAlterTableAddColumn's DETAIL (Citus source; citus-rules.md quotes only the message and HINT). */
const ADD_COLUMN_DETAIL = 'Adding a column with a constraint in one command is not supported because all constraints in Citus must have explicit names';
/** PostgreSQL's error for a UDF the Citus version does not have. */
const NO_FUNCTION = (sig: string) => err(`function ${sig} does not exist`, undefined, 'No function matches the given name and argument types. You might need to add explicit type casts.');
const NOOPCLASS = (type: string) => err(`data type ${type} has no default operator class for specified partition method`, 'Partition column types must have a default operator class defined.');

// -------------------------------------------------------------- the FK matrix
type K = 'local' | 'citus local' | 'reference' | 'hash' | 'single-shard';
const KINDS: K[] = ['local', 'citus local', 'reference', 'hash', 'single-shard'];
const make = (t: string, k: K, col = 'id'): string =>
  ({
    local: '',
    'citus local': `SELECT citus_add_local_table_to_metadata('${t}');`,
    reference: `SELECT create_reference_table('${t}');`,
    hash: `SELECT create_distributed_table('${t}', '${col}');`,
    'single-shard': `SELECT create_distributed_table('${t}', NULL);`,
  })[k];

/** §6 table: referencing `a` (row) -> referenced `b` (column), `ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b (id)`. */
const MATRIX: Record<K, Record<K, Expect | 'ok'>> = {
  local: { local: ok, 'citus local': ok, reference: notes(AUTO('public.a')), hash: ok, 'single-shard': ok },
  'citus local': { local: ok, 'citus local': ok, reference: ok, hash: E4, 'single-shard': E4 },
  reference: { local: notes(AUTO('public.b')), 'citus local': ok, reference: ok, hash: E4, 'single-shard': E4 },
  hash: { local: E1('b'), 'citus local': E2, reference: ok, hash: ok, 'single-shard': E2 },
  'single-shard': { local: E1('b'), 'citus local': E2, reference: ok, hash: E2, 'single-shard': ok },
};

const FK_SCHEMA = 'CREATE TABLE b (id int PRIMARY KEY);\nCREATE TABLE a (id int, b_id int);';
const matrix: Case[] = [];
for (const ka of KINDS) {
  for (const kb of KINDS) {
    const steps = [make('b', kb), make('a', ka, 'b_id')].filter(Boolean);
    matrix.push({
      name: `FK matrix: ${ka} -> ${kb}`,
      schema: FK_SCHEMA,
      script: [...steps, 'ALTER TABLE a ADD CONSTRAINT a_b_fk FOREIGN KEY (b_id) REFERENCES b (id);'].join('\n'),
      expect: [...steps.map(() => ok), MATRIX[ka][kb]],
    });
  }
}

const DIST2 = 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int, p_id int, note text);';

export const CASES: Case[] = [
  ...matrix,
  // ------------------------------------------------------------ FK actions and order
  {
    name: 'dist -> dist colocated but key not at the same position: E3',
    schema: DIST2,
    script: "SELECT create_distributed_table('p', 'id');\nSELECT create_distributed_table('c', 'id');\nALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p (id);",
    expect: [ok, ok, E3],
  },
  {
    name: 'dist -> dist ON DELETE CASCADE on the key is allowed',
    schema: DIST2,
    script: "SELECT create_distributed_table('p', 'id');\nSELECT create_distributed_table('c', 'p_id');\nALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE;",
    expect: [ok, ok, ok],
  },
  {
    name: 'dist -> dist ON DELETE SET NULL on the key: E5',
    schema: DIST2,
    script: "SELECT create_distributed_table('p', 'id');\nSELECT create_distributed_table('c', 'p_id');\nALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE SET NULL;",
    expect: [ok, ok, E5],
  },
  {
    name: 'dist -> dist ON UPDATE CASCADE on the key: E6',
    schema: DIST2,
    script: "SELECT create_distributed_table('p', 'id');\nSELECT create_distributed_table('c', 'p_id');\nALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p (id) ON UPDATE CASCADE;",
    expect: [ok, ok, E6],
  },
  {
    name: 'dist -> ref ON DELETE CASCADE allowed',
    schema: DIST2,
    script: "SELECT create_reference_table('p');\nSELECT create_distributed_table('c', 'id');\nALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE;",
    expect: [ok, ok, ok],
  },
  {
    name: 'dist -> ref ON UPDATE CASCADE with the key in the FK: E6',
    schema: DIST2,
    script: "SELECT create_reference_table('p');\nSELECT create_distributed_table('c', 'p_id');\nALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p (id) ON UPDATE CASCADE;",
    expect: [ok, ok, E6],
  },
  {
    name: 'dist -> ref ON UPDATE CASCADE on a non-key column allowed',
    schema: DIST2,
    script: "SELECT create_reference_table('p');\nSELECT create_distributed_table('c', 'id');\nALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p (id) ON UPDATE CASCADE ON DELETE SET NULL;",
    expect: [ok, ok, ok],
  },
  {
    name: 'dist -> ref ON DELETE SET NULL with the key: E5',
    schema: DIST2,
    script: "SELECT create_reference_table('p');\nSELECT create_distributed_table('c', 'p_id');\nALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE SET NULL;",
    expect: [ok, ok, E5],
  },
  {
    name: 'ref -> citus local with ON DELETE CASCADE: E7',
    schema: DIST2,
    script: "SELECT citus_add_local_table_to_metadata('p');\nSELECT create_reference_table('c');\nALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE;",
    expect: [ok, ok, E7('p')],
  },
  {
    name: 'ref -> plain local with ON DELETE CASCADE: E7 after conversion',
    schema: DIST2,
    script: "SELECT create_reference_table('c');\nALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE;",
    // the conversion succeeds (its NOTICE is printed); the FK check then fails and the statement is rolled back
    expect: [ok, { ...E7('p'), notices: [AUTO('public.p')] }],
  },
  {
    name: 'ref -> ref any action',
    schema: DIST2,
    script: "SELECT create_reference_table('p');\nSELECT create_reference_table('c');\nALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE SET NULL ON UPDATE CASCADE;",
    expect: [ok, ok, ok],
  },
  {
    name: 'citus local -> ref any action',
    schema: DIST2,
    script: "SELECT create_reference_table('p');\nSELECT citus_add_local_table_to_metadata('c');\nALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE;",
    expect: [ok, ok, ok],
  },
  {
    name: 'SET DEFAULT on a nextval column: E8',
    schema: 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int, p_id serial);',
    script: "SELECT create_reference_table('p');\nSELECT create_distributed_table('c', 'id');\nALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE SET DEFAULT;",
    expect: [ok, ok, E8],
  },
  {
    name: 'RF 2: FK from a distributed table: E9',
    schema: DIST2,
    script: "SET citus.shard_replication_factor = 2;\nSELECT create_reference_table('p');\nSELECT create_distributed_table('c', 'id');\nALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p (id);",
    expect: [ok, ok, ok, E9],
  },
  {
    name: 'local<->reference FKs disabled: citus local -> plain: E10',
    schema: DIST2,
    script: "SET citus.enable_local_reference_table_foreign_keys = off;\nSELECT citus_add_local_table_to_metadata('c');\nALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p (id);",
    expect: [ok, ok, E10('p')],
  },
  {
    name: 'coordinator not in metadata: ref -> plain: E1',
    schema: DIST2,
    script: "SELECT create_reference_table('c');\nALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p (id);",
    options: { coordinatorInMetadata: false },
    expect: [ok, E1('p')],
  },
  {
    name: 'distribution order: referencing table first with the FK kept: E1',
    schema: 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int, p_id int REFERENCES p (id));',
    script: "SELECT create_distributed_table('c', 'p_id');\nSELECT create_distributed_table('p', 'id');\nSELECT create_distributed_table('c', 'p_id');",
    expect: [E1('p'), ok, ok],
  },
  {
    name: 'FK int8 -> int4 key: different colocation groups: E2',
    schema: 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int, p_id bigint REFERENCES p (id));',
    script: "SELECT create_distributed_table('p', 'id');\nSELECT create_distributed_table('c', 'p_id');",
    expect: [ok, E2],
  },
  {
    name: 'self-referencing FK with the key at the same position',
    schema: 'CREATE TABLE t (tenant int, id int, parent int, PRIMARY KEY (tenant, id), FOREIGN KEY (tenant, parent) REFERENCES t (tenant, id));',
    script: "SELECT create_distributed_table('t', 'tenant');",
    expect: [ok],
  },
  {
    name: 'self-referencing FK without the key: E3',
    schema: 'CREATE TABLE t (tenant int, id int PRIMARY KEY, parent int REFERENCES t (id));',
    script: "SELECT create_distributed_table('t', 'id');",
    expect: [E3],
  },
  {
    name: 'CREATE TABLE ... REFERENCES a reference table auto-converts it',
    schema: 'CREATE TABLE p (id int PRIMARY KEY);',
    script: "SELECT create_reference_table('p');\nCREATE TABLE c (id int, p_id int REFERENCES p (id));",
    expect: [ok, notes(AUTO('public.c'))],
  },
  {
    name: 'create_reference_table converts a plain referencing table',
    schema: 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int, p_id int REFERENCES p (id));',
    script: "SELECT create_reference_table('p');\nSELECT create_distributed_table('c', 'id');",
    expect: [notes(AUTO('public.c')), ok],
  },
  {
    name: 'plain local referencing a distributed table is accepted (half enforced)',
    schema: 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int, p_id int REFERENCES p (id));',
    script: "SELECT create_distributed_table('p', 'id');",
    expect: [ok],
  },
  // ------------------------------------------------------------ uniqueness
  ...uniqueness(),
  // ------------------------------------------------------------ types
  ...['json', 'xml', 'point', 'money', 'tsvector'].map(
    (type): Case => ({ name: `distribution column of type ${type} rejected`, schema: `CREATE TABLE t (k ${type});`, script: "SELECT create_distributed_table('t', 'k');", expect: [NOOPCLASS(type)] }),
  ),
  ...['int2', 'bigint', 'numeric', 'text', 'varchar(20)', 'uuid', 'date', 'timestamptz', 'jsonb', 'int[]'].map(
    (type): Case => ({ name: `distribution column of type ${type} accepted`, schema: `CREATE TABLE t (k ${type});`, script: "SELECT create_distributed_table('t', 'k');", expect: [ok] }),
  ),
  {
    name: 'enum distribution column accepted',
    schema: "CREATE TYPE mood AS ENUM ('open', 'closed');\nCREATE TABLE t (k mood);",
    script: "SELECT create_distributed_table('t', 'k');",
    expect: [ok],
  },
  {
    name: 'generated distribution column rejected',
    schema: 'CREATE TABLE t (a int, k int GENERATED ALWAYS AS (a * 2) STORED);',
    script: "SELECT create_distributed_table('t', 'k');",
    expect: [err('cannot distribute relation: t', 'Distribution column must not use GENERATED ALWAYS AS (...) STORED.')],
  },
  {
    name: 'numeric with negative scale rejected',
    schema: 'CREATE TABLE t (k numeric(5, -2));',
    script: "SELECT create_distributed_table('t', 'k');",
    expect: [err('cannot distribute relation: t', 'Distribution column must not use numeric type with negative scale')],
  },
  {
    name: 'unknown distribution column',
    schema: 'CREATE TABLE t (id int);',
    script: "SELECT create_distributed_table('t', 'ID');",
    expect: [err('column "ID" of relation "t" does not exist')],
  },
  // ------------------------------------------------------------ colocation
  {
    name: 'int4 and int8 keys are not colocated by default',
    schema: 'CREATE TABLE a (k int);\nCREATE TABLE b (k bigint);\nCREATE TABLE c (k int);',
    script: "SELECT create_distributed_table('a', 'k');\nSELECT create_distributed_table('b', 'k');\nSELECT create_distributed_table('c', 'k');",
    expect: [ok, ok, ok],
  },
  {
    name: 'colocate_with a table of another type',
    schema: 'CREATE TABLE a (k int);\nCREATE TABLE b (k bigint);',
    script: "SELECT create_distributed_table('a', 'k');\nSELECT create_distributed_table('b', 'k', colocate_with => 'a');",
    expect: [ok, err('cannot colocate tables a and b', "Distribution column types don't match for a and b.")],
  },
  {
    name: 'colocate_with text vs varchar',
    schema: 'CREATE TABLE a (k text);\nCREATE TABLE b (k varchar);',
    script: "SELECT create_distributed_table('a', 'k');\nSELECT create_distributed_table('b', 'k', colocate_with := 'a');",
    expect: [ok, err('cannot colocate tables a and b', "Distribution column types don't match for a and b.")],
  },
  {
    name: 'colocate_with: collation must match in 14.0',
    schema: 'CREATE TABLE a (k text);\nCREATE TABLE b (k text COLLATE "C");',
    script: "SELECT create_distributed_table('a', 'k');\nSELECT create_distributed_table('b', 'k', colocate_with => 'a');",
    expect: [ok, err('cannot colocate tables a and b', "Distribution column collations don't match for a and b.")],
  },
  {
    name: 'colocate_with: collation not checked in 13.2',
    schema: 'CREATE TABLE a (k text);\nCREATE TABLE b (k text COLLATE "C");',
    script: "SELECT create_distributed_table('a', 'k');\nSELECT create_distributed_table('b', 'k', colocate_with => 'a');",
    options: { citus: '13.2' },
    expect: [ok, ok],
  },
  {
    name: 'colocate_with a reference table fails the type check',
    schema: 'CREATE TABLE r (k int);\nCREATE TABLE b (k int);',
    script: "SELECT create_reference_table('r');\nSELECT create_distributed_table('b', 'k', colocate_with => 'r');",
    expect: [ok, err('cannot colocate tables r and b', "Distribution column types don't match for r and b.")],
  },
  {
    name: 'colocate_with a citus local table',
    schema: 'CREATE TABLE r (k int);\nCREATE TABLE b (k int);',
    script: "SELECT citus_add_local_table_to_metadata('r');\nSELECT create_distributed_table('b', 'k', colocate_with => 'r');",
    expect: [ok, err('cannot distribute relation', 'Currently, colocate_with option is not supported with append / range distributed tables and local tables added to metadata.')],
  },
  {
    name: 'colocate_with a table and shard_count together',
    schema: 'CREATE TABLE a (k int);\nCREATE TABLE b (k int);',
    script: "SELECT create_distributed_table('a', 'k');\nSELECT create_distributed_table('b', 'k', colocate_with => 'a', shard_count => 8);",
    expect: [ok, err('Cannot use colocate_with with a table and shard_count at the same time')],
  },
  {
    name: 'shard_count out of range',
    schema: 'CREATE TABLE a (k int);',
    script: "SELECT create_distributed_table('a', 'k', shard_count => 0);\nSELECT create_distributed_table('a', 'k', shard_count => 64001);",
    expect: [err('0 is outside the valid range for parameter "shard_count" (1 .. 64000)'), err('64001 is outside the valid range for parameter "shard_count" (1 .. 64000)')],
  },
  {
    name: 'shard_count mismatch breaks the FK between default groups',
    schema: 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (p_id int REFERENCES p (id));',
    script: "SELECT create_distributed_table('p', 'id', shard_count => 8);\nSELECT create_distributed_table('c', 'p_id');",
    expect: [ok, E2],
  },
  {
    name: "colocate_with 'none' gives a new group",
    schema: 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (p_id int REFERENCES p (id));',
    script: "SELECT create_distributed_table('p', 'id');\nSELECT create_distributed_table('c', 'p_id', colocate_with => 'none');",
    expect: [ok, E2],
  },
  {
    name: 'NULL colocate_with or table name is a silent no-op',
    schema: 'CREATE TABLE a (k json);',
    script: "SELECT create_distributed_table('a', 'k', colocate_with => NULL);\nSELECT create_distributed_table(NULL, 'k');\nSELECT create_distributed_table('a', 'k', NULL);",
    expect: [ok, ok, ok],
  },
  {
    name: 'single-shard: shard_count and distribution_type refused',
    schema: 'CREATE TABLE a (k int);',
    script: "SELECT create_distributed_table('a', NULL, shard_count => 4);\nSELECT create_distributed_table('a', NULL, 'range');",
    expect: [err("shard_count can't be specified when the distribution column is null because in that case it's automatically set to 1"), err("distribution_type can't be specified when the distribution column is null ")],
  },
  {
    name: 'already distributed',
    schema: 'CREATE TABLE a (k int);',
    script: "SELECT create_distributed_table('a', 'k');\nSELECT create_distributed_table('a', 'k');\nSELECT create_reference_table('a');",
    expect: [ok, err('table "a" is already distributed'), err('table "a" is already distributed')],
  },
  {
    name: 'missing relation',
    schema: '',
    script: "SELECT create_distributed_table('nope', 'k');",
    expect: [err('relation "nope" does not exist')],
  },
  // ------------------------------------------------------------ triggers
  {
    name: 'distributing a table with a trigger',
    schema: "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;\nCREATE TABLE t (k int);\nCREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();",
    script: "SELECT create_distributed_table('t', 'k');\nSELECT create_reference_table('t');\nSET citus.enable_unsafe_triggers = on;\nSELECT create_distributed_table('t', 'k');",
    expect: [TRIG('t'), TRIG('t'), ok, ok],
  },
  {
    name: 'CREATE TRIGGER on distributed and reference tables',
    schema: "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;\nCREATE TABLE d (k int);\nCREATE TABLE r (k int);\nCREATE TABLE l (k int);",
    script:
      "SELECT create_distributed_table('d', 'k');\nSELECT create_reference_table('r');\nSELECT citus_add_local_table_to_metadata('l');\n" +
      'CREATE TRIGGER t1 BEFORE INSERT ON d FOR EACH ROW EXECUTE FUNCTION f();\nCREATE TRIGGER t2 BEFORE INSERT ON r FOR EACH ROW EXECUTE FUNCTION f();\nCREATE TRIGGER t3 BEFORE INSERT ON l FOR EACH ROW EXECUTE FUNCTION f();\n' +
      'SET citus.enable_unsafe_triggers = on;\nCREATE TRIGGER t4 BEFORE INSERT ON d FOR EACH ROW EXECUTE FUNCTION f();',
    expect: [ok, ok, ok, err('triggers are not supported on distributed tables'), err('triggers are not supported on reference tables'), ok, ok, ok],
  },
  // ------------------------------------------------------------ identity, serial, sequences
  {
    name: 'identity column (int) distributed in 14.0',
    schema: 'CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, k int);',
    script: "SELECT create_distributed_table('t', 'id');",
    expect: [ok],
  },
  {
    name: 'ADD COLUMN identity with metadata sync',
    schema: 'CREATE TABLE t (k int);',
    script: "SELECT create_distributed_table('t', 'k');\nALTER TABLE t ADD COLUMN id bigint GENERATED BY DEFAULT AS IDENTITY;",
    expect: [ok, err('cannot execute ADD COLUMN commands involving identity columns when metadata is synchronized to workers')],
  },
  {
    name: 'ADD COLUMN identity without metadata sync on a non-empty table',
    schema: 'CREATE TABLE t (k int);\nINSERT INTO t VALUES (1);',
    script: "SELECT create_distributed_table('t', 'k');\nALTER TABLE t ADD COLUMN id bigint GENERATED BY DEFAULT AS IDENTITY;",
    options: { metadataSync: false },
    expect: [notes(COPY1, COPY2('public.t')), err('Cannot add an identity column because the table is not empty')],
  },
  {
    name: 'ADD COLUMN serial with metadata sync',
    schema: 'CREATE TABLE t (k int);',
    script: "SELECT create_distributed_table('t', 'k');\nALTER TABLE t ADD COLUMN n bigserial;",
    expect: [ok, err('cannot execute ADD COLUMN commands involving serial pseudotypes when metadata is synchronized to workers')],
  },
  {
    name: 'ADD COLUMN serial without metadata sync on a non-empty table',
    schema: 'CREATE TABLE t (k int);\nINSERT INTO t VALUES (1), (2);',
    script: "SELECT create_distributed_table('t', 'k');\nALTER TABLE t ADD COLUMN n serial;",
    options: { metadataSync: false },
    expect: [
      notes(COPY1, COPY2('public.t')),
      err('Cannot add a column involving serial pseudotypes because the table is not empty', undefined, "You can first call ALTER TABLE .. ADD COLUMN .. smallint/int/bigint\nThen set the default by ALTER TABLE .. ALTER COLUMN .. SET DEFAULT nextval('..')"),
    ],
  },
  {
    name: 'ADD COLUMN DEFAULT nextval on a non-empty table, and the recipe',
    schema: 'CREATE SEQUENCE s;\nCREATE TABLE t (k int);\nINSERT INTO t VALUES (1);',
    script: "SELECT create_distributed_table('t', 'k');\nALTER TABLE t ADD COLUMN n bigint DEFAULT nextval('s');\nALTER TABLE t ADD COLUMN n bigint;\nALTER TABLE t ALTER COLUMN n SET DEFAULT nextval('s');",
    expect: [
      notes(COPY1, COPY2('public.t')),
      err("cannot add a column involving DEFAULT nextval('..') because the table is not empty", undefined, "You can first call ALTER TABLE .. ADD COLUMN .. smallint/int/bigint\nThen set the default by ALTER TABLE .. ALTER COLUMN .. SET DEFAULT nextval('..')"),
      ok,
      ok,
    ],
  },
  {
    name: 'ALTER SEQUENCE on a distributed table sequence',
    schema: 'CREATE TABLE t (id bigserial, k int);',
    script: "SELECT create_distributed_table('t', 'k');\nALTER SEQUENCE t_id_seq RESTART 100;",
    expect: [ok, err('Altering a distributed sequence is currently not supported.')],
  },
  {
    name: 'ALTER SEQUENCE before distributing is fine',
    schema: 'CREATE TABLE t (id bigserial, k int);',
    script: "ALTER SEQUENCE t_id_seq RESTART 100;\nSELECT create_distributed_table('t', 'k');",
    expect: [ok, ok],
  },
  {
    name: 'CREATE SEQUENCE OWNED BY a distributed table',
    schema: 'CREATE TABLE t (k int, n bigint);',
    script: "SELECT create_distributed_table('t', 'k');\nCREATE SEQUENCE s OWNED BY t.n;",
    expect: [ok, err('cannot create sequences that specify a distributed table in their OWNED BY option')],
  },
  {
    name: 'ALTER COLUMN TYPE of an identity column',
    schema: 'CREATE TABLE t (k int, id bigint GENERATED ALWAYS AS IDENTITY);',
    script: "SELECT create_distributed_table('t', 'k');\nALTER TABLE t ALTER COLUMN id TYPE numeric;",
    expect: [ok, err('cannot execute ALTER COLUMN command involving identity column')],
  },
  {
    name: 'ALTER COLUMN TYPE of a serial column',
    schema: 'CREATE TABLE t (k int, n serial);',
    script: "SELECT create_distributed_table('t', 'k');\nALTER TABLE t ALTER COLUMN n TYPE bigint;",
    expect: [ok, err('cannot execute ALTER COLUMN TYPE .. command because the column involves a default coming from a sequence')],
  },
  {
    name: 'undistribute / alter_distributed_table with an identity column',
    schema: 'CREATE TABLE t (k int, id bigint GENERATED ALWAYS AS IDENTITY);',
    script: "SELECT create_distributed_table('t', 'k');\nSELECT undistribute_table('t');\nSELECT alter_distributed_table('t', shard_count := 8);",
    expect: [ok, err('cannot complete operation on a table with identity column'), err('cannot complete operation on a table with identity column')],
  },
  // ------------------------------------------------------------ ALTER TABLE on distributed tables
  ...alterCases(),
  // ------------------------------------------------------------ data
  {
    name: 'distributing a table with data prints the copy notices',
    schema: 'CREATE TABLE t (k int, v text);\nCOPY t (k, v) FROM stdin;\n1\ta\n2\tb\n\\.\n',
    script: "SELECT create_distributed_table('t', 'k');\nSELECT truncate_local_data_after_distributing_table($$public.t$$);",
    expect: [notes(COPY1, COPY2('public.t')), ok],
  },
  {
    name: 'NULL in the distribution column aborts the copy',
    schema: 'CREATE TABLE t (k int, v text);\nCOPY t (k, v) FROM stdin;\n1\ta\n\\N\tb\n\\.\n',
    script: "SELECT create_distributed_table('t', 'k');\nSELECT create_distributed_table('t', 'v');",
    expect: [err('the partition column of table public.t cannot be NULL', undefined, undefined, [COPY1]), notes(COPY1, COPY2('public.t'))],
  },
  {
    name: 'reference tables accept NULLs',
    schema: "CREATE TABLE t (k int);\nINSERT INTO t VALUES (NULL);",
    script: "SELECT create_reference_table('t');",
    expect: [notes(COPY1, COPY2('public.t'))],
  },
  {
    name: 'INSERT with NULL key, and without the key',
    schema: 'CREATE TABLE t (k int, v text);',
    script: "SELECT create_distributed_table('t', 'k');\nINSERT INTO t (k, v) VALUES (NULL, 'a');\nINSERT INTO t (v) VALUES ('a');\nINSERT INTO t VALUES (1, 'a');",
    expect: [ok, err('cannot perform an INSERT with NULL in the partition column'), err('cannot perform an INSERT without a partition column value'), ok],
  },
  {
    name: 'UPDATE of the distribution column',
    schema: 'CREATE TABLE t (k int, v text);',
    script: "SELECT create_distributed_table('t', 'k');\nUPDATE t SET k = 2 WHERE v = 'a';\nUPDATE t SET k = k;\nUPDATE t SET k = 5 WHERE k = 5;\nUPDATE t SET v = 'b' WHERE k = 1;",
    expect: [ok, err('modifying the partition value of rows is not allowed'), ok, ok, ok],
  },
  {
    name: 'volatile function in UPDATE SET and WHERE',
    schema: 'CREATE TABLE t (k int, v float8, ts timestamptz);',
    script: "SELECT create_distributed_table('t', 'k');\nUPDATE t SET v = random();\nUPDATE t SET ts = now();\nUPDATE t SET v = 1 WHERE v < random();",
    expect: [ok, err('functions used in UPDATE queries on distributed tables must not be VOLATILE'), ok, err('functions used in the WHERE/ON/WHEN clause of modification queries on distributed tables must not be VOLATILE')],
  },
  {
    name: 'truncate_local_data_after_distributing_table on a local table',
    schema: 'CREATE TABLE t (k int);',
    script: "SELECT truncate_local_data_after_distributing_table($$public.t$$);",
    // truncate.c EnsureLocalTableCanBeTruncated; expected/multi_truncate.out
    expect: [err('supplied parameter is not a distributed relation', 'This UDF only truncates local records of distributed tables.')],
  },
  // ------------------------------------------------------------ partitioning
  {
    name: 'distributing a partition alone',
    schema: 'CREATE TABLE m (k int, d date) PARTITION BY RANGE (d);\nCREATE TABLE m1 PARTITION OF m FOR VALUES FROM (\'2024-01-01\') TO (\'2025-01-01\');',
    script: "SELECT create_distributed_table('m1', 'k');\nSELECT create_distributed_table('m', 'k');",
    expect: [err('cannot distribute relation "m1" which is partition of "m"', 'Citus does not support distributing partitions if their parent is not distributed table.', 'Distribute the partitioned table "m" instead.'), ok],
  },
  {
    name: 'reference partitioned table refused',
    schema: 'CREATE TABLE m (k int, d date) PARTITION BY RANGE (d);',
    script: "SELECT create_reference_table('m');",
    expect: [err('distributing partitioned tables in only supported for hash-distributed tables')],
  },
  {
    name: 'new partitions of a distributed table are distributed and colocated',
    schema: 'CREATE TABLE m (k int, d date) PARTITION BY RANGE (d);\nCREATE TABLE ref (k int PRIMARY KEY);',
    script:
      "SELECT create_distributed_table('m', 'k');\nCREATE TABLE m2 PARTITION OF m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');\nSELECT create_distributed_table('m2', 'k');",
    expect: [ok, ok, err('table "m2" is already distributed')],
  },
  {
    name: 'inheritance is not supported',
    schema: 'CREATE TABLE p (k int);\nCREATE TABLE c () INHERITS (p);',
    script: "SELECT create_distributed_table('p', 'k');\nSELECT create_distributed_table('c', 'k');",
    expect: [err('p is not a regular, foreign or partitioned table'), err('c is not a regular, foreign or partitioned table')],
  },
  // ------------------------------------------------------------ concurrently
  {
    name: 'create_distributed_table_concurrently in a transaction block',
    schema: 'CREATE TABLE t (k int PRIMARY KEY);',
    script: "BEGIN;\nSELECT create_distributed_table_concurrently('t', 'k');\nCOMMIT;\nSELECT create_distributed_table_concurrently('t', 'k');",
    expect: [ok, err('create_distributed_table_concurrently cannot run inside a transaction block'), ok, ok],
  },
  {
    name: 'create_distributed_table_concurrently with a NULL key',
    schema: 'CREATE TABLE t (k int PRIMARY KEY);',
    script: "SELECT create_distributed_table_concurrently('t', NULL);",
    expect: [err('cannot use create_distributed_table_concurrently to create a distributed table with a null shard key, consider using create_distributed_table()')],
  },
  {
    name: 'create_distributed_table_concurrently without a replica identity',
    schema: 'CREATE TABLE t (k int);',
    script: "SELECT create_distributed_table_concurrently('t', 'k');",
    expect: [
      notes(
        'relation t does not have a REPLICA IDENTITY or PRIMARY KEY\nDETAIL:  UPDATE and DELETE commands on the relation will error out during create_distributed_table_concurrently unless there is a REPLICA IDENTITY or PRIMARY KEY. INSERT commands will still work.',
      ),
    ],
  },
  {
    name: 'create_distributed_table_concurrently refuses an FK from a plain table',
    schema: 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id));',
    script: "SELECT create_distributed_table_concurrently('p', 'id');",
    expect: [err('relation p is referenced by a foreign key from c', 'foreign keys from a regular table to a distributed table are not supported.')],
  },
  {
    name: 'create_distributed_table_concurrently refuses an FK to a plain table',
    schema: 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id));',
    script: "SELECT create_distributed_table_concurrently('c', 'id');",
    expect: [err('relation p is referenced by a foreign key from c', 'foreign keys from a distributed table to a regular table are not supported.')],
  },
  // ------------------------------------------------------------ citus local
  {
    name: 'citus_add_local_table_to_metadata with FKs needs cascade',
    schema: 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int, p_id int REFERENCES p (id));',
    script: "SELECT citus_add_local_table_to_metadata('c');\nSELECT citus_add_local_table_to_metadata('c', cascade_via_foreign_keys => true);",
    expect: [
      err(
        'relation public.c is involved in a foreign key relationship with another table',
        undefined,
        'Use cascade_via_foreign_keys option to add all the relations involved in a foreign key relationship with public.c to citus metadata by executing SELECT citus_add_local_table_to_metadata($$public.c$$, cascade_via_foreign_keys=>true)',
      ),
      ok,
    ],
  },
  {
    name: 'citus local table without the coordinator in metadata',
    schema: 'CREATE TABLE t (id int);',
    script: "SELECT citus_add_local_table_to_metadata('t');",
    options: { coordinatorInMetadata: false },
    expect: [err('operation is not allowed when coordinator is not added into metadata', undefined, `Use "SELECT citus_set_coordinator_host('<hostname>', '<port>')" to configure the coordinator hostname and port`)],
  },
  {
    name: 'undistribute_table with an FK needs cascade',
    schema: 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int, p_id int REFERENCES p (id));',
    script: "SELECT create_reference_table('p');\nSELECT undistribute_table('p');\nSELECT undistribute_table('c');",
    expect: [
      notes(AUTO('public.c')),
      err('cannot complete operation because table p is referenced by a foreign key', undefined, 'Use cascade option to undistribute all the relations involved in a foreign key relationship with public.p by executing SELECT undistribute_table($$public.p$$, cascade_via_foreign_keys=>true)'),
      err('cannot complete operation because table c has a foreign key', undefined, 'Use cascade option to undistribute all the relations involved in a foreign key relationship with public.c by executing SELECT undistribute_table($$public.c$$, cascade_via_foreign_keys=>true)'),
    ],
  },
  {
    name: 'undistribute_table of a plain table',
    schema: 'CREATE TABLE t (id int);',
    script: "SELECT undistribute_table('t');",
    expect: [err('cannot undistribute table because the table is not distributed')],
  },
  {
    name: 'alter_distributed_table on a colocated table needs cascade_to_colocated',
    schema: 'CREATE TABLE a (k int);\nCREATE TABLE b (k int);',
    script: "SELECT create_distributed_table('a', 'k');\nSELECT create_distributed_table('b', 'k');\nSELECT alter_distributed_table('a', shard_count := 8);",
    expect: [
      ok,
      ok,
      err('cascade_to_colocated parameter is necessary', 'this table is colocated with some other tables', 'cascade_to_colocated := false will break the current colocation, cascade_to_colocated := true will change the shard count of colocated tables too.'),
    ],
  },
  {
    name: 'mark_tables_colocated is deprecated in 14.0',
    schema: 'CREATE TABLE a (k int);',
    script: "SELECT mark_tables_colocated('a', ARRAY['a'::regclass]);",
    expect: [err('mark_tables_colocated has been deprecated', undefined, 'Use update_distributed_table_colocation instead')],
  },
  // ------------------------------------------------------------ schema-based sharding
  {
    name: 'tables created in a distributed schema are colocated single-shard tables (create_distributed_table on one: already distributed, expected/schema_based_sharding.out)',
    schema: 'CREATE TABLE public.r (id int PRIMARY KEY);',
    script:
      "SELECT create_reference_table('r');\nSET citus.enable_schema_based_sharding = on;\nCREATE SCHEMA tenant1;\nCREATE TABLE tenant1.a (id int PRIMARY KEY, r_id int REFERENCES public.r (id));\nCREATE TABLE tenant1.b (id int, a_id int REFERENCES tenant1.a (id));\nSELECT create_distributed_table('tenant1.a', 'id');",
    expect: [ok, ok, ok, ok, ok, err('table "a" is already distributed')],
  },
  {
    name: 'FK into a distributed schema from another schema',
    schema: '',
    script: "SET citus.enable_schema_based_sharding = on;\nCREATE SCHEMA t1;\nCREATE TABLE t1.a (id int PRIMARY KEY);\nSET citus.enable_schema_based_sharding = off;\nCREATE TABLE public.x (a_id int REFERENCES t1.a (id));",
    expect: [ok, ok, ok, ok, err('cannot create foreign keys to tables in a distributed schema from another schema')],
  },
  {
    name: 'citus_schema_distribute refuses FKs to another schema',
    schema: 'CREATE SCHEMA s;\nCREATE TABLE public.p (id int PRIMARY KEY);\nCREATE TABLE s.c (id int, p_id int REFERENCES public.p (id));',
    script: "SELECT citus_schema_distribute('s');\nSELECT create_reference_table('public.p');\nSELECT citus_schema_distribute('s');",
    expect: [err('foreign keys from distributed schemas can only point to the same distributed schema or reference tables in regular schemas'), notes(AUTO('s.c')), ok],
  },
  {
    name: 'citus_schema_distribute refuses distributed tables',
    schema: 'CREATE SCHEMA s;\nCREATE TABLE s.c (id int);',
    script: "SELECT create_distributed_table('s.c', 'id');\nSELECT citus_schema_distribute('s');",
    expect: [ok, err('distributed schema cannot have distributed tables', undefined, "Undistribute distributed tables before 'citus_schema_distribute'.")],
  },
  // ------------------------------------------------------------ transactions
  {
    name: 'an error aborts the transaction block; ROLLBACK undoes it',
    schema: 'CREATE TABLE a (k int);\nCREATE TABLE b (k json);',
    script: "BEGIN;\nSELECT create_distributed_table('a', 'k');\nSELECT create_distributed_table('b', 'k');\nSELECT 1;\nROLLBACK;\nSELECT create_distributed_table('a', 'k');",
    expect: [ok, ok, NOOPCLASS('json'), err('current transaction is aborted, commands ignored until end of transaction block'), ok, ok],
  },
  ...dataCases(),
  ...versionCases(),
  ...identityCases(),
  ...dropCases(),
  ...fkActionCases(),
  ...shardCountCases(),
  ...autoConvertedCases(),
  ...concurrentlyForeignKeyCases(),
  {
    name: 'TRUNCATE a referenced table needs CASCADE',
    schema: 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (p_id int REFERENCES p (id));',
    script: "SELECT create_reference_table('p');\nTRUNCATE p;\nTRUNCATE p CASCADE;",
    expect: [notes(AUTO('public.c')), err('cannot truncate a table referenced in a foreign key constraint', 'Table "c" references "p".', 'Truncate table "c" at the same time, or use TRUNCATE ... CASCADE.'), notes('truncate cascades to table "c"')],
  },
];

function uniqueness(): Case[] {
  const base = (extra: string) => `CREATE TABLE t (tenant int, id int, email text, during tstzrange${extra});`;
  const dist = "SELECT create_distributed_table('t', 'tenant');";
  const c = (name: string, schema: string, e: Expect | 'ok'): Case => ({ name: `uniqueness: ${name}`, schema, script: dist, expect: [e] });
  return [
    c('PK without the key', base(', PRIMARY KEY (id)'), UNIQ('t')),
    c('PK with the key', base(', PRIMARY KEY (tenant, id)'), ok),
    c('UNIQUE without the key', base(', UNIQUE (email)'), UNIQ('t')),
    c('UNIQUE with the key', base(', UNIQUE (email, tenant)'), ok),
    c('unique index without the key', base('') + '\nCREATE UNIQUE INDEX ON t (email);', UNIQ('t')),
    c('expression unique index lower(email)', base('') + '\nCREATE UNIQUE INDEX ON t (lower(email));', UNIQ('t')),
    c('expression unique index with the key', base('') + '\nCREATE UNIQUE INDEX ON t (tenant, lower(email));', ok),
    c('partial unique index with the key', base('') + '\nCREATE UNIQUE INDEX ON t (tenant, email) WHERE id > 0;', ok),
    c('partial unique index without the key', base('') + '\nCREATE UNIQUE INDEX ON t (email) WHERE tenant > 0;', UNIQ('t')),
    c('EXCLUDE with = on the key', base(', EXCLUDE USING gist (tenant WITH =, during WITH &&)'), ok),
    c('EXCLUDE with && only', base(', EXCLUDE USING gist (during WITH &&)'), UNIQ('t')),
    c('EXCLUDE with && on the key', base(', EXCLUDE USING gist (tenant WITH <>, during WITH &&)'), UNIQ('t')),
    {
      name: 'uniqueness: allow_unsafe_constraints',
      schema: base(', PRIMARY KEY (id)'),
      script: 'SET citus.allow_unsafe_constraints = on;\n' + dist,
      expect: [ok, ok],
    },
    { name: 'uniqueness: reference tables accept any', schema: base(', PRIMARY KEY (id), UNIQUE (email)'), script: "SELECT create_reference_table('t');", expect: [ok] },
    { name: 'uniqueness: single-shard tables accept any', schema: base(', PRIMARY KEY (id)'), script: "SELECT create_distributed_table('t', NULL);", expect: [ok] },
    {
      name: 'uniqueness: ADD CONSTRAINT on a distributed table',
      schema: base(''),
      script: dist + '\nALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY (id);\nALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY (tenant, id);\nALTER TABLE t ADD CONSTRAINT ex EXCLUDE USING gist (during WITH &&);',
      expect: [ok, UNIQ('t'), ok, UNIQ('t')],
    },
    {
      name: 'uniqueness: CREATE UNIQUE INDEX after distribution',
      schema: base(''),
      script: dist + '\nCREATE UNIQUE INDEX ON t (email);\nCREATE UNIQUE INDEX ON t (tenant, email);',
      expect: [ok, err('creating unique indexes on non-partition columns is currently unsupported'), ok],
    },
  ];
}

function alterCases(): Case[] {
  const schema = 'CREATE TABLE t (k int, v text, n int);';
  const dist = "SELECT create_distributed_table('t', 'k');";
  const c = (name: string, stmt: string, e: Expect | 'ok'): Case => ({ name: `ALTER TABLE on a distributed table: ${name}`, schema, script: `${dist}\n${stmt}`, expect: [ok, e] });
  return [
    c('ADD COLUMN', 'ALTER TABLE t ADD COLUMN x int;', ok),
    c('DROP COLUMN (not the key)', 'ALTER TABLE t DROP COLUMN v;', ok),
    c('DROP COLUMN of the key', 'ALTER TABLE t DROP COLUMN k;', PARTCOL),
    c('TYPE of the key', 'ALTER TABLE t ALTER COLUMN k TYPE bigint;', PARTCOL),
    c('TYPE of another column', 'ALTER TABLE t ALTER COLUMN n TYPE bigint;', ok),
    c('DROP NOT NULL on the key', 'ALTER TABLE t ALTER COLUMN k DROP NOT NULL;', PARTCOL),
    c('SET NOT NULL on the key', 'ALTER TABLE t ALTER COLUMN k SET NOT NULL;', ok),
    c('SET DEFAULT on the key', 'ALTER TABLE t ALTER COLUMN k SET DEFAULT 1;', PARTCOL),
    c('SET DEFAULT on another column', "ALTER TABLE t ALTER COLUMN v SET DEFAULT 'x';", ok),
    c('SET STATISTICS', 'ALTER TABLE t ALTER COLUMN v SET STATISTICS 100;', ALTER_UNSUP),
    c('SET STORAGE', 'ALTER TABLE t ALTER COLUMN v SET STORAGE EXTERNAL;', ALTER_UNSUP),
    c('ADD GENERATED AS IDENTITY', 'ALTER TABLE t ALTER COLUMN n ADD GENERATED ALWAYS AS IDENTITY;', ALTER_UNSUP),
    c('SET (fillfactor)', 'ALTER TABLE t SET (fillfactor = 70);', ok),
    c('SET UNLOGGED', 'ALTER TABLE t SET UNLOGGED;', ok),
    c('ENABLE ROW LEVEL SECURITY', 'ALTER TABLE t ENABLE ROW LEVEL SECURITY;', ok),
    c('REPLICA IDENTITY FULL', 'ALTER TABLE t REPLICA IDENTITY FULL;', ok),
    c('ADD CONSTRAINT with another subcommand', 'ALTER TABLE t ADD CONSTRAINT c1 CHECK (n > 0), ADD COLUMN x int;', err('cannot execute ADD CONSTRAINT command with other subcommands', undefined, 'You can issue each subcommand separately')),
    c('ADD CHECK constraint', 'ALTER TABLE t ADD CONSTRAINT c1 CHECK (n > 0);', ok),
    c(
      'ADD COLUMN with an unnamed CHECK',
      'ALTER TABLE t ADD COLUMN x int CHECK (x > 0);',
      err(
        'cannot execute ADD COLUMN command with PRIMARY KEY, UNIQUE, FOREIGN and CHECK constraints',
        ADD_COLUMN_DETAIL,
        'You can issue each command separately such as ALTER TABLE t ADD COLUMN x data_type; ALTER TABLE t ADD CONSTRAINT constraint_name CHECK (check_expression);',
      ),
    ),
    c('ADD COLUMN with a named CHECK', 'ALTER TABLE t ADD COLUMN x int CONSTRAINT x_pos CHECK (x > 0);', ok),
    c('RENAME the key column', 'ALTER TABLE t RENAME COLUMN k TO k2;', ok),
    c('RENAME a constraint', 'ALTER TABLE t RENAME CONSTRAINT c TO d;', err('renaming constraints belonging to distributed tables is currently unsupported')),
  ];
}

// -------------------------------------------------------------- rows the migration changes (NULLs per column)

function dataCases(): Case[] {
  const withNull = 'CREATE TABLE u (k int, v text);\nCOPY u (k, v) FROM stdin;\n1\ta\n\\N\tb\n\\.\n';
  const noNull = "CREATE TABLE u (k int, v text);\nINSERT INTO u VALUES (1, 'a'), (2, 'b');";
  const dist = "SELECT create_distributed_table('u', 'k');";
  const copied = notes(COPY1, COPY2('public.u'));
  const nullKey = (afterFirstRow: boolean) => err('the partition column of table public.u cannot be NULL', undefined, undefined, afterFirstRow ? [COPY1] : undefined);
  const notNull = (c: string, t: string) => err(`column "${c}" of relation "${t}" contains null values`);
  const c = (name: string, schema: string, script: string, expect: Array<Expect | 'ok'>): Case => ({ name: `data: ${name}`, schema, script, expect });
  // orders and lines: lines gets the tenant along lines.order_id -> orders
  const tenants = (lines: string, orderTenant = 'int NOT NULL') =>
    `CREATE TABLE orders (order_id int PRIMARY KEY, tenant ${orderTenant});\nCREATE TABLE lines (line_id int PRIMARY KEY, order_id int REFERENCES orders (order_id));\n` +
    `INSERT INTO orders VALUES (1, 10), (2, ${orderTenant.includes('NOT NULL') ? '20' : 'NULL'});\nINSERT INTO lines VALUES ${lines};`;
  const backfill = 'UPDATE lines SET tenant = o.tenant FROM orders o WHERE lines.order_id = o.order_id AND lines.tenant IS NULL;';
  const procedure = `CREATE PROCEDURE fill_lines(_batch integer)
LANGUAGE plpgsql
AS $fill$
DECLARE
  _n bigint;
BEGIN
  LOOP
    UPDATE lines AS _t SET tenant = _o.tenant
    FROM orders AS _o
    WHERE _t.order_id = _o.order_id
      AND _t.tenant IS NULL
      AND _t.ctid = ANY (ARRAY(SELECT _b.ctid FROM lines AS _b WHERE _b.tenant IS NULL LIMIT _batch));
    GET DIAGNOSTICS _n = ROW_COUNT;
    COMMIT;
    EXIT WHEN _n = 0;
  END LOOP;
END
$fill$;`;
  return [
    c('UPDATE ... SET k = 0 WHERE k IS NULL clears the NULL keys', withNull, `UPDATE u SET k = 0 WHERE k IS NULL;\n${dist}`, [ok, copied]),
    c('DELETE ... WHERE k IS NULL removes the NULL keys', withNull, `DELETE FROM u WHERE k IS NULL;\n${dist}`, [ok, copied]),
    c('DELETE ... WHERE k IS NULL OR ... removes them too', withNull, `DELETE FROM u WHERE k IS NULL OR v = 'zz';\n${dist}`, [ok, copied]),
    c('UPDATE without WHERE to a constant clears them', withNull, `UPDATE u SET k = 0;\n${dist}`, [ok, copied]),
    c('UPDATE ... SET k = coalesce(k, 0) clears them', withNull, `UPDATE u SET k = coalesce(k, 0);\n${dist}`, [ok, copied]),
    c('UPDATE with another WHERE may leave NULLs', withNull, `UPDATE u SET k = 0 WHERE v = 'a';\n${dist}`, [ok, nullKey(true)]),
    c('DELETE with another WHERE may leave NULLs', withNull, `DELETE FROM u WHERE v = 'a' AND k IS NULL;\n${dist}`, [ok, nullKey(true)]),
    c('UPDATE ... SET k = NULL adds NULLs (the updated row goes last)', noNull, `UPDATE u SET k = NULL WHERE v = 'b';\n${dist}`, [ok, nullKey(true)]),
    c('UPDATE ... SET k = NULL on every row', noNull, `UPDATE u SET k = NULL;\n${dist}`, [ok, nullKey(false)]),
    c('a rolled-back UPDATE leaves the NULLs', withNull, `BEGIN;\nUPDATE u SET k = 0 WHERE k IS NULL;\nROLLBACK;\n${dist}`, [ok, ok, ok, nullKey(true)]),
    c(
      'SET NOT NULL over NULLs fails in PostgreSQL, and works once they are filled',
      withNull,
      `ALTER TABLE u ALTER COLUMN k SET NOT NULL;\nUPDATE u SET k = 0 WHERE k IS NULL;\nALTER TABLE u ALTER COLUMN k SET NOT NULL;\n${dist}`,
      [notNull('k', 'u'), ok, ok, copied],
    ),
    c('ADD PRIMARY KEY over NULLs', withNull, 'ALTER TABLE u ADD PRIMARY KEY (k);', [notNull('k', 'u')]),
    c(
      'ADD COLUMN NOT NULL without a default on a non-empty table',
      noNull,
      'ALTER TABLE u ADD COLUMN n int NOT NULL;\nALTER TABLE u ADD COLUMN n int NOT NULL DEFAULT 0;',
      [notNull('n', 'u'), ok],
    ),
    c('SET NOT NULL on an empty table', 'CREATE TABLE u (k int);', 'ALTER TABLE u ALTER COLUMN k SET NOT NULL;', [ok]),
    c(
      'backfill: ADD COLUMN, UPDATE ... FROM the parent, SET NOT NULL',
      tenants('(1, 1), (2, 2), (3, 1)'),
      `ALTER TABLE lines ADD COLUMN tenant int;\nALTER TABLE lines ALTER COLUMN tenant SET NOT NULL;\n${backfill}\nALTER TABLE lines ALTER COLUMN tenant SET NOT NULL;`,
      [ok, notNull('tenant', 'lines'), ok, ok],
    ),
    c(
      'backfill: a row without a parent (NULL FK column) keeps NULL',
      tenants('(1, 1), (2, NULL)'),
      `ALTER TABLE lines ADD COLUMN tenant int;\n${backfill}\nALTER TABLE lines ALTER COLUMN tenant SET NOT NULL;`,
      [ok, ok, notNull('tenant', 'lines')],
    ),
    c(
      'backfill: a parent whose value is NULL leaves NULL',
      tenants('(1, 1), (2, 2)', 'int'),
      `ALTER TABLE lines ADD COLUMN tenant int;\n${backfill}\nALTER TABLE lines ALTER COLUMN tenant SET NOT NULL;`,
      [ok, ok, notNull('tenant', 'lines')],
    ),
    c(
      'backfill in batches by a procedure (CALL)',
      tenants('(1, 1), (2, 2), (3, 1)'),
      `ALTER TABLE lines ADD COLUMN tenant int;\n${procedure}\nCALL fill_lines(2);\nDROP PROCEDURE fill_lines(integer);\nALTER TABLE lines ALTER COLUMN tenant SET NOT NULL;`,
      [ok, ok, ok, ok, ok],
    ),
    c(
      'backfill by a procedure that is never called',
      tenants('(1, 1)'),
      `ALTER TABLE lines ADD COLUMN tenant int;\n${procedure}\nALTER TABLE lines ALTER COLUMN tenant SET NOT NULL;`,
      [ok, ok, notNull('tenant', 'lines')],
    ),
  ];
}

// -------------------------------------------------------------- --citus VERSION

function versionCases(): Case[] {
  const at = (citus: string, name: string, schema: string, script: string, expect: Array<Expect | 'ok'>): Case => ({ name: `Citus ${citus}: ${name}`, schema, script, expect, options: { citus } });
  const concurrently = "SELECT create_distributed_table_concurrently('t', 'k');\nSELECT create_distributed_table_concurrently('t', 'k', colocate_with => 'none');";
  const tenant = "SET citus.enable_schema_based_sharding = on;\nCREATE SCHEMA s;\nCREATE TABLE s.a (id int PRIMARY KEY);\nSELECT create_distributed_table('s.a', 'id');";
  const unsafe = "SET citus.allow_unsafe_constraints = on;\nSELECT create_distributed_table('t', 'tenant');";
  const unnamed = "SELECT create_distributed_table('t', 'k');\nALTER TABLE t ADD PRIMARY KEY (k);\nALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY (k);";
  const addRef = "SELECT create_reference_table('r');\nSELECT create_distributed_table('t', 'k');\nALTER TABLE t ADD COLUMN r_id int REFERENCES r (id) ON DELETE CASCADE;";
  const excl = "SELECT create_distributed_table('m', 'k');\nALTER TABLE m ADD CONSTRAINT m_ex EXCLUDE USING btree (k WITH =, d WITH =);";
  const exclCreate = 'CREATE TABLE m (k int, d date, EXCLUDE USING btree (k WITH =, d WITH =)) PARTITION BY RANGE (d);';
  // b's columns in the other order: b.v has a.k's attribute number
  const keyUpd = "SELECT create_distributed_table('a', 'k');\nSELECT create_distributed_table('b', 'k', colocate_with => 'a');\nUPDATE a SET k = b.v FROM b WHERE a.k = b.k;\nUPDATE a SET k = b.k FROM b WHERE a.k = b.k;";
  const keyUpdSchema = 'CREATE TABLE a (k int, v int);\nCREATE TABLE b (v int, k int);';
  const MODKEY = err('modifying the partition value of rows is not allowed');
  return [
    at('11.0', 'create_distributed_table_concurrently does not exist yet', 'CREATE TABLE t (k int PRIMARY KEY);', concurrently, [
      NO_FUNCTION('create_distributed_table_concurrently(unknown, unknown)'),
      NO_FUNCTION('create_distributed_table_concurrently(unknown, unknown, colocate_with => unknown)'),
    ]),
    at('11.1', 'create_distributed_table_concurrently exists', 'CREATE TABLE t (k int PRIMARY KEY);', concurrently, [ok, err('table "t" is already distributed')]),
    at('11.3', 'citus_schema_distribute does not exist yet', 'CREATE SCHEMA s;', "SELECT citus_schema_distribute('s');\nSELECT citus_schema_undistribute('s');", [
      NO_FUNCTION('citus_schema_distribute(unknown)'),
      NO_FUNCTION('citus_schema_undistribute(unknown)'),
    ]),
    at('12.0', 'citus_schema_distribute exists', 'CREATE SCHEMA s;', "SELECT citus_schema_distribute('s');\nSELECT citus_schema_undistribute('s');", [ok, ok]),
    at('11.3', 'a NULL distribution column is a silent no-op (no single-shard tables)', 'CREATE TABLE a (k int);', "SELECT create_distributed_table('a', NULL);\nSELECT create_reference_table('a');", [ok, ok]),
    at('12.0', 'a NULL distribution column makes a single-shard table', 'CREATE TABLE a (k int);', "SELECT create_distributed_table('a', NULL);\nSELECT create_reference_table('a');", [ok, err('table "a" is already distributed')]),
    at('11.3', 'create_distributed_table_concurrently with a NULL column is a no-op', 'CREATE TABLE a (k int PRIMARY KEY);', "SELECT create_distributed_table_concurrently('a', NULL);", [ok]),
    at('11.3', 'no schema-based sharding: tables in the schema stay plain', '', tenant, [ok, ok, ok, ok]),
    at('12.0', 'schema-based sharding', '', tenant, [ok, ok, ok, err('table "a" is already distributed')]),
    at('11.0.6', 'citus.allow_unsafe_constraints does not exist yet', 'CREATE TABLE t (tenant int, id int PRIMARY KEY);', unsafe, [ok, UNIQ('t')]),
    at('11.0.7', 'citus.allow_unsafe_constraints exists', 'CREATE TABLE t (tenant int, id int PRIMARY KEY);', unsafe, [ok, ok]),
    at('11.1', 'ADD CONSTRAINT needs a name', 'CREATE TABLE t (k int);', unnamed, [ok, err('cannot create constraint without a name on a distributed table'), ok]),
    at('11.1', 'ADD CONSTRAINT needs a name on a reference table too', 'CREATE TABLE r (k int);', "SELECT create_reference_table('r');\nALTER TABLE r ADD UNIQUE (k);", [ok, err('cannot create constraint without a name on a distributed table')]),
    at('11.2', 'Citus names unnamed constraints', 'CREATE TABLE t (k int);', "SELECT create_distributed_table('t', 'k');\nALTER TABLE t ADD PRIMARY KEY (k);", [ok, ok]),
    at('11.1', 'ADD COLUMN with an unnamed REFERENCES', 'CREATE TABLE r (id int PRIMARY KEY);\nCREATE TABLE t (k int);', addRef, [
      ok,
      ok,
      err(
        'cannot execute ADD COLUMN command with PRIMARY KEY, UNIQUE, FOREIGN and CHECK constraints',
        ADD_COLUMN_DETAIL,
        'You can issue each command separately such as ALTER TABLE t ADD COLUMN r_id data_type; ALTER TABLE t ADD CONSTRAINT constraint_name FOREIGN KEY (r_id) REFERENCES r(id) ON DELETE CASCADE;',
      ),
    ]),
    at('14.0', 'ADD COLUMN with an unnamed REFERENCES', 'CREATE TABLE r (id int PRIMARY KEY);\nCREATE TABLE t (k int);', addRef, [ok, ok, ok]),
    at('12.1', 'EXCLUDE on a distributed partitioned table (PostgreSQL 16)', 'CREATE TABLE m (k int, d date) PARTITION BY RANGE (d);', excl, [ok, err('exclusion constraints are not supported on partitioned tables')]),
    at('13.0', 'EXCLUDE on a distributed partitioned table', 'CREATE TABLE m (k int, d date) PARTITION BY RANGE (d);', excl, [ok, ok]),
    at('12.1', 'CREATE TABLE ... PARTITION BY with EXCLUDE', '', exclCreate, [err('exclusion constraints are not supported on partitioned tables')]),
    at('13.0', 'CREATE TABLE ... PARTITION BY with EXCLUDE', '', exclCreate, [ok]),
    at('13.2', 'SET key = other.col at the key attribute number slips through (before #8214)', keyUpdSchema, keyUpd, [ok, ok, ok, MODKEY]),
    at('13.2.1', 'SET key = other.col is refused unless WHERE equates them (#8214)', keyUpdSchema, keyUpd, [ok, ok, MODKEY, ok]),
    at('12.1.10', 'the #8214 fix is in 12.1.10', keyUpdSchema, keyUpd, [ok, ok, MODKEY, ok]),
    at('14.0', 'SET key = other.col is refused unless WHERE equates them (#8214)', keyUpdSchema, keyUpd, [ok, ok, MODKEY, ok]),
  ];
}

// -------------------------------------------------------------- identity and serial, per version (citus-rules.md §7)

function identityCases(): Case[] {
  const schema = (type: string) => `CREATE TABLE t (id ${type} GENERATED ALWAYS AS IDENTITY, k int);`;
  const at = (citus: string, name: string, s: string, script: string, expect: Array<Expect | 'ok'>): Case => ({ name: `identity, Citus ${citus}: ${name}`, schema: s, script, expect, options: { citus } });
  const dist = "SELECT create_distributed_table('t', 'k');";
  const NO_IDENTITY = err('cannot distribute relation: t', 'Distributed relations must not use GENERATED ... AS IDENTITY.');
  const BIGINT_ONLY = err('cannot complete operation on public.t with smallint/int identity column', undefined, 'Use bigint identity column instead.');
  const CONVERT = err('cannot complete operation on a table with identity column');
  const rebuilt = notes('creating a new table for public.t', 'moving the data of public.t', 'dropping the old public.t', 'renaming the new table to public.t');
  const undist = `${dist}\nSELECT undistribute_table('t');`;
  const out: Case[] = [
    at('11.1', 'int identity cannot be distributed', schema('int'), dist, [NO_IDENTITY]),
    at('11.1', 'bigint identity cannot be distributed', schema('bigint'), dist, [NO_IDENTITY]),
    at('11.1', 'nor made a reference table', schema('bigint'), "SELECT create_reference_table('t');", [NO_IDENTITY]),
    at('11.1', 'nor added to metadata', schema('bigint'), "SELECT citus_add_local_table_to_metadata('t');", [
      err('cannot add public.t to citus metadata since table has identity column', undefined, 'Drop the identity columns and re-try the command'),
    ]),
    at('11.2.0', 'int identity is distributed, and undistributed', schema('int'), undist, [ok, rebuilt]),
    at('11.3', 'int identity refused', schema('int'), dist, [BIGINT_ONLY]),
    at('11.3', 'smallint identity refused for a reference table too', schema('smallint'), "SELECT create_reference_table('t');", [BIGINT_ONLY]),
    at('11.3', 'bigint identity distributed, undistribute refused', schema('bigint'), undist, [ok, CONVERT]),
    at('11.2.1', 'int identity refused', schema('int'), dist, [BIGINT_ONLY]),
  ];
  for (const v of ['12.1', '13.2', '14.0']) {
    for (const type of ['smallint', 'int', 'bigint']) out.push(at(v, `${type} identity distributed, undistribute refused`, schema(type), undist, [ok, CONVERT]));
  }
  for (const v of ['11.3', '12.1', '13.2', '14.0']) {
    out.push({
      name: `serial, Citus ${v}: a serial column is distributed; ADD COLUMN serial refused with metadata sync`,
      schema: 'CREATE TABLE t (id serial, k int);',
      script: `${dist}\nALTER TABLE t ADD COLUMN n bigserial;\nALTER TABLE t ADD COLUMN n bigint GENERATED BY DEFAULT AS IDENTITY;`,
      options: { citus: v },
      expect: [
        ok,
        err('cannot execute ADD COLUMN commands involving serial pseudotypes when metadata is synchronized to workers'),
        err('cannot execute ADD COLUMN commands involving identity columns when metadata is synchronized to workers'),
      ],
    });
  }
  return out;
}

// -------------------------------------------------------------- DROP and psql's ON_ERROR_STOP

function dropCases(): Case[] {
  const schema = 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int, a_id int REFERENCES a (id));\nCREATE TABLE c (id int);';
  const withView = `${schema}\nCREATE VIEW v AS SELECT id FROM a;`;
  const HINT = 'Use DROP ... CASCADE to drop the dependent objects too.';
  return [
    {
      name: 'DROP TABLE a referenced table needs CASCADE',
      schema,
      script: 'DROP TABLE a;\nDROP TABLE a CASCADE;\nSELECT create_distributed_table(\'b\', \'id\');',
      expect: [err('cannot drop table a because other objects depend on it', 'constraint b_a_id_fkey on table b depends on table a', HINT), notes('drop cascades to constraint b_a_id_fkey on table b'), ok],
    },
    { name: 'DROP TABLE of both ends of an FK', schema, script: 'DROP TABLE a, b;', expect: [ok] },
    { name: 'DROP TABLE of the referencing table', schema, script: 'DROP TABLE b;\nDROP TABLE a;', expect: [ok, ok] },
    {
      name: 'DROP TABLE of several tables with a dependent',
      schema,
      script: 'DROP TABLE a, c;',
      expect: [err('cannot drop desired object(s) because other objects depend on them', 'constraint b_a_id_fkey on table b depends on table a', HINT)],
    },
    {
      name: 'DROP TABLE with an FK and a view depending on it',
      schema: withView,
      script: 'DROP TABLE a;\nDROP TABLE a CASCADE;\nSELECT create_distributed_table(\'b\', \'id\');',
      expect: [
        err('cannot drop table a because other objects depend on it', 'constraint b_a_id_fkey on table b depends on table a\nview v depends on table a', HINT),
        notes('drop cascades to 2 other objects\nDETAIL:  drop cascades to constraint b_a_id_fkey on table b\ndrop cascades to view v'),
        ok,
      ],
    },
    {
      name: 'DROP TABLE ... CASCADE of a reference table: the auto-converted table goes back to plain',
      schema,
      script: "SELECT create_reference_table('a');\nDROP TABLE a CASCADE;\nSELECT undistribute_table('b');",
      // utility_hook.c UndistributeDisconnectedCitusLocalTables; expected/multi_foreign_key.out
      expect: [
        notes(AUTO('public.b')),
        notes('drop cascades to constraint b_a_id_fkey on table b', 'removing table public.b from metadata as it is not connected to any reference tables via foreign keys'),
        err('cannot undistribute table because the table is not distributed'),
      ],
    },
    {
      name: 'psql ON_ERROR_STOP: nothing runs after the first error',
      schema: 'CREATE TABLE t (k json, id int);',
      script: "\\set ON_ERROR_STOP on\nSELECT create_distributed_table('t', 'k');\nSELECT create_distributed_table('t', 'id');",
      expect: [NOOPCLASS('json')],
    },
    {
      name: 'psql ON_ERROR_STOP off (the default): later statements run',
      schema: 'CREATE TABLE t (k json, id int);',
      script: "\\set ON_ERROR_STOP on\n\\set ON_ERROR_STOP off\nSELECT create_distributed_table('t', 'k');\nSELECT create_distributed_table('t', 'id');",
      expect: [NOOPCLASS('json'), ok],
    },
    {
      name: 'psql ON_ERROR_STOP set after the failing statement',
      schema: 'CREATE TABLE t (k json, id int);',
      script: "SELECT create_distributed_table('t', 'k');\n\\set ON_ERROR_STOP 1\nSELECT create_distributed_table('t', 'id');\nSELECT create_distributed_table('t', 'k');\nSELECT 1;",
      expect: [NOOPCLASS('json'), ok, err('table "t" is already distributed')],
    },
  ];
}

// -------------------------------------------------------------- FK actions per table-kind pair (citus-rules.md §6)

function fkActionCases(): Case[] {
  const schema = 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int, p_id int, note text);';
  type Rule = (on: 'DELETE' | 'UPDATE', action: string) => Expect | 'ok';
  const keyed: Rule = (on, action) => (on === 'DELETE' ? (['SET NULL', 'SET DEFAULT'].includes(action) ? E5 : ok) : ['SET NULL', 'SET DEFAULT', 'CASCADE'].includes(action) ? E6 : ok);
  const any: Rule = () => ok;
  const restrictOnly = (notice?: string): Rule => (_on, action) =>
    action === 'RESTRICT' ? (notice ? notes(notice) : ok) : notice ? { ...E7('p'), notices: [notice] } : E7('p');
  const pairs: Array<[string, string[], Rule]> = [
    ['distributed -> reference, FK on the distribution column', ["SELECT create_reference_table('p');", "SELECT create_distributed_table('c', 'p_id');"], keyed],
    ['distributed -> reference, FK on another column', ["SELECT create_reference_table('p');", "SELECT create_distributed_table('c', 'id');"], any],
    ['distributed -> distributed colocated, on the key', ["SELECT create_distributed_table('p', 'id');", "SELECT create_distributed_table('c', 'p_id');"], keyed],
    ['reference -> plain local', ["SELECT create_reference_table('c');"], restrictOnly(AUTO('public.p'))],
    ['reference -> citus local', ["SELECT citus_add_local_table_to_metadata('p');", "SELECT create_reference_table('c');"], restrictOnly()],
    ['citus local -> reference', ["SELECT create_reference_table('p');", "SELECT citus_add_local_table_to_metadata('c');"], any],
    ['reference -> reference', ["SELECT create_reference_table('p');", "SELECT create_reference_table('c');"], any],
    ['single-shard -> reference', ["SELECT create_reference_table('p');", "SELECT create_distributed_table('c', NULL);"], any],
    ['single-shard -> single-shard', ["SELECT create_distributed_table('p', NULL);", "SELECT create_distributed_table('c', NULL);"], any],
  ];
  const out: Case[] = [];
  for (const [pair, setup, rule] of pairs) {
    for (const on of ['DELETE', 'UPDATE'] as const) {
      for (const action of ['CASCADE', 'SET NULL', 'SET DEFAULT', 'RESTRICT']) {
        out.push({
          name: `FK action: ${pair}, ON ${on} ${action}`,
          schema,
          script: [...setup, `ALTER TABLE c ADD CONSTRAINT c_p_fk FOREIGN KEY (p_id) REFERENCES p (id) ON ${on} ${action};`].join('\n'),
          expect: [...setup.map(() => ok), rule(on, action)],
        });
      }
    }
  }
  // E8: SET DEFAULT on a column whose default is nextval(), whatever the kinds
  const serial = 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int, p_id serial);';
  for (const [pair, setup] of [
    ['reference -> reference', ["SELECT create_reference_table('p');", "SELECT create_reference_table('c');"]],
    ['citus local -> reference', ["SELECT create_reference_table('p');", "SELECT citus_add_local_table_to_metadata('c');"]],
  ] as const) {
    for (const on of ['DELETE', 'UPDATE']) {
      out.push({
        name: `FK action: ${pair}, ON ${on} SET DEFAULT on a serial column: E8`,
        schema: serial,
        script: [...setup, `ALTER TABLE c ADD CONSTRAINT c_p_fk FOREIGN KEY (p_id) REFERENCES p (id) ON ${on} SET DEFAULT;`].join('\n'),
        expect: [...setup.map(() => ok), E8],
      });
    }
  }
  return out;
}

// -------------------------------------------------------------- citus.shard_count

function shardCountCases(): Case[] {
  const schema = 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int, p_id int REFERENCES p (id));';
  const c = (name: string, script: string, expect: Array<Expect | 'ok'>): Case => ({ name: `citus.shard_count: ${name}`, schema, script, expect });
  return [
    c('both tables made with 8 shards are colocated', "SET citus.shard_count = 8;\nSELECT create_distributed_table('p', 'id');\nSELECT create_distributed_table('c', 'p_id');", [ok, ok, ok]),
    c('8 shards then the default 32: not colocated, the FK fails', "SET citus.shard_count TO 8;\nSELECT create_distributed_table('p', 'id');\nRESET citus.shard_count;\nSELECT create_distributed_table('c', 'p_id');", [ok, ok, ok, E2]),
    c('explicit shard_count => 8 matches the 8-shard group', "SET citus.shard_count = 8;\nSELECT create_distributed_table('p', 'id');\nRESET citus.shard_count;\nSELECT create_distributed_table('c', 'p_id', shard_count => 8);", [ok, ok, ok, ok]),
    c('colocate_with takes the source table shard count', "SELECT create_distributed_table('p', 'id');\nSET citus.shard_count = 8;\nSELECT create_distributed_table('c', 'p_id', colocate_with => 'p');", [ok, ok, ok]),
    c('SET LOCAL lasts until the end of the block', "BEGIN;\nSET LOCAL citus.shard_count = 8;\nSELECT create_distributed_table('p', 'id');\nCOMMIT;\nSELECT create_distributed_table('c', 'p_id');", [ok, ok, ok, ok, E2]),
    c(
      'out of range and invalid values',
      "SET citus.shard_count = 0;\nSET citus.shard_count = 64001;\nSET citus.shard_count = 'many';\nSET citus.shard_replication_factor = 0;",
      [
        err('0 is outside the valid range for parameter "citus.shard_count" (1 .. 64000)'),
        err('64001 is outside the valid range for parameter "citus.shard_count" (1 .. 64000)'),
        err('invalid value for parameter "citus.shard_count": "many"'),
        err('0 is outside the valid range for parameter "citus.shard_replication_factor" (1 .. 100)'),
      ],
    ),
  ];
}

// -------------------------------------------------------------- auto-converted citus local tables (citus-rules.md §1, §2.1, §2.3, §7)

/**
 * The Wide World Importers tables: a plain table referencing the table made a
 * reference table, and a plain table with an identity column referencing that one.
 * create_reference_table drops the FKs with plain tables and re-creates them
 * (create_distributed_table.c CreateCitusTable); each re-created FK converts the
 * plain table and everything FK-connected to it (table.c
 * ConvertPostgresLocalTablesToCitusLocalTables, citus_add_local_table_to_metadata.c
 * CreateCitusLocalTable, cascade_table_operation_for_connected_relations.c), one
 * NOTICE per CreateCitusLocalTable call. A dropped constraint makes Citus
 * undistribute the auto-converted tables no longer FK-connected to a reference
 * table (utility_hook.c UndistributeDisconnectedCitusLocalTables), which refuses
 * identity columns (alter_table.c ConvertTable -> ErrorIfTableHasIdentityColumn).
 */
function autoConvertedCases(): Case[] {
  const wwi = (identity = true) =>
    'CREATE TABLE device_types (device_type_id integer PRIMARY KEY, name text NOT NULL);\n' +
    'CREATE TABLE devices (device_id integer PRIMARY KEY, device_type_id integer NOT NULL REFERENCES device_types (device_type_id), name text NOT NULL);\n' +
    `CREATE TABLE events (event_id bigint ${identity ? 'GENERATED ALWAYS AS IDENTITY ' : ''}PRIMARY KEY, device_id integer NOT NULL REFERENCES devices (device_id), payload jsonb);`;
  const REF = "SELECT create_reference_table('device_types');";
  const DROP_FK = 'ALTER TABLE events DROP CONSTRAINT events_device_id_fkey;';
  const CONVERTED = notes(AUTO('public.devices'), AUTO('public.devices'), AUTO('public.events'));
  const REMOVING = (q: string) => `removing table ${q} from metadata as it is not connected to any reference tables via foreign keys`;
  const IDENTITY = err('cannot complete operation on a table with identity column');
  const REBUILT = (q: string) => [`creating a new table for ${q}`, `moving the data of ${q}`, `dropping the old ${q}`, `renaming the new table to ${q}`];
  const c = (name: string, schema: string, script: string[], expect: Array<Expect | 'ok'>, options?: SimulateOptions): Case => ({
    name: `auto-converted citus local tables: ${name}`,
    schema,
    script: script.join('\n'),
    expect,
    ...(options ? { options } : {}),
  });
  return [
    c('create_reference_table converts the whole FK-connected set of plain tables (create_distributed_table.c CreateCitusTable, CreateCitusLocalTable cascade)', wwi(), [
      REF,
      "SELECT undistribute_table('events');",
    ], [CONVERTED, err('cannot complete operation because table events has a foreign key', undefined, 'Use cascade option to undistribute all the relations involved in a foreign key relationship with public.events by executing SELECT undistribute_table($$public.events$$, cascade_via_foreign_keys=>true)')]),
    c('two plain tables referencing the new reference table are converted one re-created FK at a time (§1)', 'CREATE TABLE r (id int PRIMARY KEY);\nCREATE TABLE b (id int, r_id int REFERENCES r (id));\nCREATE TABLE a (id int, r_id int REFERENCES r (id));', [
      "SELECT create_reference_table('r');",
    ], [notes(AUTO('public.b'), AUTO('public.a'))]),
    c('CREATE TABLE referencing a reference table and a plain table converts both (table.c PostprocessCreateTableStmtForeignKeys)', 'CREATE TABLE r (id int PRIMARY KEY);\nCREATE TABLE p (id int PRIMARY KEY);', [
      "SELECT create_reference_table('r');",
      'CREATE TABLE c (id int, r_id int REFERENCES r (id), p_id int REFERENCES p (id));',
      "SELECT undistribute_table('p');",
    ], [ok, notes(AUTO('public.c'), AUTO('public.c'), AUTO('public.p')), err('cannot complete operation because table p is referenced by a foreign key', undefined, 'Use cascade option to undistribute all the relations involved in a foreign key relationship with public.p by executing SELECT undistribute_table($$public.p$$, cascade_via_foreign_keys=>true)')]),
    c('dropping the last FK to the reference table undistributes the table, which fails on its identity column (utility_hook.c UndistributeDisconnectedCitusLocalTables, §2.3)', wwi(), [
      REF,
      DROP_FK,
      'ALTER TABLE events ADD CONSTRAINT events_device_id_fkey FOREIGN KEY (device_id) REFERENCES devices (device_id);',
    ], [CONVERTED, { ...IDENTITY, notices: [REMOVING('public.events')] }, err('constraint "events_device_id_fkey" for relation "events" already exists')]),
    c('dropping devices -> device_types: devices is undistributed with cascade, FK-connected events too, with their progress NOTICEs, and events fails on its identity column (alter_table.c ConvertTableInternal, CascadeOperationForFkeyConnectedRelations)', wwi(), [
      REF,
      'ALTER TABLE devices DROP CONSTRAINT devices_device_type_id_fkey;',
    ], [CONVERTED, { ...IDENTITY, notices: [REMOVING('public.devices'), ...REBUILT('public.devices')] }]),
    c('the same without an identity column: both go back to plain tables', wwi(false), [
      REF,
      'ALTER TABLE devices DROP CONSTRAINT devices_device_type_id_fkey;',
      "SELECT undistribute_table('devices');",
    ], [CONVERTED, notes(REMOVING('public.devices'), ...REBUILT('public.devices'), ...REBUILT('public.events')), err('cannot undistribute table because the table is not distributed')]),
    c('undistribute_table with cascade_via_foreign_keys: each FK-connected table in turn, events refused (§2.3)', wwi(), [
      REF,
      "SELECT undistribute_table('device_types', cascade_via_foreign_keys => true);",
    ], [CONVERTED, { ...IDENTITY, notices: [...REBUILT('public.device_types'), ...REBUILT('public.devices')] }]),
    c('without an identity column the disconnected table goes back to a plain table (UndistributeTable with cascade_via_foreign_keys)', wwi(false), [
      REF,
      DROP_FK,
      "SELECT undistribute_table('events');",
      "SELECT create_distributed_table('events', 'event_id');",
    ], [CONVERTED, notes(REMOVING('public.events')), err('cannot undistribute table because the table is not distributed'), ok]),
    c('Citus 11.2.0 undistributes an identity column (the check came in 11.2.1, §7)', wwi(), [REF, DROP_FK], [CONVERTED, notes(REMOVING('public.events'))], { citus: '11.2.0' }),
    c('DROP TABLE of the reference table: the cascade reaches the identity table and fails, the DROP with it (citus_drop_trigger -> notify_constraint_dropped, CascadeOperationForFkeyConnectedRelations)', wwi(), [
      REF,
      'DROP TABLE device_types CASCADE;',
      "SELECT create_distributed_table('device_types', 'device_type_id');",
    ], [CONVERTED, { ...IDENTITY, notices: ['drop cascades to constraint devices_device_type_id_fkey on table devices', REMOVING('public.devices'), ...REBUILT('public.devices')] }, err('table "device_types" is already distributed')]),
    c('any dropped constraint makes Citus look: the table left disconnected while the setting was off is undistributed later (utility_hook.c ShouldCheckUndistributeCitusLocalTables)', wwi(), [
      REF,
      'SET citus.enable_local_reference_table_foreign_keys = off;',
      DROP_FK,
      'RESET citus.enable_local_reference_table_foreign_keys;',
      'ALTER TABLE events DROP CONSTRAINT events_pkey;',
    ], [CONVERTED, ok, ok, ok, { ...IDENTITY, notices: [REMOVING('public.events')] }]),
    c('create_distributed_table on an auto-converted table undistributes it first: identity refused (create_distributed_table.c DropFKeysAndUndistributeTable)', wwi(), [
      REF,
      "SELECT create_distributed_table('events', 'device_id');",
    ], [CONVERTED, IDENTITY]),
    c('create_distributed_table on the referenced auto-converted table: the re-created FK from the citus local table is E4 (§6)', wwi(), [
      REF,
      "SELECT create_distributed_table('devices', 'device_id');",
    ], [CONVERTED, E4]),
    c('citus_add_local_table_to_metadata makes them the user\'s: no undistribution (foreign_key_relationship.c ShouldUndistributeCitusLocalTable), and create_distributed_table still refuses the identity column', wwi(), [
      REF,
      "SELECT citus_add_local_table_to_metadata('events');",
      DROP_FK,
      "SELECT create_distributed_table('events', 'device_id');",
    ], [CONVERTED, ok, ok, IDENTITY]),
    c('with citus.enable_local_reference_table_foreign_keys off (SET ... RESET around create_reference_table) nothing is converted and every step is ok (table.c ShouldEnableLocalReferenceForeignKeys, §1)', wwi(), [
      'SET citus.enable_local_reference_table_foreign_keys = off;',
      REF,
      'RESET citus.enable_local_reference_table_foreign_keys;',
      DROP_FK,
      'ALTER TABLE events DROP CONSTRAINT events_pkey;',
      'ALTER TABLE events ADD PRIMARY KEY (device_id, event_id);',
      "SELECT create_distributed_table('devices', 'device_id');",
      "SELECT create_distributed_table('events', 'device_id', colocate_with => 'devices');",
      'ALTER TABLE events ADD CONSTRAINT events_device_id_fkey FOREIGN KEY (device_id) REFERENCES devices (device_id);',
    ], [ok, ok, ok, ok, ok, ok, ok, ok, ok]),
    c('SET LOCAL in a transaction block keeps the tables plain too (§1)', wwi(), [
      'BEGIN;',
      'SET LOCAL citus.enable_local_reference_table_foreign_keys = off;',
      REF,
      'COMMIT;',
      DROP_FK,
    ], [ok, ok, ok, ok, ok]),
    c('coordinator not in the metadata: nothing is converted, nothing undistributed (table.c ShouldEnableLocalReferenceForeignKeys)', wwi(), [REF, DROP_FK], [ok, ok], { coordinatorInMetadata: false }),
  ];
}

// -------------------------------------------------------------- create_distributed_table_concurrently and FKs (citus-rules.md §2.2)

/**
 * create_distributed_table.c CreateDistributedTableConcurrently: the FK checks
 * of EnsureForeignKeysForDistributedTableConcurrently, then, for a plain table,
 * `SELECT citus_add_local_table_to_metadata('<t>')` on a connection of its own
 * (SendAddLocalTableToMetadataCommandOutsideTransaction), without
 * cascade_via_foreign_keys: CreateCitusLocalTable refuses a table with FKs to
 * or from other tables (self-references are fine) and needs the coordinator in
 * the metadata. That first phase commits on its own: the table stays a citus
 * local table when the split fails.
 */
function concurrentlyForeignKeyCases(): Case[] {
  const INVOLVED = (q: string) =>
    err(
      `relation ${q} is involved in a foreign key relationship with another table`,
      undefined,
      `Use cascade_via_foreign_keys option to add all the relations involved in a foreign key relationship with ${q} to citus metadata by executing SELECT citus_add_local_table_to_metadata($$${q}$$, cascade_via_foreign_keys=>true)`,
    );
  const NO_REPLICA_IDENTITY = (t: string) =>
    `relation ${t} does not have a REPLICA IDENTITY or PRIMARY KEY\nDETAIL:  UPDATE and DELETE commands on the relation will error out during create_distributed_table_concurrently unless there is a REPLICA IDENTITY or PRIMARY KEY. INSERT commands will still work.`;
  const refAndT = 'CREATE TABLE r (id int PRIMARY KEY);\nCREATE TABLE t (id int PRIMARY KEY, r_id int REFERENCES r (id));';
  const c = (name: string, schema: string, script: string[], expect: Array<Expect | 'ok'>, options?: SimulateOptions): Case => ({
    name: `create_distributed_table_concurrently: ${name}`,
    schema,
    script: script.join('\n'),
    expect,
    ...(options ? { options } : {}),
  });
  return [
    c('a plain table with an FK to a reference table (made with the setting off) is refused by citus_add_local_table_to_metadata (CreateCitusLocalTable)', refAndT, [
      'SET citus.enable_local_reference_table_foreign_keys = off;',
      "SELECT create_reference_table('r');",
      'RESET citus.enable_local_reference_table_foreign_keys;',
      "SELECT create_distributed_table_concurrently('t', 'id');",
      "SELECT create_distributed_table('t', 'id');",
    ], [ok, ok, ok, INVOLVED('public.t'), ok]),
    c('a plain table with an FK to a distributed table (half enforced, §6) is refused the same way (CreateCitusLocalTable)', 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id));', [
      "SELECT create_distributed_table('p', 'id');",
      "SELECT create_distributed_table_concurrently('c', 'p_id');",
    ], [ok, INVOLVED('public.c')]),
    c('append or range distribution is refused first (CreateDistributedTableConcurrently, expected/create_distributed_table_concurrently.out)', 'CREATE TABLE t (key int);\nINSERT INTO t VALUES (1);', [
      "SELECT create_distributed_table_concurrently('t', 'key', 'append');",
      "SELECT create_distributed_table_concurrently('t', 'key', 'range');",
    ], [err('only hash-distributed tables can be distributed without blocking writes'), err('only hash-distributed tables can be distributed without blocking writes')]),
    c('an FK to the table is refused before, by EnsureForeignKeysForDistributedTableConcurrently', refAndT, [
      "SELECT create_distributed_table_concurrently('r', 'id');",
    ], [err('relation r is referenced by a foreign key from t', 'foreign keys from a regular table to a distributed table are not supported.')]),
    c('the table auto-converted by its FK to a reference table is a citus local table already: split, FK kept (expected/create_distributed_table_concurrently.out dist_table4)', 'CREATE TABLE ref_table2 (id int PRIMARY KEY);', [
      "SELECT create_reference_table('ref_table2');",
      'CREATE TABLE dist_table4 (id int REFERENCES ref_table2 (id));',
      "SELECT create_distributed_table_concurrently('dist_table4', 'id');",
    ], [ok, notes(AUTO('public.dist_table4')), notes(NO_REPLICA_IDENTITY('dist_table4'))]),
    c("a citus local table referencing the user's citus local table: E2 after the split starts (expected/create_distributed_table_concurrently.out dist_table5)", 'CREATE TABLE citus_local_table2 (id int PRIMARY KEY);', [
      "SELECT citus_add_local_table_to_metadata('citus_local_table2');",
      'CREATE TABLE dist_table5 (id int REFERENCES citus_local_table2 (id));',
      "SELECT create_distributed_table_concurrently('dist_table5', 'id');",
    ], [ok, ok, { ...E2, notices: [NO_REPLICA_IDENTITY('dist_table5')] }]),
    c('a self-referencing FK with the key at the same position is fine (foreign_constraint.c TableHasExternalForeignKeys leaves self-references out)', 'CREATE TABLE t (tenant int, id int, parent int, PRIMARY KEY (tenant, id), FOREIGN KEY (tenant, parent) REFERENCES t (tenant, id));', [
      "SELECT create_distributed_table_concurrently('t', 'tenant');",
    ], [ok]),
    c('a self-referencing FK without the key: E3, and the table stays a citus local table (the first phase is committed, §2.2)', 'CREATE TABLE t (tenant int, id int PRIMARY KEY, parent int REFERENCES t (id));', [
      "SELECT create_distributed_table_concurrently('t', 'id');",
      "SELECT undistribute_table('t');",
    ], [E3, notes('creating a new table for public.t', 'moving the data of public.t', 'dropping the old public.t', 'renaming the new table to public.t')]),
    c('the coordinator not in the metadata: citus_add_local_table_to_metadata refuses (ErrorIfCoordinatorNotAddedAsWorkerNode, §1)', 'CREATE TABLE t (id int PRIMARY KEY);', [
      "SELECT create_distributed_table_concurrently('t', 'id');",
    ], [err('operation is not allowed when coordinator is not added into metadata', undefined, `Use "SELECT citus_set_coordinator_host('<hostname>', '<port>')" to configure the coordinator hostname and port`)], { coordinatorInMetadata: false }),
  ];
}
