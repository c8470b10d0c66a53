/**
 * A whole schema file among the migrations (a Rails db/structure.sql, a
 * pg_dump --schema-only): what it changes against the schema it applies to,
 * as the statements a migration would have run to make that change. The
 * file is compared with the schema object by object (tables, columns,
 * constraints, indexes, sequences, triggers, policies, views, types):
 *
 * - a statement whose objects the schema already has, unchanged, is left out;
 * - a table the schema has is not created again: its new, changed and
 *   dropped columns and constraints become one ALTER TABLE command each,
 *   made from the file's own parse tree, so Citus's answer lands on the
 *   line of the column or constraint in the file;
 * - an ALTER TABLE keeps only the commands that change something;
 * - what the file no longer has (an index, a constraint, a trigger, a
 *   policy) is dropped first, and an object it redefines is dropped just
 *   before it is made again, both silently: the model must follow the file,
 *   but nothing was written there to report on.
 *
 * Data (schema_migrations rows, COPY blocks) is no schema change and is left
 * out; SET and set_config() always run, as later names resolve by them.
 */
import { buildCatalog } from '../catalog/index.js';
import type { Catalog, Location, Table } from '../catalog/model.js';
import type { AlterTableCmd, ColumnDef, ConstrType, Constraint, CreateStmt, Node } from '../ingest/pg/ast.js';
import { qualifiedKey, quoteIdent, splitKey } from '../ingest/pg/names.js';
import { makeNode, namesOf, nodeAs, nodesOf, tagOf } from '../ingest/pg/nodes.js';
import { nodeOffset, readScript, type Script, type Statement } from '../ingest/pg/script.js';
import { sessionStatement } from '../ingest/pg/settings.js';

export interface SchemaStep {
  /** The script the statement's locations point into. */
  readonly script: Script;
  readonly stmt: Statement;
  /** Report what Citus says to it; false for the steps that only keep the model in line with the file. */
  readonly report: boolean;
}

type Kind =
  | 'table'
  | 'column'
  | 'primary key'
  | 'unique'
  | 'check'
  | 'foreign key'
  | 'exclusion'
  | 'index'
  | 'trigger'
  | 'policy'
  | 'sequence'
  | 'view'
  | 'type'
  | 'function'
  | 'extension';

/** One named object of a catalog, with its definition minus where it was written. */
interface Element {
  readonly id: string;
  readonly kind: Kind;
  /** Owning table key (columns, constraints, indexes, triggers, policies). */
  readonly table?: string;
  readonly name: string;
  readonly shape: string;
  readonly location: Location;
}

const CONSTRAINTS = new Set<Kind>(['primary key', 'unique', 'check', 'foreign key', 'exclusion']);
const DATA = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CopyStmt', 'TruncateStmt']);
/** Constraints a column definition may carry that are constraints of the table. */
const TABLE_CONSTRAINTS = new Set<ConstrType | undefined>(['CONSTR_PRIMARY', 'CONSTR_UNIQUE', 'CONSTR_CHECK', 'CONSTR_FOREIGN', 'CONSTR_EXCLUSION']);

/**
 * Is this file a whole schema rather than a migration: named structure.sql,
 * a pg_dump (its header), or creating again most tables of the schema it
 * applies to (a migration cannot: the tables exist)?
 */
export function isSchemaFile(script: Script, current: Catalog): boolean {
  const file = script.source.file;
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (base === 'structure.sql' || /^--\s*PostgreSQL database dump\s*$/m.test(script.source.text.slice(0, 2000))) return true;
  const existing = Object.keys(current.tables).length;
  if (!existing) return false;
  const dropped = new Set<string>();
  const recreated = new Set<string>();
  for (const stmt of script.statements) {
    const drop = nodeAs(stmt.node, 'DropStmt');
    if (drop && (drop.removeType === 'OBJECT_TABLE' || drop.removeType === 'OBJECT_FOREIGN_TABLE')) {
      for (const o of drop.objects ?? []) {
        const names = namesOf(nodeAs(o, 'List')?.items ?? [o]).filter(Boolean);
        if (names.length) dropped.add(resolveTable(current, names.length > 1 ? names[names.length - 2] : undefined, names[names.length - 1]));
      }
    }
    const create = nodeAs(stmt.node, 'CreateStmt');
    if (create?.relation) {
      const key = resolveTable(current, create.relation.schemaname, create.relation.relname ?? '');
      if (current.tables[key] && !dropped.has(key)) recreated.add(key);
    }
  }
  return recreated.size * 2 > existing;
}

/** The steps that take `current` to the schema the file describes, in the file's order. */
export function schemaSteps(current: Catalog, script: Script): SchemaStep[] {
  const file = script.source.file;
  const { catalog: next } = buildCatalog([{ file, text: script.source.text }]);
  const before = elementsOf(current);
  const after = elementsOf(next);
  const placed = placeElements(script, [...after.values()].filter((e) => e.location.file === file));
  const steps: SchemaStep[] = [];
  const quiet = (sql: string) => {
    const s = readScript(`${file} (schema diff)`, sql);
    for (const stmt of s.statements) steps.push({ script: s, stmt, report: false });
  };
  const dropQuietly = (e: Element) => {
    const sql = dropSql(e, current);
    if (sql) quiet(sql);
  };
  const at = (stmt: Statement, location: number | undefined): Location =>
    location === undefined || location < 0 ? stmt.location : script.source.locate(nodeOffset(stmt, location));
  const derived = (stmt: Statement, node: Node, location: Location): SchemaStep => ({ script, report: true, stmt: { ...stmt, node, location } });

  // What the file no longer has, on the tables it keeps: foreign keys first, then what they may rest on.
  const rank = (k: Kind) => (k === 'foreign key' ? 0 : k === 'trigger' || k === 'policy' ? 1 : CONSTRAINTS.has(k) ? 2 : 3);
  [...before.values()]
    .filter((e) => e.table && next.tables[e.table] && !after.has(e.id) && (CONSTRAINTS.has(e.kind) || e.kind === 'index' || e.kind === 'trigger' || e.kind === 'policy'))
    .sort((a, b) => rank(a.kind) - rank(b.kind))
    .forEach(dropQuietly);

  /** The element of the file made by the node at this position, if any. */
  const madeAt = (stmt: Statement, location: Location, kinds: ReadonlySet<Kind>) =>
    (placed.get(stmt.index) ?? []).find((e) => kinds.has(e.kind) && e.location.line === location.line && e.location.column === location.column);
  /** Is the element new or changed? A changed one is dropped quietly first, to be made again. */
  const differs = (e: Element | undefined): boolean => {
    if (!e) return false;
    const old = before.get(e.id);
    if (old && old.shape === e.shape) return false;
    if (old) dropQuietly(old);
    return true;
  };

  let searchPathSet = false;
  for (const stmt of script.statements) {
    const node = stmt.node;
    if (!node) continue;
    const kind = tagOf(node) ?? '';
    const session = sessionStatement(node);
    if (session) {
      if (kind === 'VariableSetStmt' || kind === 'SelectStmt') steps.push({ script, stmt, report: false });
      if (session.searchPath) searchPathSet = true;
      continue;
    }
    if (DATA.has(kind) || kind === 'SelectStmt' || kind === 'TransactionStmt') continue;

    const create = nodeAs(node, 'CreateStmt');
    const alter = nodeAs(node, 'AlterTableStmt');
    if (create || alter) {
      const rv = create ? create.relation : alter?.relation;
      const key = rv ? resolveTable(next, rv.schemaname, rv.relname ?? '', current) : '';
      const t0 = current.tables[key];
      const t1 = next.tables[key];
      if (t0 && t1 && create) {
        steps.push(...tableChanges(stmt, create, t0, t1));
        continue;
      }
      const onTable = alter !== undefined && (!alter.objtype || alter.objtype === 'OBJECT_TABLE' || alter.objtype === 'OBJECT_FOREIGN_TABLE');
      if (onTable && !t0 && t1) {
        steps.push({ script, stmt, report: true }); // part of making a table the schema does not have
        continue;
      }
      if (onTable && t0 && t1) {
        const cmds = alter.cmds ?? [];
        const kept = cmds.filter((c) => alterChanges(stmt, nodeAs(c, 'AlterTableCmd') ?? {}, t0, t1));
        if (!kept.length) continue;
        if (kept.length === cmds.length) steps.push({ script, stmt, report: true });
        else {
          const first = nodeAs(kept[0], 'AlterTableCmd')?.def;
          const loc = nodeAs(first, 'Constraint')?.location ?? nodeAs(first, 'ColumnDef')?.location;
          steps.push(derived(stmt, makeNode('AlterTableStmt', { ...alter, cmds: kept }), at(stmt, loc)));
        }
        continue;
      }
      if (alter) continue; // ALTER INDEX / SEQUENCE / VIEW, or a table the file does not have: nothing to check against the design
    }

    const made = placed.get(stmt.index) ?? [];
    if (made.length) {
      const changed = made.filter((e) => before.get(e.id)?.shape !== e.shape);
      if (!changed.length) continue;
      for (const e of changed) if (before.has(e.id)) dropQuietly(before.get(e.id)!);
      steps.push({ script, stmt, report: true });
      continue;
    }
    // Statements that change an object without making one.
    const sequence = nodeAs(node, 'AlterSeqStmt')?.sequence;
    const alterEnum = nodeAs(node, 'AlterEnumStmt');
    const schemaName = nodeAs(node, 'CreateSchemaStmt')?.schemaname;
    if (sequence) {
      const id = elementId('sequence', undefined, resolveTable(next, sequence.schemaname, sequence.relname ?? '', current));
      if (before.get(id)?.shape !== after.get(id)?.shape) steps.push({ script, stmt, report: true });
    } else if (alterEnum) {
      const names = namesOf(alterEnum.typeName);
      const id = elementId('type', undefined, names.length > 1 ? qualifiedKey(names[0], names[names.length - 1]) : qualifiedKey('public', names[0]));
      if (before.get(id)?.shape !== after.get(id)?.shape) steps.push({ script, stmt, report: true });
    } else if (schemaName && !current.schemas.includes(schemaName)) {
      steps.push({ script, stmt, report: true });
    }
  }
  // The file's SET search_path does not outlive it: the next file starts from the default.
  if (searchPathSet) quiet('SET search_path TO public');
  return steps;

  /** A table the schema has, written out again: one ALTER TABLE command per change. */
  function tableChanges(stmt: Statement, body: CreateStmt, t0: Table, t1: Table): SchemaStep[] {
    const out: SchemaStep[] = [];
    const rel = body.relation;
    const one = (cmd: AlterTableCmd, location: Location) =>
      out.push(derived(stmt, makeNode('AlterTableStmt', { relation: rel, cmds: [makeNode('AlterTableCmd', { ...cmd, behavior: 'DROP_RESTRICT' })], objtype: 'OBJECT_TABLE' }), location));
    const defs = nodesOf(body.tableElts, 'ColumnDef');
    const added = defs.filter((cd) => cd.colname && !t0.columns.some((c) => c.name === cd.colname));
    const gone = t0.columns.filter((c) => !t1.columns.some((x) => x.name === c.name));
    // One column left and one of the same type came: a rename (Citus allows renaming even the distribution column).
    let renamed: ColumnDef | undefined;
    if (added.length === 1 && gone.length === 1 && t1.columns.find((c) => c.name === added[0].colname)?.type.display === gone[0].type.display) {
      renamed = added[0];
      out.push(
        derived(
          stmt,
          makeNode('RenameStmt', { renameType: 'OBJECT_COLUMN', relationType: 'OBJECT_TABLE', relation: rel, subname: gone[0].name, newname: renamed.colname, behavior: 'DROP_RESTRICT' }),
          at(stmt, renamed.location),
        ),
      );
    } else {
      for (const c of gone) one({ subtype: 'AT_DropColumn', name: c.name }, at(stmt, rel?.location));
    }
    const constraint = (con: Constraint, column?: string) => {
      const location = at(stmt, con.location);
      const e = madeAt(stmt, location, CONSTRAINTS);
      if (!e || e.table !== t1.key || !differs(e)) return;
      const name = [makeNode('String', { sval: column })];
      const keys = column === undefined ? {} : con.contype === 'CONSTR_FOREIGN' ? { fk_attrs: name } : con.contype === 'CONSTR_CHECK' ? {} : { keys: name };
      one({ subtype: 'AT_AddConstraint', def: makeNode('Constraint', { ...con, ...keys, conname: e.name }) }, location);
    };
    for (const elt of body.tableElts ?? []) {
      const con = nodeAs(elt, 'Constraint');
      if (con) {
        constraint(con);
        continue;
      }
      const cd = nodeAs(elt, 'ColumnDef');
      if (!cd?.colname || cd === renamed) continue;
      const c0 = t0.columns.find((c) => c.name === cd.colname);
      const c1 = t1.columns.find((c) => c.name === cd.colname);
      if (!c1) continue;
      const location = at(stmt, cd.location);
      if (!c0) {
        one({ subtype: 'AT_AddColumn', def: makeNode('ColumnDef', cd) }, location);
        continue;
      }
      const cons = nodesOf(cd.constraints, 'Constraint');
      if (c0.type.display !== c1.type.display) one({ subtype: 'AT_AlterColumnType', name: cd.colname, def: makeNode('ColumnDef', { typeName: cd.typeName, location: cd.location }) }, location);
      if (c0.notNull !== c1.notNull) one({ subtype: c1.notNull ? 'AT_SetNotNull' : 'AT_DropNotNull', name: cd.colname }, location);
      const own = cons.find((c) => c.contype === 'CONSTR_DEFAULT');
      // A default set by a later ALTER TABLE is that statement's change.
      if ((c0.default ?? '') !== (c1.default ?? '') && (own || c1.default === undefined)) {
        one({ subtype: 'AT_ColumnDefault', name: cd.colname, ...(own?.raw_expr ? { def: own.raw_expr } : {}) }, location);
      }
      for (const con of cons) if (TABLE_CONSTRAINTS.has(con.contype)) constraint(con, cd.colname);
    }
    return out;
  }

  /** Does this ALTER TABLE command, on a table the schema has, change anything? */
  function alterChanges(stmt: Statement, cmd: AlterTableCmd, t0: Table, t1: Table): boolean {
    const col = (t: Table) => t.columns.find((c) => c.name === cmd.name);
    const c0 = col(t0);
    const c1 = col(t1);
    const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
    switch (cmd.subtype) {
      case 'AT_AddConstraint':
        return differs(madeAt(stmt, at(stmt, nodeAs(cmd.def, 'Constraint')?.location), CONSTRAINTS));
      case 'AT_AddColumn':
        return differs(madeAt(stmt, at(stmt, nodeAs(cmd.def, 'ColumnDef')?.location), new Set<Kind>(['column'])));
      case 'AT_DropColumn':
        return !!c0 && !c1;
      case 'AT_ColumnDefault':
        return !c0 || (c0.default ?? '') !== (c1?.default ?? '');
      case 'AT_SetNotNull':
      case 'AT_DropNotNull':
        return !c0 || c0.notNull !== c1?.notNull;
      case 'AT_AddIdentity':
      case 'AT_SetIdentity':
      case 'AT_DropIdentity':
        return !c0 || !same(c0.identity, c1?.identity);
      case 'AT_AlterColumnType':
        return !c0 || c0.type.display !== c1?.type.display;
      case 'AT_ReplicaIdentity':
        return t0.replicaIdentity !== t1.replicaIdentity;
      case 'AT_EnableRowSecurity':
      case 'AT_DisableRowSecurity':
      case 'AT_ForceRowSecurity':
      case 'AT_NoForceRowSecurity':
        return t0.rowSecurity !== t1.rowSecurity;
      case 'AT_AttachPartition':
      case 'AT_DetachPartition': {
        const rv = nodeAs(cmd.def, 'PartitionCmd')?.name;
        const child = rv ? resolveTable(next, rv.schemaname, rv.relname ?? '', current) : '';
        return !current.tables[child] || !same(current.tables[child].partitionOf, next.tables[child]?.partitionOf);
      }
      case 'AT_AddInherit':
      case 'AT_DropInherit':
        return !same(t0.inherits, t1.inherits);
      case 'AT_SetLogged':
      case 'AT_SetUnLogged':
        return t0.persistence !== t1.persistence;
      case 'AT_SetAccessMethod':
        return t0.accessMethod !== t1.accessMethod;
      default:
        return false; // owner, statistics, storage, clustering, trigger switches: nothing Citus checks against the design
    }
  }
}

/** A relation name as written -> catalog key: qualified as given, else `public`, else the one table of that name. */
function resolveTable(catalog: Catalog, schema: string | undefined, name: string, also?: Catalog): string {
  if (schema) return qualifiedKey(schema, name);
  const inPublic = qualifiedKey('public', name);
  const has = (k: string) => !!(catalog.tables[k] ?? catalog.sequences[k] ?? also?.tables[k] ?? also?.sequences[k]);
  if (has(inPublic)) return inPublic;
  const named = [...Object.keys(catalog.tables), ...Object.keys(catalog.sequences)].filter((k) => splitKey(k).name === name);
  return named.length === 1 ? named[0] : inPublic;
}

function elementId(kind: Kind, table: string | undefined, name: string): string {
  return `${kind}\u0000${table ?? ''}\u0000${name}`;
}

/** A definition without where it was written: what "changed" compares. */
function shapeOf(value: unknown): string {
  return JSON.stringify(value, (k, v) => (k === 'location' ? undefined : v));
}

function elementsOf(c: Catalog): Map<string, Element> {
  const out = new Map<string, Element>();
  const add = (kind: Kind, table: string | undefined, name: string, value: unknown, location: Location) => {
    const id = elementId(kind, table, name);
    out.set(id, { id, kind, ...(table !== undefined ? { table } : {}), name, shape: shapeOf(value), location });
  };
  for (const t of Object.values(c.tables)) {
    const { columns, primaryKey, uniques, checks, exclusions, foreignKeys, indexes, triggers, policies, ...own } = t;
    add('table', t.key, t.key, own, t.location);
    for (const x of columns) add('column', t.key, x.name, x, x.location);
    if (primaryKey) add('primary key', t.key, primaryKey.name, primaryKey, primaryKey.location);
    for (const x of uniques) if (x.source === 'constraint') add('unique', t.key, x.name, x, x.location);
    for (const x of checks) add('check', t.key, x.name, x, x.location);
    for (const x of exclusions) add('exclusion', t.key, x.name, x, x.location);
    for (const x of foreignKeys) add('foreign key', t.key, x.name, x, x.location);
    for (const x of indexes) if (!x.constraint) add('index', t.key, x.name, x, x.location);
    for (const x of triggers) add('trigger', t.key, x.name, x, x.location);
    for (const x of policies) add('policy', t.key, x.name, x, x.location);
  }
  for (const x of Object.values(c.sequences)) add('sequence', undefined, x.key, x, x.location);
  for (const x of Object.values(c.views)) add('view', undefined, x.key, x, x.location);
  for (const x of Object.values(c.types)) add('type', undefined, x.key, x, x.location);
  for (const x of Object.values(c.functions)) add('function', undefined, x.key, x, x.location);
  for (const x of c.extensions) add('extension', undefined, x.name, x, x.location);
  return out;
}

function compareLocations(a: Location, b: Location): number {
  return a.line - b.line || a.column - b.column;
}

/** Each element, under the statement of the script that wrote it (by statement index). */
function placeElements(script: Script, elements: readonly Element[]): Map<number, Element[]> {
  const stmts = script.statements;
  const ends = stmts.map((s) => script.source.locate(s.endByte));
  const out = new Map<number, Element[]>();
  for (const e of elements) {
    let lo = 0;
    let hi = stmts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (compareLocations(stmts[mid].location, e.location) <= 0) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0 || compareLocations(e.location, ends[found]) > 0) continue;
    const index = stmts[found].index;
    const list = out.get(index);
    if (list) list.push(e);
    else out.set(index, [e]);
  }
  return out;
}

/** SQL that drops an element of the schema (undefined when making it again simply replaces it). */
function dropSql(e: Element, catalog: Catalog): string | undefined {
  const rel = (key: string) => {
    const { schema, name } = splitKey(key);
    return `${quoteIdent(schema)}.${quoteIdent(name)}`;
  };
  if (e.table && CONSTRAINTS.has(e.kind)) return `ALTER TABLE ${rel(e.table)} DROP CONSTRAINT IF EXISTS ${quoteIdent(e.name)}`;
  if (e.table && e.kind === 'index') return `DROP INDEX IF EXISTS ${quoteIdent(splitKey(e.table).schema)}.${quoteIdent(e.name)}`;
  if (e.table && e.kind === 'trigger') return `DROP TRIGGER IF EXISTS ${quoteIdent(e.name)} ON ${rel(e.table)}`;
  if (e.table && e.kind === 'policy') return `DROP POLICY IF EXISTS ${quoteIdent(e.name)} ON ${rel(e.table)}`;
  if (e.kind === 'view') return `DROP ${catalog.views[e.name]?.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} IF EXISTS ${rel(e.name)}`;
  return undefined;
}
