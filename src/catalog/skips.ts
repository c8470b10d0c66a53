/**
 * Why a statement leaves the catalog as it is: the statement kinds that have
 * no bearing on distribution, each with the reason recorded when one is read,
 * and the words the skip reasons use for objects.
 */

/** The reason recorded for a statement the builder does not know; every other skip states why it has no bearing. */
export const NOT_UNDERSTOOD = 'not understood by shardwise';

/** Statement kinds that have no bearing on distribution, with why. */
export const IRRELEVANT: Record<string, string> = {
  GrantStmt: 'privileges do not affect distribution',
  GrantRoleStmt: 'roles do not affect distribution',
  CreateRoleStmt: 'roles do not affect distribution',
  AlterRoleStmt: 'roles do not affect distribution',
  AlterRoleSetStmt: 'roles do not affect distribution',
  AlterDefaultPrivilegesStmt: 'privileges do not affect distribution',
  AlterOwnerStmt: 'ownership does not affect distribution',
  CommentStmt: 'comments do not affect distribution',
  SecLabelStmt: 'security labels do not affect distribution',
  VariableSetStmt: 'session settings other than search_path do not affect the schema',
  VariableShowStmt: 'a SHOW reads a setting',
  TransactionStmt: 'transaction control',
  CreateCastStmt: 'casts do not affect distribution',
  CreateOpClassStmt: 'operator classes do not affect distribution',
  CreateOpFamilyStmt: 'operator families do not affect distribution',
  AlterOpFamilyStmt: 'operator families do not affect distribution',
  DefineStmt: 'aggregates, operators, collations and base types do not affect distribution',
  CreateConversionStmt: 'conversions do not affect distribution',
  CreatePublicationStmt: 'publications do not affect distribution',
  AlterPublicationStmt: 'publications do not affect distribution',
  CreateSubscriptionStmt: 'subscriptions do not affect distribution',
  CreateEventTrigStmt: 'event triggers live on the coordinator only',
  AlterEventTrigStmt: 'event triggers live on the coordinator only',
  CreateFdwStmt: 'foreign-data wrappers do not affect distribution',
  CreateForeignServerStmt: 'foreign servers do not affect distribution',
  CreateUserMappingStmt: 'user mappings do not affect distribution',
  CreateTableSpaceStmt: 'tablespaces do not affect distribution',
  DropTableSpaceStmt: 'tablespaces do not affect distribution',
  AlterTableSpaceOptionsStmt: 'tablespaces do not affect distribution',
  CreatedbStmt: 'database creation is outside the schema',
  AlterDatabaseStmt: 'database settings are outside the schema',
  AlterDatabaseSetStmt: 'database settings are outside the schema',
  AlterTSConfigurationStmt: 'text search configuration does not affect distribution',
  AlterTSDictionaryStmt: 'text search configuration does not affect distribution',
  AlterFunctionStmt: 'function attributes do not affect distribution',
  AlterExtensionStmt: 'extension membership does not affect distribution',
  AlterExtensionContentsStmt: 'extension membership does not affect distribution',
  AlterStatsStmt: 'statistics targets do not affect distribution',
  CreateStatsStmt: 'extended statistics do not affect distribution',
  ClusterStmt: 'CLUSTER reorders rows only',
  VacuumStmt: 'maintenance',
  CheckPointStmt: 'maintenance',
  DoStmt: 'an anonymous code block cannot be analysed statically',
  NotifyStmt: 'notifications do not affect the schema',
  ListenStmt: 'notifications do not affect the schema',
  LockStmt: 'locks do not affect the schema',
  ExplainStmt: 'EXPLAIN reads a plan',
  AlterCollationStmt: 'collation versions do not affect distribution',
  CreatePLangStmt: 'languages do not affect distribution',
  CreateTransformStmt: 'transforms do not affect distribution',
  CreateAmStmt: 'access methods do not affect distribution',
  ReindexStmt: 'maintenance',
  RefreshMatViewStmt: 'refreshing a materialized view does not change the schema',
  DeallocateStmt: 'prepared statements do not affect the schema',
  PrepareStmt: 'prepared statements do not affect the schema',
  ExecuteStmt: 'prepared statements do not affect the schema',
  DiscardStmt: 'session state',
  CallStmt: 'a procedure call cannot be analysed statically',
  ImportForeignSchemaStmt: 'foreign schema import happens at run time',
  AlterSystemStmt: 'server settings do not affect the schema',
  AlterTableMoveAllStmt: 'tablespaces do not affect distribution',
  ConstraintsSetStmt: 'constraint timing is per transaction',
  DeclareCursorStmt: 'cursors do not affect the schema',
  FetchStmt: 'cursors do not affect the schema',
  ClosePortalStmt: 'cursors do not affect the schema',
  LoadStmt: 'loading a library does not affect the schema',
  ReassignOwnedStmt: 'ownership does not affect distribution',
  DropOwnedStmt: 'ownership does not affect distribution',
  DropRoleStmt: 'roles do not affect distribution',
  AlterPolicyStmt: 'policy changes are read as created',
  DropSubscriptionStmt: 'subscriptions do not affect distribution',
  AlterSeqStmt: 'sequence options other than OWNED BY and AS do not affect distribution',
  AlterDomainStmt: 'domain constraints do not affect distribution',
  AlterTypeStmt: 'type options do not affect distribution',
  CreateDomainStmt: '',
};

const OBJECT_NAMES: Record<string, string> = {
  OBJECT_AGGREGATE: 'an aggregate',
  OBJECT_COLLATION: 'a collation',
  OBJECT_CONVERSION: 'a conversion',
  OBJECT_DATABASE: 'a database',
  OBJECT_EVENT_TRIGGER: 'an event trigger',
  OBJECT_FDW: 'a foreign-data wrapper',
  OBJECT_FOREIGN_SERVER: 'a foreign server',
  OBJECT_LANGUAGE: 'a language',
  OBJECT_OPCLASS: 'an operator class',
  OBJECT_OPERATOR: 'an operator',
  OBJECT_OPFAMILY: 'an operator family',
  OBJECT_PUBLICATION: 'a publication',
  OBJECT_ROLE: 'a role',
  OBJECT_STATISTIC_EXT: 'extended statistics',
  OBJECT_SUBSCRIPTION: 'a subscription',
  OBJECT_TABLESPACE: 'a tablespace',
  OBJECT_TSCONFIGURATION: 'a text search configuration',
  OBJECT_TSDICTIONARY: 'a text search dictionary',
  OBJECT_TSPARSER: 'a text search parser',
  OBJECT_TSTEMPLATE: 'a text search template',
};

export function article(kind: string): string {
  return /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}

/** `OBJECT_COLLATION` -> `a collation`, for skip reasons. */
export function describeObject(objectType: string): string {
  return OBJECT_NAMES[objectType] ?? `an object of kind ${objectType.replace(/^OBJECT_/, '').toLowerCase().replace(/_/g, ' ')}`;
}

