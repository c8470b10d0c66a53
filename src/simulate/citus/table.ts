/**
 * ALTER TABLE on the coordinator (commands/table.c PreprocessAlterTableStmt,
 * ErrorIfUnsupportedAlterTableStmt, ErrorUnsupportedAlterTableAddColumn, and
 * the post-processing after PostgreSQL has run the command): FKs between
 * plain and reference tables convert the plain ones first
 * (ATDefinesFKeyBetweenPostgresAndCitusLocalOrRef); on a Citus table only
 * some subcommands are supported, the distribution column cannot change,
 * and new unique constraints must include it; an attached partition follows
 * its parent (PreprocessAttachPartitionToCitusTable); a dropped constraint
 * may leave citus local tables disconnected from reference tables.
 */
import type { Table } from '../../catalog/model.js';
import type { AlterTableCmd, AlterTableStmt, Constraint, Node } from '../../ingest/pg/ast.js';
import { listItems, namesOf, nodeAs, someNode } from '../../ingest/pg/index.js';
import { disconnectedCitusLocals, takeOutOfMetadata } from './alter-table.js';
import { convertForForeignKeys } from './citus-add-local-table-to-metadata.js';
import { partitionEntry } from './create-table.js';
import { isEqualityOperator } from './distribution-column.js';
import { ALTER_UNSUPPORTED, CitusError, NO_RELATION, PARTITION_COLUMN, rel, UNIQUE_CONSTRAINT } from './errors.js';
import { ensureForeignKeySupported, foreignKeyOf, type FkFacts } from './foreign-constraint.js';
import { outgoing } from './foreign-key-relationship.js';
import { copyLocalDataIntoShards } from './multi-copy.js';
import { checkForeignKeyDefinition, checkPostgresAlter, columnConstraints, columnGetsValue, constraintNames, checkColumnsExist } from './postgres-tablecmds.js';
import { alterHeld, tableBefore } from './row-ddl.js';
import { ensureSequentialAlterTable, ensureSequentialForeignKey, recordDdl } from './relation-access-tracking.js';
import { withCitusConstraintNames } from './constraint-names.js';
import type { CitusTableEntry, ClusterState } from './state.js';
import { ensureTenantPartitioning } from './schema-based-sharding.js';
import { ensureRelationHasNoTriggers, ensureTriggerSupported } from './trigger.js';
import { hasDistributionKey } from './model.js';

export function alterTable(s: ClusterState, body: AlterTableStmt): void {
  if (body.objtype && body.objtype !== 'OBJECT_TABLE' && body.objtype !== 'OBJECT_FOREIGN_TABLE') {
    s.applyToCatalog();
    return;
  }
  const rv = body.relation;
  const key = s.relationKey(rv);
  const t = s.builder.peekTable(key);
  // ALTER TABLE on a view or materialized view (PostgreSQL accepts it for their options, CLUSTER ON, ...): PostgreSQL's alone
  if (!t && s.builder.peekView(key)) {
    s.applyToCatalog();
    return;
  }
  if (!t) {
    if (body.missing_ok) {
      s.notices.push(`relation "${rv?.relname}" does not exist, skipping`);
      return;
    }
    throw NO_RELATION(rv?.schemaname ? `${rv.schemaname}.${rv.relname}` : (rv?.relname ?? ''));
  }
  const cmds = (body.cmds ?? []).flatMap((c) => nodeAs(c, 'AlterTableCmd') ?? []);
  const before = tableBefore(t);
  for (const cmd of cmds) {
    const child = cmd.subtype === 'AT_AttachPartition' ? s.relationKey(nodeAs(cmd.def, 'PartitionCmd')?.name) : undefined;
    if (child && s.builder.peekTable(child)) ensureTenantPartitioning(s, key, child);
  }
  const info = s.citus.get(key);
  const newFks: FkFacts[] = [];
  const definitions: Array<() => void> = [];
  const columns = [...t.columns.map((c) => c.name), ...cmds.flatMap((c) => (c.subtype === 'AT_AddColumn' ? [nodeAs(c.def, 'ColumnDef')?.colname ?? ''] : []))];
  for (const cmd of cmds) {
    const con = addedConstraint(cmd);
    if (con?.contype !== 'CONSTR_FOREIGN') continue;
    const refKey = s.relationKey(con.pktable);
    if (!s.builder.peekTable(refKey)) throw NO_RELATION(con.pktable?.relname ?? '');
    newFks.push(foreignKeyOf(s, con, key, namesOf(con.fk_attrs), refKey));
    definitions.push(() => checkForeignKeyDefinition(s, columns, con, namesOf(con.fk_attrs), refKey));
  }
  // Local <-> reference / citus local FKs: Citus converts the plain tables first
  // (ATDefinesFKeyBetweenPostgresAndCitusLocalOrRef).
  const lref = (k: string) => s.kind(k) === 'reference' || s.kind(k) === 'citus-local';
  const betweenLocalAndRef = (fk: FkFacts) => fk.table !== fk.refTable && ((s.kind(fk.table) === 'local' && lref(fk.refTable)) || (lref(fk.table) && s.kind(fk.refTable) === 'local'));
  if (s.localReferenceFks() && newFks.some(betweenLocalAndRef)) convertForForeignKeys(s, newFks);
  const infoNow = s.citus.get(key) ?? info;
  if (infoNow) {
    checkAlterCitusTable(s, t, infoNow, cmds);
    setupExecutionMode(s, key, cmds);
  } else checkPostgresAlter(s, t, cmds);
  checkColumnsExist(s, t, cmds);
  for (const check of definitions) check();
  for (const fk of newFks) ensureForeignKeySupported(s, fk);
  for (const cmd of cmds) if (cmd.subtype === 'AT_AttachPartition') attachPartition(s, key, cmd);
  const names = constraintNames(t);
  const dropped = new Set(cmds.filter((c) => c.subtype === 'AT_DropConstraint' && names.has(c.name ?? '')).map((c) => c.name ?? ''));
  const onTable = (fk: FkFacts) => fk.table === key || s.builder.peekTable(fk.table)?.partitionOf?.parent === key;
  const undistribute = dropped.size && s.isCitus(key) ? disconnectedCitusLocals(s, new Set(), (fk) => onTable(fk) && dropped.has(fk.name)) : [];
  const named = s.isCitus(key) ? withCitusConstraintNames(s, key, body) : undefined;
  if (named && s.stmt) s.stmt = { ...s.stmt, node: named };
  s.applyToCatalog();
  if (s.data.get(key)?.rows) {
    for (const cmd of cmds) {
      const cd = cmd.subtype === 'AT_AddColumn' ? nodeAs(cmd.def, 'ColumnDef') : undefined;
      if (cd && !columnGetsValue(cd)) s.dataOf(key).firstNull[cd.colname ?? ''] = 0;
    }
  }
  alterHeld(s, before, cmds);
  for (const k of undistribute) takeOutOfMetadata(s, k);
}

/**
 * SetupExecutionModeForAlterTable (and the unnamed foreign key's
 * EnsureSequentialModeForAlterTableOperation): a command that reaches a
 * reference table's shard from every shard runs over one connection per
 * node; then the command's own access to the table.
 */
function setupExecutionMode(s: ClusterState, key: string, cmds: readonly AlterTableCmd[]): void {
  const isReference = (rv: Constraint['pktable']) => s.kind(s.relationKey(rv)) === 'reference';
  const fksToReference = outgoing(s, key).filter((fk) => s.kind(fk.refTable) === 'reference');
  let sequential = false;
  for (const cmd of cmds) {
    const con = addedConstraint(cmd);
    if (con?.contype === 'CONSTR_FOREIGN' && isReference(con.pktable)) {
      if (!con.conname) ensureSequentialForeignKey(s);
      sequential = true;
    }
    if (cmd.subtype === 'AT_DropConstraint' && fksToReference.some((fk) => fk.name === cmd.name)) sequential = true;
    if (cmd.subtype === 'AT_AddColumn' && columnConstraints(nodeAs(cmd.def, 'ColumnDef')).some((c) => c.contype === 'CONSTR_FOREIGN' && isReference(c.pktable))) sequential = true;
    if ((cmd.subtype === 'AT_DropColumn' || cmd.subtype === 'AT_AlterColumnType') && fksToReference.some((fk) => fk.columns.includes(cmd.name ?? ''))) sequential = true;
    if ((cmd.subtype === 'AT_AttachPartition' || cmd.subtype === 'AT_DetachPartition') && fksToReference.length) sequential = true;
  }
  if (sequential) ensureSequentialAlterTable(s, key);
  recordDdl(s, key);
}

function addedConstraint(cmd: AlterTableCmd): Constraint | undefined {
  return cmd.subtype === 'AT_AddConstraint' ? nodeAs(cmd.def, 'Constraint') : undefined;
}

/** ATTACH PARTITION: the child follows the parent, its rows copied into the shards. */
function attachPartition(s: ClusterState, key: string, cmd: AlterTableCmd): void {
  const prv = nodeAs(cmd.def, 'PartitionCmd')?.name;
  const childKey = s.relationKey(prv);
  if (!s.builder.peekTable(childKey)) throw NO_RELATION(prv?.relname ?? '');
  const parent = s.citus.get(key);
  const entry = parent && !s.isCitus(childKey) ? partitionEntry(parent, childKey) : undefined;
  if (!entry) return;
  if (entry.kind === 'distributed') ensureRelationHasNoTriggers(s, childKey);
  s.citus.set(childKey, entry);
  if (entry.kind !== 'citus-local') copyLocalDataIntoShards(s, childKey, entry.column, true);
}

/** Does the expression call nextval()? */
function callsNextval(n: Node | undefined): boolean {
  return someNode(n, (tag, _body, node) => tag === 'FuncCall' && namesOf(nodeAs(node, 'FuncCall')?.funcname).pop() === 'nextval');
}

const SEPARATELY = 'You can issue each subcommand separately';
const NEXTVAL_RECIPE = "You can first call ALTER TABLE .. ADD COLUMN .. smallint/int/bigint\nThen set the default by ALTER TABLE .. ALTER COLUMN .. SET DEFAULT nextval('..')";

/** ErrorIfUnsupportedAlterTableStmt and the checks around it, PostgreSQL's own in between. */
function checkAlterCitusTable(s: ClusterState, t: Table, info: CitusTableEntry, cmds: readonly AlterTableCmd[]): void {
  const key = t.key;
  const touchesKey = (name?: string) => !!info.column && name === info.column;
  for (const cmd of cmds) {
    switch (cmd.subtype) {
      case 'AT_AddColumn':
        checkAddColumn(s, key, cmd, cmds.length);
        break;
      case 'AT_ColumnDefault':
        if (touchesKey(cmd.name)) throw PARTITION_COLUMN();
        if (callsNextval(cmd.def) && cmds.length > 1) {
          throw new CitusError("cannot execute ALTER COLUMN COLUMN .. SET DEFAULT nextval('..') command with other subcommands", undefined, SEPARATELY);
        }
        break;
      case 'AT_AlterColumnType': {
        if (touchesKey(cmd.name)) throw PARTITION_COLUMN();
        const col = t.columns.find((c) => c.name === cmd.name);
        if (col?.identity) throw new CitusError('cannot execute ALTER COLUMN command involving identity column');
        if (col?.defaultSequence) throw new CitusError('cannot execute ALTER COLUMN TYPE .. command because the column involves a default coming from a sequence');
        break;
      }
      case 'AT_DropColumn':
      case 'AT_DropNotNull':
        if (touchesKey(cmd.name)) throw PARTITION_COLUMN();
        break;
      case 'AT_AddConstraint':
        if (cmds.length > 1) throw new CitusError('cannot execute ADD CONSTRAINT command with other subcommands', undefined, SEPARATELY);
        // Citus names unnamed constraints itself since 11.2 (citus-rules.md §5, §12).
        if (!s.atLeast(11, 2) && !addedConstraint(cmd)?.conname) throw new CitusError('cannot create constraint without a name on a distributed table');
        break;
      case 'AT_AttachPartition': {
        if (cmds.length > 1) throw new CitusError('cannot execute ATTACH PARTITION command with other subcommands', undefined, `${SEPARATELY}.`);
        const childKey = s.relationKey(nodeAs(cmd.def, 'PartitionCmd')?.name);
        if (s.kind(childKey) === 'citus-local' || info.kind === 'citus-local') break;
        if (s.isCitus(childKey) && !s.areColocated(childKey, key)) throw new CitusError('distributed tables cannot have non-colocated distributed tables as a partition ');
        break;
      }
      case 'AT_DetachPartitionFinalize':
        throw new CitusError('ALTER TABLE .. DETACH PARTITION .. FINALIZE commands are currently unsupported.');
      case 'AT_DetachPartition':
        if (cmds.length > 1) throw new CitusError('cannot execute DETACH PARTITION command with other subcommands', undefined, `${SEPARATELY}.`);
        if (nodeAs(cmd.def, 'PartitionCmd')?.concurrent) throw new CitusError('ALTER TABLE .. DETACH PARTITION .. CONCURRENTLY commands are currently unsupported.');
        break;
      case 'AT_EnableTrig':
      case 'AT_EnableAlwaysTrig':
      case 'AT_EnableReplicaTrig':
      case 'AT_EnableTrigUser':
      case 'AT_DisableTrig':
      case 'AT_DisableTrigUser':
      case 'AT_EnableTrigAll':
      case 'AT_DisableTrigAll':
        if (cmds.length > 1) throw new CitusError('cannot execute ENABLE/DISABLE TRIGGER command with other subcommands', undefined, SEPARATELY);
        ensureTriggerSupported(s, key);
        break;
      case 'AT_SetExpression':
        throw new CitusError('ALTER TABLE ... ALTER COLUMN ... SET EXPRESSION commands are currently unsupported.');
      case 'AT_SetAccessMethod':
        if (!cmd.name) throw new CitusError('DEFAULT option in ALTER TABLE ... SET ACCESS METHOD is currently unsupported.', undefined, 'You can rerun the command by explicitly writing the access method name.');
        break;
      case 'AT_SetNotNull':
      case 'AT_ReplicaIdentity':
      case 'AT_ChangeOwner':
      case 'AT_EnableRowSecurity':
      case 'AT_DisableRowSecurity':
      case 'AT_ForceRowSecurity':
      case 'AT_NoForceRowSecurity':
      case 'AT_ValidateConstraint':
      case 'AT_DropConstraint':
      case 'AT_SetCompression':
      case 'AT_SetRelOptions':
      case 'AT_ResetRelOptions':
      case 'AT_ReplaceRelOptions':
      case 'AT_SetLogged':
      case 'AT_SetUnLogged':
        break;
      default:
        throw ALTER_UNSUPPORTED();
    }
  }
  // PostgreSQL runs the command here (between Citus's pre- and post-processing).
  checkPostgresAlter(s, t, cmds);
  for (const cmd of cmds) {
    const cd = cmd.subtype === 'AT_AddColumn' ? nodeAs(cmd.def, 'ColumnDef') : undefined;
    if (cd) {
      const cons = columnConstraints(cd);
      if (hasDistributionKey(info.kind) && !s.settings['citus.allow_unsafe_constraints'] && cons.some((c) => c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_UNIQUE')) {
        throw UNIQUE_CONSTRAINT(key); // the new column is never the distribution column
      }
      // Unnamed PRIMARY KEY / UNIQUE / REFERENCES get a name from Citus since 11.2; an unnamed CHECK never does.
      const unnamed = s.atLeast(11, 2) ? ['CONSTR_CHECK'] : ['CONSTR_PRIMARY', 'CONSTR_UNIQUE', 'CONSTR_FOREIGN', 'CONSTR_CHECK'];
      const c = cons.find((x) => !x.conname && unnamed.includes(x.contype ?? ''));
      if (c) throw addColumnConstraintError(s, key, cd.colname ?? '', c);
    }
    const con = addedConstraint(cmd);
    if (con && hasDistributionKey(info.kind) && !s.settings['citus.allow_unsafe_constraints'] && !uniqueIncludesColumn(t, con, info.column!)) throw UNIQUE_CONSTRAINT(key);
  }
}

/** ADD COLUMN on a Citus table: serial, identity and DEFAULT nextval() columns (table.c PreprocessAlterTableStmt). */
function checkAddColumn(s: ClusterState, key: string, cmd: AlterTableCmd, subcommands: number): void {
  const cd = nodeAs(cmd.def, 'ColumnDef');
  const names = namesOf(cd?.typeName?.names);
  const cons = columnConstraints(cd);
  const rows = s.data.get(key)?.rows ?? 0;
  if (names.length === 1 && /^(small|big)?serial[248]?$/.test(names[0])) {
    if (s.metadataSync) throw new CitusError('cannot execute ADD COLUMN commands involving serial pseudotypes when metadata is synchronized to workers');
    if (subcommands > 1 || cons.length) throw new CitusError('cannot execute ADD COLUMN commands involving serial pseudotypes with other subcommands/constraints', undefined, SEPARATELY);
    if (rows) throw new CitusError('Cannot add a column involving serial pseudotypes because the table is not empty', undefined, NEXTVAL_RECIPE);
  }
  for (const c of cons) {
    if (c.contype === 'CONSTR_IDENTITY') {
      if (s.metadataSync) throw new CitusError('cannot execute ADD COLUMN commands involving identity columns when metadata is synchronized to workers');
      if (rows) throw new CitusError('Cannot add an identity column because the table is not empty');
    }
  }
  for (const c of cons) {
    if (c.contype === 'CONSTR_DEFAULT' && callsNextval(c.raw_expr)) {
      if (subcommands > 1 || cons.length > 1) throw new CitusError("cannot execute ADD COLUMN .. DEFAULT nextval('..') command with other subcommands/constraints", undefined, SEPARATELY);
      if (rows) throw new CitusError("cannot add a column involving DEFAULT nextval('..') because the table is not empty", undefined, NEXTVAL_RECIPE);
    }
  }
}

/** ErrorIfUnsupportedConstraint for ADD CONSTRAINT: PRIMARY KEY / UNIQUE / EXCLUDE with the distribution column (EXCLUDE with `=`). */
function uniqueIncludesColumn(t: Table, con: Constraint, column: string): boolean {
  if (con.contype === 'CONSTR_PRIMARY' || con.contype === 'CONSTR_UNIQUE') {
    let cols = namesOf(con.keys);
    if (!cols.length && con.indexname) cols = (t.indexes.find((i) => i.name === con.indexname)?.columns ?? []).filter((c): c is string => !!c);
    return cols.includes(column);
  }
  if (con.contype === 'CONSTR_EXCLUSION') {
    return (con.exclusions ?? []).some((pair) => {
      const [elem, ops] = listItems(pair);
      return nodeAs(elem, 'IndexElem')?.name === column && isEqualityOperator(namesOf(listItems(ops)).join('.'));
    });
  }
  return true;
}

/** ErrorUnsupportedAlterTableAddColumn: ADD COLUMN with a constraint Citus cannot name on the shards. */
function addColumnConstraintError(s: ClusterState, key: string, column: string, c: Constraint): CitusError {
  let what = 'CHECK (check_expression)';
  if (c.contype === 'CONSTR_UNIQUE') what = `UNIQUE (${column})`;
  else if (c.contype === 'CONSTR_PRIMARY') what = `PRIMARY KEY (${column})`;
  else if (c.contype === 'CONSTR_FOREIGN') {
    const refKey = s.relationKey(c.pktable);
    const refColumn = nodeAs(c.pk_attrs?.[0], 'String')?.sval ?? s.builder.peekTable(refKey)?.primaryKey?.columns[0] ?? '';
    const actions: Record<string, string> = { n: 'SET NULL', c: 'CASCADE', d: 'SET DEFAULT', r: 'RESTRICT' };
    what = `FOREIGN KEY (${column}) REFERENCES ${rel(refKey)}(${refColumn})`;
    if (actions[c.fk_del_action ?? '']) what += ` ON DELETE ${actions[c.fk_del_action ?? '']}`;
    if (actions[c.fk_upd_action ?? '']) what += ` ON UPDATE ${actions[c.fk_upd_action ?? '']}`;
  }
  return new CitusError(
    'cannot execute ADD COLUMN command with PRIMARY KEY, UNIQUE, FOREIGN and CHECK constraints',
    'Adding a column with a constraint in one command is not supported because all constraints in Citus must have explicit names',
    `You can issue each command separately such as ALTER TABLE ${rel(key)} ADD COLUMN ${column} data_type; ALTER TABLE ${rel(key)} ADD CONSTRAINT constraint_name ${what};`,
  );
}
