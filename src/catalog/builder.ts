/**
 * DDL -> Catalog. Statements are applied one at a time, in order, as
 * PostgreSQL would run them, so that what a dump says late (`ALTER TABLE ONLY
 * ... ADD CONSTRAINT`, `ALTER SEQUENCE ... OWNED BY`, `CREATE INDEX`, `ATTACH
 * PARTITION`, `ADD GENERATED AS IDENTITY`) lands on the object it names. The
 * Citus model applies migration statements through the same builder.
 */
import type {
  AlterTableCmd,
  AlterTableStmt,
  ColumnDef,
  Constraint,
  CreateStmt,
  IndexElem,
  IndexStmt,
  Node,
  RangeVar,
  TypeName,
} from '../ingest/pg/ast.js';
import { deparseNode, nodeOffset, qualifiedKey, splitIdentifierList, type Script, type Statement } from '../ingest/pg/index.js';
import type {
  Catalog,
  DataSource,
  Diagnostic,
  Extension,
  FkAction,
  ForeignKey,
  FunctionDef,
  Index,
  Location,
  Sequence,
  Skipped,
  Table,
  Trigger,
  TypeDef,
  TypeRef,
  View,
} from './model.js';
import { chooseName, columnsPart } from './naming.js';
import {
  descendants,
  moveFunction,
  moveSequence,
  moveTable,
  moveType,
  moveView,
  renameColumn,
  renameConstraint,
  renameIndex,
  renameSchema,
  renameTrigger,
} from './relocate.js';
import type { CatalogState, MColumn, MTable, Mutable } from './state.js';
import { SERIAL_TYPES, canonicalBuiltin, formatBuiltin, isBuiltinType, isRangeType, userTypeRef } from './types.js';

/** The reason recorded for a statement the builder does not know; every other skip states why it has no bearing. */
export const NOT_UNDERSTOOD = 'not understood by shardwise';

/** Statement kinds that have no bearing on distribution, with why. */
const IRRELEVANT: Record<string, string> = {
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

const FK_ACTIONS: Record<string, FkAction> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

export interface BuildInput {
  readonly file: string;
  readonly text: string;
}

export class CatalogBuilder {
  private readonly schemas = new Set<string>(['public']);
  private readonly tables = new Map<string, MTable>();
  private readonly views = new Map<string, View>();
  private readonly sequences = new Map<string, Mutable<Sequence>>();
  private readonly types = new Map<string, TypeDef>();
  private readonly functions = new Map<string, FunctionDef>();
  private readonly extensions: Extension[] = [];
  private readonly skipped: Skipped[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private readonly data: DataSource[] = [];
  private readonly files: string[] = [];
  /** Index name -> owning table key (index names are unique per schema). */
  private readonly indexOwner = new Map<string, string>();
  private searchPath: string[] = ['public'];

  /** Script and statement being applied: for locations. */
  private script?: Script;
  private stmt?: Statement;

  /**
   * A builder that continues from an already built catalog (a deep copy), so
   * that later statements (a migration) apply on top of it.
   */
  static fromCatalog(catalog: Catalog): CatalogBuilder {
    const b = new CatalogBuilder();
    const c = structuredClone(catalog);
    for (const s of c.schemas) b.schemas.add(s);
    for (const t of Object.values(c.tables)) {
      b.tables.set(t.key, t as unknown as MTable);
      for (const i of t.indexes) b.indexOwner.set(qualifiedKey(t.schema, i.name), t.key);
    }
    for (const v of Object.values(c.views)) b.views.set(v.key, v);
    for (const s of Object.values(c.sequences)) b.sequences.set(s.key, s);
    for (const t of Object.values(c.types)) b.types.set(t.key, t);
    for (const f of Object.values(c.functions)) b.functions.set(f.key, f);
    b.extensions.push(...c.extensions);
    b.skipped.push(...c.skipped);
    b.diagnostics.push(...c.diagnostics);
    b.data.push(...c.data);
    b.files.push(...c.files);
    return b;
  }

  /** The working state, for the functions in relocate.ts. */
  private get state(): CatalogState {
    return {
      schemas: this.schemas,
      tables: this.tables,
      views: this.views,
      sequences: this.sequences,
      types: this.types,
      functions: this.functions,
      extensions: this.extensions,
      data: this.data,
      indexOwner: this.indexOwner,
    };
  }

  /** The current (live, not copied) state of a table, sequence or type; callers must not change it. */
  peekTable(key: string): Table | undefined {
    return this.tables.get(key) as Table | undefined;
  }

  peekTables(): Table[] {
    return [...this.tables.values()] as Table[];
  }

  peekSequence(key: string): Sequence | undefined {
    return this.sequences.get(key);
  }

  peekType(key: string): TypeDef | undefined {
    return this.types.get(key);
  }

  peekFunction(key: string): FunctionDef | undefined {
    return this.functions.get(key);
  }

  /** The schema a new unqualified relation would be created in. */
  currentCreationSchema(): string {
    return this.creationSchema();
  }

  addScript(script: Script): void {
    this.files.push(script.source.file);
    this.searchPath = ['public'];
    for (const s of script.statements) this.apply(script, s);
  }

  /** Apply one statement; returns false when it was skipped. */
  apply(script: Script, stmt: Statement): boolean {
    this.script = script;
    this.stmt = stmt;
    if (stmt.error) {
      this.diagnostics.push({
        code: 'syntax-error',
        severity: 'error',
        message: stmt.error.message,
        location: stmt.error.location,
        hint: 'fix the statement, or check that the file is PostgreSQL SQL; the rest of the file was read',
      });
      return false;
    }
    const node = stmt.node;
    if (!node) return false;
    const kind = Object.keys(node)[0];
    const body = (node as Record<string, unknown>)[kind];
    try {
      return this.dispatch(kind, body);
    } catch (e) {
      this.diagnostics.push({
        code: 'unsupported-statement',
        severity: 'warning',
        message: `could not apply ${kind}: ${(e as Error).message}`,
        location: stmt.location,
      });
      return false;
    }
  }

  private dispatch(kind: string, body: any): boolean {
    switch (kind) {
      case 'CreateSchemaStmt':
        this.schemas.add(body.schemaname);
        for (const elt of body.schemaElts ?? []) {
          const k = Object.keys(elt)[0];
          const saved = this.searchPath;
          this.searchPath = [body.schemaname, ...saved];
          this.dispatch(k, elt[k]);
          this.searchPath = saved;
        }
        return true;
      case 'VariableSetStmt':
        if (body.name === 'search_path') {
          this.searchPath = (body.args ?? []).map((a: any) => a.A_Const?.sval?.sval ?? '').filter((s: string) => s);
          return true;
        }
        return this.skip(kind);
      case 'SelectStmt':
        return this.select(body);
      case 'CreateStmt':
        this.createTable(body, 'table');
        return true;
      case 'CreateForeignTableStmt':
        this.createTable(body.base, 'foreign');
        return true;
      case 'AlterTableStmt':
        return this.alterTable(body);
      case 'IndexStmt':
        return this.createIndex(body);
      case 'CreateSeqStmt':
        this.createSequence(body);
        return true;
      case 'AlterSeqStmt':
        return this.alterSequence(body);
      case 'CreateTrigStmt':
        return this.createTrigger(body);
      case 'ViewStmt':
        this.createView(body.view, body.query, false);
        return true;
      case 'CreateTableAsStmt':
        if (body.objtype === 'OBJECT_MATVIEW') {
          this.createView(body.into.rel, body.query, true);
          return true;
        }
        return this.skip(kind, 'CREATE TABLE AS: the columns come from a query and cannot be read statically');
      case 'CreateEnumStmt':
        this.createType(body.typeName, 'enum', { labels: (body.vals ?? []).map((v: any) => v.String.sval) });
        return true;
      case 'CreateDomainStmt':
        this.createType(body.domainname, 'domain', { baseType: this.typeRef(body.typeName) });
        return true;
      case 'CompositeTypeStmt':
        this.createType(rangeVarNames(body.typevar), 'composite', {});
        return true;
      case 'CreateRangeStmt':
        this.createType(body.typeName, 'range', {});
        return true;
      case 'CreateExtensionStmt': {
        const schemaOpt = (body.options ?? []).find((o: any) => o.DefElem?.defname === 'schema');
        this.extensions.push({ name: body.extname, schema: schemaOpt?.DefElem?.arg?.String?.sval, location: this.here() });
        return true;
      }
      case 'CreateFunctionStmt':
        this.createFunction(body);
        return true;
      case 'CreatePolicyStmt':
        return this.createPolicy(body);
      case 'RuleStmt': {
        const t = this.tableOrSkip(kind, body.relation, 'rules');
        if (t) t.rules.push(body.rulename);
        return !!t;
      }
      case 'CopyStmt':
        return this.copy(body);
      case 'InsertStmt':
        return this.insert(body);
      case 'DropStmt':
        return this.drop(body);
      case 'RenameStmt':
        return this.rename(body);
      case 'AlterObjectSchemaStmt':
        return this.setSchema(body);
      case 'AlterEnumStmt':
        return this.alterEnum(body);
      case 'TruncateStmt':
      case 'UpdateStmt':
      case 'DeleteStmt':
      case 'MergeStmt':
        return this.skip(kind, 'a data change does not alter the schema');
      default:
        return this.skip(kind);
    }
  }

  private skip(kind: string, reason?: string): false {
    const why = reason ?? IRRELEVANT[kind];
    if (why) {
      this.skipped.push({ kind, location: this.here(), reason: why });
    } else {
      this.skipped.push({ kind, location: this.here(), reason: NOT_UNDERSTOOD });
      this.diagnostics.push({
        code: 'unsupported-statement',
        severity: 'info',
        message: `${kind} is not understood and was skipped`,
        location: this.here(),
      });
    }
    return false;
  }

  private here(location?: number): Location {
    const stmt = this.stmt;
    const script = this.script;
    if (!stmt || !script) return { file: '', line: 0, column: 0 };
    return location === undefined ? stmt.location : script.source.locate(nodeOffset(stmt, location));
  }

  // ---------------------------------------------------------------- names

  private creationSchema(schemaname?: string): string {
    if (schemaname) return schemaname;
    return this.searchPath.find((s) => s !== 'pg_catalog' && !s.startsWith('$')) ?? 'public';
  }

  private lookupSchemas(): string[] {
    const path = this.searchPath.filter((s) => !s.startsWith('$'));
    return path.length ? path : ['public'];
  }

  /** Resolve a relation name to a key the way PostgreSQL searches search_path. */
  resolveRelation(schemaname: string | undefined, relname: string): string {
    if (schemaname) return qualifiedKey(schemaname, relname);
    for (const s of this.lookupSchemas()) {
      const k = qualifiedKey(s, relname);
      if (this.tables.has(k) || this.views.has(k) || this.sequences.has(k)) return k;
    }
    for (const s of ['public']) {
      const k = qualifiedKey(s, relname);
      if (this.tables.has(k) || this.views.has(k) || this.sequences.has(k)) return k;
    }
    return qualifiedKey(this.creationSchema(), relname);
  }

  private keyOf(rv: RangeVar): string {
    return this.resolveRelation(rv.schemaname, rv.relname ?? '');
  }

  /** The table a statement names; when it names a view instead, the statement is recorded as skipped, with why. */
  private tableOrSkip(kind: string, rv: RangeVar | undefined, what: string): MTable | undefined {
    const t = this.lookupTable(rv);
    if (!t && rv && this.views.has(this.keyOf(rv))) this.skip(kind, `${what} on a view: the catalog tracks a view by the relations it reads only`);
    return t;
  }

  private lookupTable(rv: RangeVar | undefined, quiet = false): MTable | undefined {
    if (!rv) return undefined;
    const key = this.keyOf(rv);
    const t = this.tables.get(key);
    if (!t && !quiet && !this.views.has(key)) {
      this.diagnostics.push({
        code: 'unknown-object',
        severity: 'warning',
        message: `relation "${key}" does not exist at this point`,
        location: this.here(rv.location),
        hint: 'the statement refers to a table the schema has not created (yet); it was skipped',
      });
    }
    return t;
  }

  private resolveTypeKey(names: string[]): string | undefined {
    if (names.length >= 2) {
      const k = qualifiedKey(names[names.length - 2], names[names.length - 1]);
      return this.types.has(k) ? k : undefined;
    }
    for (const s of [...this.lookupSchemas(), 'public']) {
      const k = qualifiedKey(s, names[0]);
      if (this.types.has(k)) return k;
    }
    return undefined;
  }

  // ---------------------------------------------------------------- types

  typeRef(tn: TypeName | undefined): TypeRef {
    if (!tn) return { display: 'unknown', name: 'unknown', typmods: [], arrayDims: 0, base: 'unknown', kind: 'unknown' };
    const names = (tn.names ?? []).map((n: any) => n.String?.sval as string);
    const typmods = (tn.typmods ?? []).map((m: any) => m.A_Const?.ival?.ival ?? 0);
    const arrayDims = (tn.arrayBounds ?? []).length + (tn.pct_type ? 0 : 0);
    const suffix = '[]'.repeat(arrayDims);
    const isCatalog = names.length === 2 && names[0] === 'pg_catalog';
    const last = names[names.length - 1];
    const userKey = isCatalog ? undefined : this.resolveTypeKey(names);
    if (userKey) return userTypeRef(this.types.get(userKey)!, typmods, arrayDims);
    const canonical = names.length === 1 || isCatalog ? canonicalBuiltin(last) : undefined;
    if (canonical && (isBuiltinType(canonical) || isCatalog)) {
      // `char` written bare (not "char") is character(1)
      const mods = canonical === 'bpchar' && typmods.length === 0 && isCatalog ? [1] : typmods;
      return {
        display: formatBuiltin(canonical, mods) + suffix,
        name: canonical,
        typmods: mods,
        arrayDims,
        base: canonical,
        kind: isRangeType(canonical) ? 'range' : 'base',
      };
    }
    // An extension's type or one the schema does not define: kept as written.
    const written = names.filter((n) => n !== 'pg_catalog').join('.');
    const mods = typmods.length ? `(${typmods.join(',')})` : '';
    return { display: written + mods + suffix, name: written, typmods, arrayDims, base: written, kind: 'unknown' };
  }

  private createType(names: any[], kind: TypeDef['kind'], extra: Partial<TypeDef>): void {
    const parts = names.map((n: any) => (typeof n === 'string' ? n : n.String?.sval));
    const schema = parts.length > 1 ? parts[parts.length - 2] : this.creationSchema();
    const name = parts[parts.length - 1];
    const key = qualifiedKey(schema, name);
    this.types.set(key, { key, schema, name, kind, ...extra, location: this.here() });
  }

  // ---------------------------------------------------------------- tables

  private createTable(body: CreateStmt, relkind: 'table' | 'foreign'): void {
    const rv = body.relation!;
    const schema = this.creationSchema(rv.schemaname);
    const name = rv.relname!;
    const key = qualifiedKey(schema, name);
    if (this.tables.has(key) && body.if_not_exists) return;
    this.schemas.add(schema);
    const persistence = rv.relpersistence === 'u' ? 'unlogged' : rv.relpersistence === 't' ? 'temporary' : 'permanent';
    const t: MTable = {
      key,
      schema,
      name,
      relkind: body.partspec ? 'partitioned' : relkind,
      persistence,
      columns: [],
      uniques: [],
      checks: [],
      exclusions: [],
      foreignKeys: [],
      indexes: [],
      triggers: [],
      policies: [],
      rules: [],
      inherits: [],
      rowSecurity: false,
      location: this.here(rv.location),
    };
    if (body.accessMethod) t.accessMethod = body.accessMethod;
    this.tables.set(key, t);

    const parents = (body.inhRelations ?? []).map((n: any) => this.lookupTable(n.RangeVar)).filter(Boolean) as MTable[];
    if (body.partbound && parents[0]) {
      t.partitionOf = { parent: parents[0].key, bound: this.boundText(body.partbound) };
    } else {
      t.inherits = parents.map((p) => p.key);
    }
    // Inherited columns come first, in parent order (partitions take the parent's columns).
    for (const p of parents) {
      for (const c of p.columns) {
        if (!t.columns.some((x) => x.name === c.name)) {
          const copy: MColumn = { ...c, location: t.location };
          delete copy.identity; // identity is not inherited
          t.columns.push(copy);
        }
      }
      for (const ch of p.checks) if (!ch.noInherit) t.checks.push({ ...ch });
    }
    if (body.ofTypename) {
      this.diagnostics.push({ code: 'unsupported-statement', severity: 'info', message: `typed table ${key}: columns of the type are not expanded`, location: t.location });
    }
    const later: Array<() => void> = [];
    for (const elt of body.tableElts ?? []) {
      const e = elt as any;
      if (e.ColumnDef) this.addColumn(t, e.ColumnDef, later, !!body.partbound);
      else if (e.Constraint) later.push(() => this.addConstraint(t, e.Constraint));
      else if (e.TableLikeClause) this.likeClause(t, e.TableLikeClause);
    }
    for (const f of later) f();
    if (body.partspec) {
      const ps: any = body.partspec;
      const strategy = ps.strategy === 'PARTITION_STRATEGY_LIST' ? 'list' : ps.strategy === 'PARTITION_STRATEGY_HASH' ? 'hash' : 'range';
      const columns: string[] = [];
      const expressions: string[] = [];
      for (const pe of ps.partParams ?? []) {
        const el = pe.PartitionElem;
        if (el?.name) columns.push(el.name);
        else if (el?.expr) expressions.push(deparseNode(el.expr));
      }
      t.partitionBy = { strategy, columns, expressions };
    }
    if (t.partitionOf) this.inheritFromPartitionParent(t, this.tables.get(t.partitionOf.parent)!);
  }

  private boundText(bound: any): string {
    const pb = bound.PartitionBoundSpec ?? bound;
    if (pb.is_default) return 'DEFAULT';
    const vals = (list: any[] | undefined) => (list ?? []).map((v) => deparseNode(v)).join(', ');
    switch (pb.strategy) {
      case 'l':
        return `FOR VALUES IN (${vals(pb.listdatums)})`;
      case 'r':
        return `FOR VALUES FROM (${vals(pb.lowerdatums)}) TO (${vals(pb.upperdatums)})`;
      case 'h':
        return `FOR VALUES WITH (modulus ${pb.modulus}, remainder ${pb.remainder})`;
      default:
        return '';
    }
  }

  private likeClause(t: MTable, like: any): void {
    const src = this.lookupTable(like.relation);
    if (!src) return;
    const opts: number = like.options ?? 0;
    const ALL = 0x7fffffff;
    const INCLUDING_DEFAULTS = 1 << 3;
    const INCLUDING_IDENTITY = 1 << 6;
    for (const c of src.columns) {
      const copy: MColumn = { ...c, location: this.here(), serial: false };
      if (!(opts & INCLUDING_DEFAULTS) && opts !== ALL) {
        delete copy.default;
        delete copy.defaultSequence;
      }
      if (!(opts & INCLUDING_IDENTITY) && opts !== ALL) delete copy.identity;
      t.columns.push(copy);
    }
  }

  private addColumn(t: MTable, cd: ColumnDef, later: Array<() => void>, fromPartition: boolean): void {
    const names = (cd.typeName?.names ?? []).map((n: any) => n.String?.sval as string);
    const lastName = names[names.length - 1]?.toLowerCase();
    const isSerial = names.length === 1 && SERIAL_TYPES.has(lastName) && !(cd.typeName?.arrayBounds ?? []).length;
    const existing = t.columns.find((c) => c.name === cd.colname);
    const col: MColumn = existing ?? {
      name: cd.colname!,
      type: this.typeRef(cd.typeName),
      notNull: false,
      serial: false,
      location: this.here(cd.location),
    };
    if (!existing) {
      if (fromPartition && !cd.typeName) {
        // `PARTITION OF parent (col WITH OPTIONS ...)` on a column the parent lacks
        col.type = this.typeRef(undefined);
      }
      t.columns.push(col);
    }
    if (cd.is_not_null) col.notNull = true;
    if (cd.collClause) col.collation = ((cd.collClause as any).collname ?? []).map((n: any) => n.String?.sval).join('.');
    if (isSerial) {
      const seqName = chooseName(t.name, cd.colname!, 'seq', (n) => this.relationNameTaken(t.schema, n));
      const seqKey = qualifiedKey(t.schema, seqName);
      const dataType = lastName.startsWith('big') || lastName === 'serial8' ? 'bigint' : lastName.startsWith('small') || lastName === 'serial2' ? 'smallint' : 'integer';
      this.sequences.set(seqKey, { key: seqKey, schema: t.schema, name: seqName, dataType, ownedBy: { table: t.key, column: col.name }, location: col.location });
      col.notNull = true;
      col.default = `nextval('${seqKey === qualifiedKey('public', seqName) ? seqName : seqKey}'::regclass)`;
      col.defaultSequence = seqKey;
    }
    for (const c of cd.constraints ?? []) {
      const con = (c as any).Constraint as Constraint;
      if (!con) continue;
      this.columnConstraint(t, col, con, later);
    }
  }

  private columnConstraint(t: MTable, col: MColumn, con: Constraint, later: Array<() => void>): void {
    switch (con.contype) {
      case 'CONSTR_NOTNULL':
        col.notNull = true;
        return;
      case 'CONSTR_NULL':
        col.notNull = false;
        return;
      case 'CONSTR_DEFAULT':
        this.setDefault(col, con.raw_expr);
        return;
      case 'CONSTR_IDENTITY':
        this.setIdentity(t, col, con);
        return;
      case 'CONSTR_GENERATED':
        col.generated = {
          kind: (con as any).generated_kind === 'v' ? 'virtual' : 'stored',
          expression: con.raw_expr ? deparseNode(con.raw_expr) : '',
        };
        return;
      case 'CONSTR_PRIMARY':
      case 'CONSTR_UNIQUE':
      case 'CONSTR_CHECK':
      case 'CONSTR_FOREIGN':
      case 'CONSTR_EXCLUSION': {
        const withCols = { ...con } as any;
        if (con.contype === 'CONSTR_FOREIGN') withCols.fk_attrs = [{ String: { sval: col.name } }];
        else if (con.contype !== 'CONSTR_CHECK') withCols.keys = [{ String: { sval: col.name } }];
        later.push(() => this.addConstraint(t, withCols, col.name));
        return;
      }
      default:
        return; // DEFERRABLE etc. attach to the previous constraint in the grammar
    }
  }

  private setDefault(col: MColumn, expr: Node | undefined): void {
    if (!expr) {
      delete col.default;
      delete col.defaultSequence;
      return;
    }
    col.default = deparseNode(expr);
    const seq = nextvalSequence(expr);
    if (seq) col.defaultSequence = this.resolveRelationName(seq);
    else delete col.defaultSequence;
  }

  private resolveRelationName(text: string): string {
    const parts = splitQualified(text);
    return parts.length > 1 ? qualifiedKey(parts[parts.length - 2], parts[parts.length - 1]) : this.resolveRelation(undefined, parts[0]);
  }

  private setIdentity(t: MTable, col: MColumn, con: Constraint): void {
    const opt = (con.options ?? []).find((o: any) => o.DefElem?.defname === 'sequence_name') as any;
    let seqKey: string;
    if (opt) {
      const parts = (opt.DefElem.arg.List?.items ?? []).map((i: any) => i.String.sval);
      seqKey = parts.length > 1 ? qualifiedKey(parts[0], parts[1]) : qualifiedKey(t.schema, parts[0]);
    } else {
      seqKey = qualifiedKey(t.schema, chooseName(t.name, col.name, 'seq', (n) => this.relationNameTaken(t.schema, n)));
    }
    const { schema, name } = { schema: seqKey.slice(0, seqKey.indexOf('.')), name: seqKey.slice(seqKey.indexOf('.') + 1) };
    const dataType = col.type.base === 'int8' ? 'bigint' : col.type.base === 'int2' ? 'smallint' : 'integer';
    this.sequences.set(seqKey, { key: seqKey, schema, name, dataType, ownedBy: { table: t.key, column: col.name }, location: this.here() });
    col.identity = { kind: con.generated_when === 'a' ? 'always' : 'by default', sequence: seqKey };
    col.notNull = true;
  }

  private relationNameTaken(schema: string, name: string): boolean {
    const k = qualifiedKey(schema, name);
    return this.tables.has(k) || this.sequences.has(k) || this.views.has(k) || this.indexOwner.has(k);
  }

  private constraintNameTaken(t: MTable, name: string): boolean {
    return (
      t.primaryKey?.name === name ||
      t.uniques.some((u) => u.name === name) ||
      t.checks.some((c) => c.name === name) ||
      t.foreignKeys.some((f) => f.name === name) ||
      t.exclusions.some((x) => x.name === name) ||
      this.relationNameTaken(t.schema, name)
    );
  }

  /** Table-level constraint (or a column constraint rewritten to one). */
  private addConstraint(t: MTable, con: Constraint, columnName?: string): void {
    const location = this.here(con.location);
    const keys = (con.keys ?? []).map((k: any) => k.String.sval as string);
    let include = (con.including ?? []).map((k: any) => k.String.sval as string);
    // ADD CONSTRAINT ... USING INDEX: the index becomes the constraint's, renamed to the constraint's name.
    const adopted = (con as any).indexname ? t.indexes.find((i) => i.name === (con as any).indexname) : undefined;
    if (adopted) {
      if (!include.length) include = [...adopted.include];
      t.indexes = t.indexes.filter((i) => i !== adopted);
      t.uniques = t.uniques.filter((u) => !(u.source === 'index' && u.name === adopted.name));
      this.indexOwner.delete(qualifiedKey(t.schema, adopted.name));
    }
    const adoptedColumns = adopted ? (adopted.columns.filter((c) => c !== null) as string[]) : [];
    const deferrable = !!con.deferrable;
    switch (con.contype) {
      case 'CONSTR_PRIMARY': {
        const indexName = (con as any).indexname as string | undefined;
        const cols = keys.length ? keys : adoptedColumns;
        const name = con.conname ?? indexName ?? chooseName(t.name, undefined, 'pkey', (n) => this.constraintNameTaken(t, n));
        t.primaryKey = { name, columns: cols, include, deferrable, location };
        for (const c of cols) {
          const col = t.columns.find((x) => x.name === c);
          if (col) col.notNull = true;
        }
        this.addConstraintIndex(t, name, true, cols, include, location);
        if (t.relkind === 'partitioned' && this.stmt && inhOf(this.stmt)) this.propagate(t, (p) => this.addConstraint(p, { ...con, conname: undefined }));
        return;
      }
      case 'CONSTR_UNIQUE': {
        const indexName = (con as any).indexname as string | undefined;
        const cols = keys.length ? keys : adoptedColumns;
        const name = con.conname ?? indexName ?? chooseName(t.name, columnsPart(cols), 'key', (n) => this.constraintNameTaken(t, n));
        t.uniques.push({
          name,
          source: 'constraint',
          columns: cols,
          expressions: [],
          include,
          nullsNotDistinct: !!(con as any).nulls_not_distinct,
          deferrable,
          location,
        });
        this.addConstraintIndex(t, name, true, cols, include, location);
        if (t.relkind === 'partitioned' && this.stmt && inhOf(this.stmt)) this.propagate(t, (p) => this.addConstraint(p, { ...con, conname: undefined }));
        return;
      }
      case 'CONSTR_CHECK': {
        const expression = con.raw_expr ? deparseNode(con.raw_expr) : '';
        const firstCol = columnName ?? firstColumnRef(con.raw_expr);
        const name = con.conname ?? chooseName(t.name, firstCol, 'check', (n) => this.constraintNameTaken(t, n));
        t.checks.push({ name, expression, noInherit: !!con.is_no_inherit, notValid: !!con.skip_validation, location });
        return;
      }
      case 'CONSTR_FOREIGN': {
        const cols = (con.fk_attrs ?? []).map((k: any) => k.String.sval as string);
        const refKey = this.keyOf(con.pktable!);
        const refColumns = (con.pk_attrs ?? []).map((k: any) => k.String.sval as string);
        const name = con.conname ?? chooseName(t.name, columnsPart(cols), 'fkey', (n) => this.constraintNameTaken(t, n));
        const fk: Mutable<ForeignKey> = {
          name,
          columns: cols,
          refTable: refKey,
          refColumns,
          onDelete: FK_ACTIONS[con.fk_del_action ?? 'a'] ?? 'no action',
          onUpdate: FK_ACTIONS[con.fk_upd_action ?? 'a'] ?? 'no action',
          match: con.fk_matchtype === 'f' ? 'full' : con.fk_matchtype === 'p' ? 'partial' : 'simple',
          deferrable,
          initiallyDeferred: !!con.initdeferred,
          notValid: !!con.skip_validation,
          location,
        };
        t.foreignKeys.push(fk);
        if (t.relkind === 'partitioned') this.propagate(t, (p) => p.foreignKeys.push({ ...fk }));
        return;
      }
      case 'CONSTR_EXCLUSION': {
        const elements = (con.exclusions ?? []).map((pair: any) => {
          const [elem, ops] = pair.List.items;
          const ie = elem.IndexElem as IndexElem;
          const operator = (ops.List?.items ?? []).map((o: any) => o.String.sval).join('.');
          return ie.name ? { column: ie.name, operator } : { expression: ie.expr ? deparseNode(ie.expr) : '', operator };
        });
        const cols = elements.map((e: any) => e.column ?? null);
        const name = con.conname ?? chooseName(t.name, columnsPart(cols), 'excl', (n) => this.constraintNameTaken(t, n));
        const where = con.where_clause ? deparseNode(con.where_clause) : undefined;
        t.exclusions.push({ name, method: con.access_method ?? 'gist', elements, where, location });
        this.addConstraintIndex(t, name, false, cols, [], location, con.access_method ?? 'gist');
        return;
      }
      case 'CONSTR_NOTNULL': {
        for (const k of keys) {
          const col = t.columns.find((c) => c.name === k);
          if (col) col.notNull = true;
        }
        return;
      }
      default:
        return;
    }
  }

  private addConstraintIndex(t: MTable, name: string, unique: boolean, columns: Array<string | null>, include: string[], location: Location, method = 'btree'): void {
    const existing = t.indexes.findIndex((i) => i.name === name);
    const idx: Index = { name, unique, method, columns, expressions: [], include, constraint: name, location };
    if (existing >= 0) t.indexes[existing] = idx;
    else t.indexes.push(idx);
    this.indexOwner.set(qualifiedKey(t.schema, name), t.key);
  }

  /** Apply to each partition (PostgreSQL clones PK/UNIQUE/FK down to partitions). */
  private propagate(parent: MTable, f: (child: MTable) => void): void {
    for (const child of this.tables.values()) if (child.partitionOf?.parent === parent.key) f(child);
  }

  private inheritFromPartitionParent(child: MTable, parent: MTable): void {
    for (const c of child.columns) {
      const pc = parent.columns.find((x) => x.name === c.name);
      if (pc?.notNull) c.notNull = true;
    }
    if (parent.primaryKey && !child.primaryKey) {
      const name = chooseName(child.name, undefined, 'pkey', (n) => this.constraintNameTaken(child, n));
      child.primaryKey = { ...parent.primaryKey, name };
      this.addConstraintIndex(child, name, true, parent.primaryKey.columns, parent.primaryKey.include, child.location);
    }
    for (const u of parent.uniques) {
      if (child.uniques.some((x) => sameColumns(x.columns, u.columns))) continue;
      const name = chooseName(child.name, columnsPart(u.columns), u.source === 'constraint' ? 'key' : 'idx', (n) => this.constraintNameTaken(child, n));
      child.uniques.push({ ...u, name });
    }
    for (const fk of parent.foreignKeys) {
      if (!child.foreignKeys.some((x) => x.name === fk.name)) child.foreignKeys.push({ ...fk });
    }
    for (const trg of parent.triggers) {
      if (trg.level === 'row' && !child.triggers.some((x) => x.name === trg.name)) child.triggers.push({ ...trg });
    }
  }

  // ---------------------------------------------------------------- ALTER TABLE

  private alterTable(body: AlterTableStmt): boolean {
    const objtype = body.objtype;
    const subtypes = (body.cmds ?? []).map((c: any) => (c.AlterTableCmd as AlterTableCmd).subtype);
    const ownerOnly = subtypes.length > 0 && subtypes.every((x) => x === 'AT_ChangeOwner');
    if (objtype === 'OBJECT_TYPE') return this.skip('AlterTableStmt', 'attributes of a composite type are not tracked: they do not affect distribution');
    if (objtype === 'OBJECT_INDEX') {
      if (subtypes.every((x) => x === 'AT_AttachPartition')) return this.skip('AlterTableStmt', 'attaching a partition index changes no column set');
      return this.skip('AlterTableStmt', 'index storage, tablespace and statistics settings do not affect distribution');
    }
    if (objtype === 'OBJECT_SEQUENCE' || objtype === 'OBJECT_VIEW' || objtype === 'OBJECT_MATVIEW') {
      if (ownerOnly) return true; // ownership: no bearing, nothing to record
      return this.skip('AlterTableStmt', objtype === 'OBJECT_SEQUENCE' ? 'sequence storage and persistence do not affect distribution' : 'view options, column defaults and storage do not affect distribution');
    }
    const rel = this.findRelation(body.relation);
    if (rel && rel.kind !== 'table') {
      // ALTER TABLE also accepts views, sequences and indexes (for compatibility, as PostgreSQL does).
      if (ownerOnly) return true;
      return this.skip('AlterTableStmt', `ALTER TABLE on ${article(rel.kind)}: its options, defaults and storage do not affect distribution`);
    }
    const t = rel ? this.tables.get(rel.key) : undefined;
    if (!t) {
      if (body.missing_ok) return this.skip('AlterTableStmt', 'IF EXISTS: the table does not exist at this point');
      this.lookupTable(body.relation); // reports the unknown relation
      return false;
    }
    for (const c of body.cmds ?? []) this.alterCmd(t, (c as any).AlterTableCmd as AlterTableCmd, body.relation?.inh === true);
    return true;
  }

  private alterCmd(t: MTable, cmd: AlterTableCmd, inh: boolean): void {
    const col = cmd.name ? t.columns.find((c) => c.name === cmd.name) : undefined;
    const def: any = cmd.def;
    switch (cmd.subtype) {
      case 'AT_AddColumn': {
        const later: Array<() => void> = [];
        const cd = def.ColumnDef as ColumnDef;
        if (cmd.missing_ok && t.columns.some((c) => c.name === cd.colname)) return;
        this.addColumn(t, cd, later, false);
        for (const f of later) f();
        if (inh) for (const p of descendants(this.state, t)) if (!p.columns.some((c) => c.name === cd.colname)) p.columns.push({ ...t.columns[t.columns.length - 1] });
        return;
      }
      case 'AT_DropColumn':
        // Inheritance children and partitions lose the inherited column too (not with ONLY).
        for (const x of [t, ...(inh ? descendants(this.state, t) : [])]) this.dropColumn(x, cmd.name!);
        return;
      case 'AT_ColumnDefault':
        for (const c of this.columnAndInherited(t, cmd.name, inh)) this.setDefault(c, def ?? undefined);
        return;
      case 'AT_SetNotNull':
        for (const c of this.columnAndInherited(t, cmd.name, inh)) c.notNull = true;
        return;
      case 'AT_DropNotNull':
        for (const c of this.columnAndInherited(t, cmd.name, inh)) c.notNull = false;
        return;
      case 'AT_AddIdentity':
        if (col) this.setIdentity(t, col, def.Constraint as Constraint);
        return;
      case 'AT_SetIdentity':
        for (const o of def?.List?.items ?? []) {
          const d = o.DefElem;
          // ALTER COLUMN ... SET GENERATED { ALWAYS | BY DEFAULT }: 'a' or 'd' as a char code
          if (d?.defname === 'generated' && col?.identity) col.identity = { ...col.identity, kind: d.arg?.Integer?.ival === 97 ? 'always' : 'by default' };
        }
        return;
      case 'AT_DropIdentity':
        if (col?.identity) {
          // the identity sequence is an internal part of the column: it goes too
          this.sequences.delete(col.identity.sequence);
          delete col.identity;
        }
        return;
      case 'AT_DropExpression':
        for (const c of this.columnAndInherited(t, cmd.name, true)) delete c.generated;
        return;
      case 'AT_AlterColumnType': {
        // Always recurses: an inherited column must have the parent's type.
        const cd = def?.ColumnDef;
        if (!col || !cd?.typeName) return;
        const type = this.typeRef(cd.typeName);
        const collation = cd.collClause ? ((cd.collClause as any).collname ?? []).map((n: any) => n.String?.sval).join('.') : undefined;
        for (const c of this.columnAndInherited(t, cmd.name, true)) {
          c.type = type;
          // without COLLATE the column takes the new type's default collation
          if (collation) c.collation = collation;
          else delete c.collation;
          // an identity column's sequence follows the column's type
          const seq = c.identity ? this.sequences.get(c.identity.sequence) : undefined;
          if (seq && ['int2', 'int4', 'int8'].includes(type.base) && !type.arrayDims) seq.dataType = integerTypeName(type.base);
        }
        return;
      }
      case 'AT_ValidateConstraint':
        for (const x of [t, ...descendants(this.state, t)]) {
          x.checks = x.checks.map((c) => (c.name === cmd.name ? { ...c, notValid: false } : c));
          for (const f of x.foreignKeys) if (f.name === cmd.name) f.notValid = false;
        }
        return;
      case 'AT_AlterConstraint': {
        const ac = def?.ATAlterConstraint ?? def?.Constraint;
        if (!ac?.conname || (def?.ATAlterConstraint && !ac.alterDeferrability)) return;
        for (const x of [t, ...descendants(this.state, t)]) {
          for (const f of x.foreignKeys) {
            if (f.name !== ac.conname) continue;
            f.deferrable = !!ac.deferrable;
            f.initiallyDeferred = !!ac.initdeferred;
          }
        }
        return;
      }
      case 'AT_AddConstraint': {
        const con = def.Constraint as Constraint;
        const savedInh = inh;
        void savedInh;
        this.addConstraint(t, con);
        return;
      }
      case 'AT_DropConstraint': {
        const n = cmd.name!;
        const pk = t.primaryKey?.name === n ? t.primaryKey : undefined;
        const unique = t.uniques.find((u) => u.source === 'constraint' && u.name === n);
        const fk = t.foreignKeys.some((f) => f.name === n);
        const check = t.checks.find((c) => c.name === n);
        this.dropConstraint(t, n);
        // The clones PostgreSQL made on partitions go with the parent's constraint,
        // and so do the CHECKs children inherited (not with ONLY).
        for (const d of descendants(this.state, t)) {
          if (d.partitionOf) {
            if (pk && d.primaryKey && sameColumns(d.primaryKey.columns, pk.columns)) this.dropConstraint(d, d.primaryKey.name);
            const du = unique && d.uniques.find((u) => u.source === 'constraint' && sameColumns(u.columns, unique.columns));
            if (du) this.dropConstraint(d, du.name);
            if (fk) d.foreignKeys = d.foreignKeys.filter((f) => f.name !== n);
          }
          if (check && !check.noInherit && inh) d.checks = d.checks.filter((c) => c.name !== n);
        }
        return;
      }
      case 'AT_AttachPartition': {
        const child = this.lookupTable(def.PartitionCmd.name);
        if (!child) return;
        child.partitionOf = { parent: t.key, bound: this.boundText(def.PartitionCmd.bound) };
        child.inherits = [];
        this.inheritFromPartitionParent(child, t);
        return;
      }
      case 'AT_DetachPartition': {
        const child = this.lookupTable(def.PartitionCmd.name);
        if (child) delete child.partitionOf;
        return;
      }
      case 'AT_AddInherit': {
        const parent = this.lookupTable(def.RangeVar);
        if (parent) t.inherits.push(parent.key);
        return;
      }
      case 'AT_DropInherit': {
        const parent = this.lookupTable(def.RangeVar, true);
        if (parent) t.inherits = t.inherits.filter((k) => k !== parent.key);
        return;
      }
      case 'AT_EnableRowSecurity':
      case 'AT_ForceRowSecurity':
        t.rowSecurity = true;
        return;
      case 'AT_DisableRowSecurity':
        t.rowSecurity = false;
        return;
      case 'AT_ReplicaIdentity':
        t.replicaIdentity = def?.ReplicaIdentityStmt?.identity_type ?? undefined;
        return;
      case 'AT_SetLogged':
        t.persistence = 'permanent';
        return;
      case 'AT_SetUnLogged':
        t.persistence = 'unlogged';
        return;
      case 'AT_SetAccessMethod':
        t.accessMethod = cmd.name ?? undefined;
        return;
      default:
        return; // owner, storage, statistics, options, cluster, triggers enable/disable: no bearing
    }
  }

  /** The named column of `t`, and with `recurse` the same column of every child that inherits it. */
  private columnAndInherited(t: MTable, name: string | undefined, recurse: boolean): MColumn[] {
    if (!name) return [];
    const out: MColumn[] = [];
    for (const x of [t, ...(recurse ? descendants(this.state, t) : [])]) {
      const c = x.columns.find((y) => y.name === name);
      if (c) out.push(c);
    }
    return out;
  }

  /** DROP COLUMN: the column and what PostgreSQL drops with it (indexes, constraints, owned sequences, FKs that reference it). */
  private dropColumn(t: MTable, name: string): void {
    if (!t.columns.some((c) => c.name === name)) return;
    t.columns = t.columns.filter((c) => c.name !== name);
    const gone = t.indexes.filter((i) => i.columns.includes(name) || i.include.includes(name));
    for (const i of gone) this.indexOwner.delete(qualifiedKey(t.schema, i.name));
    t.indexes = t.indexes.filter((i) => !gone.includes(i));
    t.uniques = t.uniques.filter((u) => !u.columns.includes(name) && !u.include.includes(name));
    t.foreignKeys = t.foreignKeys.filter((f) => !f.columns.includes(name));
    t.exclusions = t.exclusions.filter((x) => !x.elements.some((e) => e.column === name));
    if (t.primaryKey && (t.primaryKey.columns.includes(name) || t.primaryKey.include.includes(name))) delete t.primaryKey;
    for (const other of this.tables.values()) other.foreignKeys = other.foreignKeys.filter((f) => !(f.refTable === t.key && f.refColumns.includes(name)));
    for (const [k, seq] of [...this.sequences]) if (seq.ownedBy?.table === t.key && seq.ownedBy.column === name) this.sequences.delete(k);
  }

  private dropConstraint(t: MTable, n: string): void {
    if (t.primaryKey?.name === n) delete t.primaryKey;
    t.uniques = t.uniques.filter((u) => !(u.source === 'constraint' && u.name === n));
    t.checks = t.checks.filter((u) => u.name !== n);
    t.foreignKeys = t.foreignKeys.filter((u) => u.name !== n);
    t.exclusions = t.exclusions.filter((u) => u.name !== n);
    for (const i of t.indexes) if (i.constraint === n) this.indexOwner.delete(qualifiedKey(t.schema, i.name));
    t.indexes = t.indexes.filter((i) => i.constraint !== n);
  }

  // ---------------------------------------------------------------- indexes

  private createIndex(body: IndexStmt): boolean {
    const t = this.tableOrSkip('IndexStmt', body.relation, 'indexes');
    if (!t) return false;
    const columns: Array<string | null> = [];
    const expressions: string[] = [];
    for (const p of body.indexParams ?? []) {
      const ie = (p as any).IndexElem as IndexElem;
      if (ie.name) columns.push(ie.name);
      else {
        columns.push(null);
        expressions.push(ie.expr ? deparseNode(ie.expr) : '');
      }
    }
    const include = (body.indexIncludingParams ?? []).map((p: any) => p.IndexElem?.name as string).filter(Boolean);
    const where = body.whereClause ? deparseNode(body.whereClause) : undefined;
    const label = body.primary ? 'pkey' : body.unique ? 'key' : 'idx';
    const colPart = columnsPart(columns.map((c, i) => c ?? (expressions[i] ? 'expr' : null)));
    const name = body.idxname ?? chooseName(t.name, body.primary ? undefined : colPart, label, (n) => this.relationNameTaken(t.schema, n));
    if (body.if_not_exists && t.indexes.some((i) => i.name === name)) return true;
    const location = this.here(body.relation?.location);
    t.indexes.push({ name, unique: !!body.unique, method: body.accessMethod ?? 'btree', columns, expressions, include, where, location });
    this.indexOwner.set(qualifiedKey(t.schema, name), t.key);
    if (body.unique) {
      t.uniques.push({
        name,
        source: 'index',
        columns,
        expressions,
        include,
        where,
        nullsNotDistinct: !!body.nulls_not_distinct,
        deferrable: false,
        location,
      });
    }
    // CREATE INDEX on a partitioned table (without ONLY) creates one on each partition.
    if (t.relkind === 'partitioned' && body.relation?.inh === true) {
      this.propagate(t, (p) => {
        const pname = chooseName(p.name, colPart, label === 'pkey' ? 'key' : label, (n) => this.relationNameTaken(p.schema, n));
        p.indexes.push({ name: pname, unique: !!body.unique, method: body.accessMethod ?? 'btree', columns, expressions, include, where, location });
        this.indexOwner.set(qualifiedKey(p.schema, pname), p.key);
        if (body.unique) p.uniques.push({ name: pname, source: 'index', columns, expressions, include, where, nullsNotDistinct: !!body.nulls_not_distinct, deferrable: false, location });
      });
    }
    return true;
  }

  // ---------------------------------------------------------------- sequences

  private createSequence(body: any): void {
    const rv = body.sequence as RangeVar;
    const schema = this.creationSchema(rv.schemaname);
    const key = qualifiedKey(schema, rv.relname!);
    if (this.sequences.has(key) && body.if_not_exists) return;
    let dataType = 'bigint';
    let ownedBy: Sequence['ownedBy'];
    for (const o of body.options ?? []) {
      const d = o.DefElem;
      if (d?.defname === 'as') dataType = this.typeRef(d.arg.TypeName).display;
      if (d?.defname === 'owned_by') ownedBy = this.ownedBy(d.arg);
    }
    this.sequences.set(key, { key, schema, name: rv.relname!, dataType, ownedBy, location: this.here(rv.location) });
  }

  private ownedBy(arg: any): Sequence['ownedBy'] {
    const parts = (arg?.List?.items ?? []).map((i: any) => i.String.sval as string);
    if (parts.length < 2 || (parts.length === 1 && parts[0] === 'none')) return undefined;
    const column = parts[parts.length - 1];
    const table = parts.length > 2 ? qualifiedKey(parts[parts.length - 3], parts[parts.length - 2]) : this.resolveRelation(undefined, parts[0]);
    return { table, column };
  }

  private alterSequence(body: any): boolean {
    const rv = body.sequence as RangeVar;
    const key = this.keyOf(rv);
    const seq = this.sequences.get(key);
    if (!seq) {
      if (body.missing_ok) return this.skip('AlterSeqStmt', `IF EXISTS: sequence "${key}" does not exist at this point`);
      this.lookupTable(rv); // reports the unknown object
      return false;
    }
    let touched = false;
    for (const o of body.options ?? []) {
      const d = o.DefElem;
      if (d?.defname === 'owned_by') {
        seq.ownedBy = this.ownedBy(d.arg);
        touched = true;
      } else if (d?.defname === 'as') {
        seq.dataType = this.typeRef(d.arg.TypeName).display;
        touched = true;
      }
    }
    return touched ? true : this.skip('AlterSeqStmt');
  }

  // ---------------------------------------------------------------- triggers, views, functions, policies

  private createTrigger(body: any): boolean {
    const t = this.tableOrSkip('CreateTrigStmt', body.relation, 'triggers');
    if (!t) return false;
    const timingBits: number = body.timing ?? 0;
    const timing = timingBits & 2 ? 'before' : timingBits & 64 ? 'instead of' : 'after';
    const ev: number = body.events ?? 0;
    const events: Trigger['events'] = [];
    if (ev & 4) events.push('insert');
    if (ev & 8) events.push('delete');
    if (ev & 16) events.push('update');
    if (ev & 32) events.push('truncate');
    const fn = (body.funcname ?? []).map((n: any) => n.String.sval).join('.');
    const name = body.trigname as string;
    const trigger: Trigger = { name, timing, events, level: body.row ? 'row' : 'statement', function: fn, constraint: !!body.isconstraint, location: this.here() };
    const add = (on: MTable) => {
      if (body.replace) on.triggers = on.triggers.filter((x) => x.name !== name);
      on.triggers.push(trigger);
    };
    add(t);
    // PostgreSQL clones a row-level trigger of a partitioned table onto every partition.
    if (t.relkind === 'partitioned' && trigger.level === 'row') this.propagate(t, add);
    return true;
  }

  private createView(rv: RangeVar, query: Node, materialized: boolean): void {
    const schema = this.creationSchema(rv.schemaname);
    const key = qualifiedKey(schema, rv.relname!);
    const reads = new Set<string>();
    collectRangeVars(query, new Set(), (r) => reads.add(this.keyOf(r)));
    this.views.set(key, { key, schema, name: rv.relname!, materialized, reads: [...reads].sort(), location: this.here(rv.location) });
  }

  private createFunction(body: any): void {
    const parts = (body.funcname ?? []).map((n: any) => n.String.sval as string);
    const key = parts.length > 1 ? qualifiedKey(parts[0], parts[1]) : qualifiedKey(this.creationSchema(), parts[0]);
    let volatility: FunctionDef['volatility'] = 'volatile';
    let language = 'sql';
    for (const o of body.options ?? []) {
      const d = o.DefElem;
      if (d?.defname === 'volatility') volatility = d.arg.String.sval;
      if (d?.defname === 'language') language = d.arg.String.sval;
    }
    const rt = (body.returnType?.names ?? []).map((n: any) => n.String.sval);
    this.functions.set(key, { key, volatility, language, returnsTrigger: rt[rt.length - 1] === 'trigger', location: this.here() });
  }

  private createPolicy(body: any): boolean {
    const t = this.lookupTable(body.table);
    if (!t) return false;
    const hasSub = (n: unknown) => JSON.stringify(n ?? null).includes('"SubLink"');
    t.policies.push({
      name: body.policy_name,
      command: body.cmd_name ?? 'all',
      using: body.qual ? deparseNode(body.qual) : undefined,
      check: body.with_check ? deparseNode(body.with_check) : undefined,
      hasSubquery: hasSub(body.qual) || hasSub(body.with_check),
      location: this.here(),
    });
    return true;
  }

  // ---------------------------------------------------------------- data, SELECT, DROP

  private select(body: any): boolean {
    const targets = body.targetList ?? [];
    for (const tgt of targets) {
      const fc = tgt.ResTarget?.val?.FuncCall;
      const fname = fc?.funcname?.map((n: any) => n.String.sval).join('.');
      if (fname && /(^|\.)set_config$/.test(fname)) {
        const [name, value] = (fc.args ?? []).map((a: any) => a.A_Const?.sval?.sval);
        if (name === 'search_path' && typeof value === 'string') {
          // read as PostgreSQL reads it (quoted names kept, bare ones folded), as the workload reader does
          const path = splitIdentifierList(value);
          if (path) this.searchPath = path;
          return true;
        }
      }
    }
    return this.skip('SelectStmt', 'a query does not change the schema');
  }

  private copy(body: any): boolean {
    if (!body.is_from || body.filename) return this.skip('CopyStmt', 'COPY to or from a server file is not read');
    const t = this.lookupTable(body.relation);
    if (!t || !this.stmt || !this.script) return false;
    const block = this.script.copyBlocks.find((b) => b.statementStartByte <= this.stmt!.startByte && this.stmt!.endByte <= b.statementEndByte);
    if (!block) return this.skip('CopyStmt', 'COPY FROM STDIN without inline data');
    const columns = (body.attlist ?? []).map((a: any) => a.String.sval as string);
    this.data.push({
      table: t.key,
      kind: 'copy',
      file: this.script.source.file,
      columns: columns.length ? columns : t.columns.filter((c) => !c.generated).map((c) => c.name),
      startByte: block.dataStartByte,
      endByte: block.dataEndByte,
      location: this.script.source.locate(block.dataStartByte),
    });
    return true;
  }

  private insert(body: any): boolean {
    const t = this.lookupTable(body.relation);
    if (!t || !this.stmt || !this.script) return false;
    const columns = (body.cols ?? []).map((c: any) => c.ResTarget.name as string);
    this.data.push({
      table: t.key,
      kind: 'insert',
      file: this.script.source.file,
      columns: columns.length ? columns : t.columns.filter((c) => !c.generated).map((c) => c.name),
      startByte: this.stmt.startByte,
      endByte: this.stmt.endByte,
      location: this.stmt.location,
    });
    return true;
  }

  private drop(body: any): boolean {
    const type = body.removeType as string;
    for (const obj of body.objects ?? []) {
      const parts: string[] = (obj.List?.items ?? [obj]).map((i: any) => i.String?.sval).filter(Boolean);
      if (!parts.length) continue;
      const key = parts.length > 1 ? qualifiedKey(parts[parts.length - 2], parts[parts.length - 1]) : this.resolveRelation(undefined, parts[0]);
      switch (type) {
        case 'OBJECT_TABLE':
        case 'OBJECT_FOREIGN_TABLE':
          this.dropTable(key);
          break;
        case 'OBJECT_VIEW':
        case 'OBJECT_MATVIEW':
          this.views.delete(key);
          break;
        case 'OBJECT_SEQUENCE':
          this.sequences.delete(key);
          break;
        case 'OBJECT_INDEX': {
          const owner = this.indexOwner.get(key);
          const t = owner ? this.tables.get(owner) : undefined;
          const name = key.slice(key.indexOf('.') + 1);
          if (t) {
            t.indexes = t.indexes.filter((i) => i.name !== name);
            t.uniques = t.uniques.filter((u) => !(u.source === 'index' && u.name === name));
          }
          this.indexOwner.delete(key);
          break;
        }
        case 'OBJECT_TRIGGER': {
          // DROP TRIGGER name ON table: objects = [table parts..., trigger]
          const trig = parts[parts.length - 1];
          const tkey = parts.length > 2 ? qualifiedKey(parts[0], parts[1]) : this.resolveRelation(undefined, parts[0]);
          const t = this.tables.get(tkey);
          if (t) t.triggers = t.triggers.filter((x) => x.name !== trig);
          break;
        }
        case 'OBJECT_TYPE':
        case 'OBJECT_DOMAIN':
          this.types.delete(key);
          break;
        default:
          break;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- RENAME, SET SCHEMA, enum values

  /** DROP TABLE: with it go its partitions, its indexes, the sequences its columns own and the FKs that reference it. */
  private dropTable(key: string): void {
    const t = this.tables.get(key);
    if (!t) return;
    for (const p of [...this.tables.values()]) if (p.partitionOf?.parent === key) this.dropTable(p.key);
    this.tables.delete(key);
    for (const other of this.tables.values()) other.foreignKeys = other.foreignKeys.filter((f) => f.refTable !== key);
    for (const [k, owner] of [...this.indexOwner]) if (owner === key) this.indexOwner.delete(k);
    for (const [k, seq] of [...this.sequences]) if (seq.ownedBy?.table === key) this.sequences.delete(k);
  }

  private rename(body: any): boolean {
    const to = body.newname as string;
    const type = body.renameType as string;
    switch (type) {
      case 'OBJECT_TABLE':
      case 'OBJECT_FOREIGN_TABLE':
      case 'OBJECT_SEQUENCE':
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW':
      case 'OBJECT_INDEX': {
        // PostgreSQL lets ALTER TABLE / ALTER INDEX ... RENAME name any kind of relation.
        const rel = this.findRelation(body.relation);
        if (!rel) return this.missingRelation('RenameStmt', body);
        switch (rel.kind) {
          case 'table':
            moveTable(this.state, this.tables.get(rel.key)!, this.tables.get(rel.key)!.schema, to, false);
            return true;
          case 'view':
            moveView(this.state, rel.key, this.views.get(rel.key)!.schema, to);
            return true;
          case 'sequence':
            moveSequence(this.state, rel.key, this.sequences.get(rel.key)!.schema, to);
            return true;
          case 'index':
            renameIndex(this.state, this.tables.get(this.indexOwner.get(rel.key)!)!, body.relation.relname, to);
            return true;
        }
        return true;
      }
      case 'OBJECT_COLUMN': {
        const rel = this.findRelation(body.relation);
        if (!rel) return this.missingRelation('RenameStmt', body);
        if (rel.kind === 'view') return this.skip('RenameStmt', 'columns of a view are not tracked: the catalog records what a view reads, not its columns');
        if (rel.kind !== 'table') return this.skip('RenameStmt', `columns of ${article(rel.kind)} are not tracked`);
        const t = this.tables.get(rel.key)!;
        if (renameColumn(this.state, t, body.subname, to)) return true;
        return this.unknownObject(`column "${body.subname}" of relation "${t.key}" does not exist at this point`);
      }
      case 'OBJECT_TABCONSTRAINT': {
        const t = this.tableFor('RenameStmt', body);
        if (!t) return false;
        if (renameConstraint(this.state, t, body.subname, to)) return true;
        return this.unknownObject(`constraint "${body.subname}" of relation "${t.key}" does not exist at this point`);
      }
      case 'OBJECT_TRIGGER': {
        const t = this.tableFor('RenameStmt', body);
        if (!t) return false;
        if (renameTrigger(this.state, t, body.subname, to)) return true;
        return this.unknownObject(`trigger "${body.subname}" on "${t.key}" does not exist at this point`);
      }
      case 'OBJECT_POLICY': {
        const t = this.tableFor('RenameStmt', body);
        if (!t) return false;
        t.policies = t.policies.map((p) => (p.name === body.subname ? { ...p, name: to } : p));
        return true;
      }
      case 'OBJECT_RULE': {
        const t = this.tableFor('RenameStmt', body);
        if (!t) return false;
        t.rules = t.rules.map((r) => (r === body.subname ? to : r));
        return true;
      }
      case 'OBJECT_TYPE':
      case 'OBJECT_DOMAIN': {
        const names = objectNames(body.object);
        const key = this.resolveTypeKey(names);
        if (!key) return this.skip('RenameStmt', `type "${names.join('.')}" is not one the schema defines (a base or extension type): its name is not tracked`);
        moveType(this.state, key, this.types.get(key)!.schema, to);
        return true;
      }
      case 'OBJECT_SCHEMA':
        renameSchema(this.state, body.subname, to);
        return true;
      case 'OBJECT_FUNCTION':
      case 'OBJECT_PROCEDURE':
      case 'OBJECT_ROUTINE': {
        const key = this.resolveFunctionKey(objectNames(body.object?.ObjectWithArgs?.objname));
        if (!key) return this.skip('RenameStmt', 'the function is not one the schema defines: its name is not tracked');
        moveFunction(this.state, key, key.slice(0, key.indexOf('.')), to);
        return true;
      }
      case 'OBJECT_ATTRIBUTE':
        return this.skip('RenameStmt', 'attributes of a composite type are not tracked: they do not affect distribution');
      case 'OBJECT_DOMCONSTRAINT':
        return this.skip('RenameStmt', 'domain constraints are not tracked: they do not affect distribution');
      default:
        return this.skip('RenameStmt', `renaming ${describeObject(type)} does not affect distribution`);
    }
  }

  private setSchema(body: any): boolean {
    const schema = body.newschema as string;
    const type = body.objectType as string;
    switch (type) {
      case 'OBJECT_TABLE':
      case 'OBJECT_FOREIGN_TABLE':
      case 'OBJECT_SEQUENCE':
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW': {
        const rel = this.findRelation(body.relation);
        if (!rel) return this.missingRelation('AlterObjectSchemaStmt', body);
        switch (rel.kind) {
          case 'table': {
            // indexes, constraints, triggers and owned sequences go with it (AlterTableNamespace)
            const t = this.tables.get(rel.key)!;
            moveTable(this.state, t, schema, t.name, true);
            return true;
          }
          case 'view':
            moveView(this.state, rel.key, schema, this.views.get(rel.key)!.name);
            return true;
          case 'sequence': {
            const seq = this.sequences.get(rel.key)!;
            if (seq.ownedBy) {
              return this.skip(
                'AlterObjectSchemaStmt',
                `PostgreSQL refuses to move sequence "${seq.key}" on its own ("cannot move an owned sequence into another schema"): it moves with table "${seq.ownedBy.table}"`,
              );
            }
            moveSequence(this.state, rel.key, schema, seq.name);
            return true;
          }
          case 'index':
            return this.skip('AlterObjectSchemaStmt', 'an index always lives in its table\'s schema: PostgreSQL refuses to move it on its own');
        }
        return true;
      }
      case 'OBJECT_TYPE':
      case 'OBJECT_DOMAIN': {
        const names = objectNames(body.object);
        const key = this.resolveTypeKey(names);
        if (!key) return this.skip('AlterObjectSchemaStmt', `type "${names.join('.')}" is not one the schema defines (a base or extension type): its schema is not tracked`);
        moveType(this.state, key, schema, this.types.get(key)!.name);
        return true;
      }
      case 'OBJECT_FUNCTION':
      case 'OBJECT_PROCEDURE':
      case 'OBJECT_ROUTINE': {
        const key = this.resolveFunctionKey(objectNames(body.object?.ObjectWithArgs?.objname));
        if (!key) return this.skip('AlterObjectSchemaStmt', 'the function is not one the schema defines: its schema is not tracked');
        moveFunction(this.state, key, schema, key.slice(key.indexOf('.') + 1));
        return true;
      }
      case 'OBJECT_EXTENSION': {
        const name = body.object?.String?.sval;
        const i = this.extensions.findIndex((e) => e.name === name);
        if (i < 0) return this.skip('AlterObjectSchemaStmt', `extension "${name}" is not created by the schema read: its schema is not tracked`);
        this.extensions[i] = { ...this.extensions[i], schema };
        return true;
      }
      default:
        return this.skip('AlterObjectSchemaStmt', `moving ${describeObject(type)} to another schema does not affect distribution`);
    }
  }

  /** ALTER TYPE ... ADD VALUE [IF NOT EXISTS] [BEFORE | AFTER], ALTER TYPE ... RENAME VALUE. */
  private alterEnum(body: any): boolean {
    const names = objectNames(body.typeName);
    const key = this.resolveTypeKey(names);
    const def = key ? this.types.get(key) : undefined;
    if (!key || !def || def.kind !== 'enum') return this.unknownObject(`enum type "${names.join('.')}" does not exist at this point`);
    const labels = [...(def.labels ?? [])];
    const newVal = body.newVal as string;
    if (body.oldVal !== undefined) {
      const i = labels.indexOf(body.oldVal);
      if (i < 0) return this.unknownObject(`"${body.oldVal}" is not a label of enum type "${key}"`);
      labels[i] = newVal;
    } else {
      if (labels.includes(newVal)) return true; // IF NOT EXISTS (PostgreSQL refuses it otherwise)
      if (body.newValNeighbor !== undefined) {
        const i = labels.indexOf(body.newValNeighbor);
        if (i < 0) return this.unknownObject(`"${body.newValNeighbor}" is not a label of enum type "${key}"`);
        labels.splice(body.newValIsAfter ? i + 1 : i, 0, newVal);
      } else {
        labels.push(newVal);
      }
    }
    this.types.set(key, { ...def, labels });
    return true;
  }

  /** A relation of any kind, found the way PostgreSQL searches search_path (relation names are unique per schema). */
  private findRelation(rv: RangeVar | undefined): { kind: 'table' | 'view' | 'sequence' | 'index'; key: string } | undefined {
    if (!rv?.relname) return undefined;
    const schemas = rv.schemaname ? [rv.schemaname] : [...this.lookupSchemas(), 'public'];
    for (const s of schemas) {
      const key = qualifiedKey(s, rv.relname);
      if (this.tables.has(key)) return { kind: 'table', key };
      if (this.views.has(key)) return { kind: 'view', key };
      if (this.sequences.has(key)) return { kind: 'sequence', key };
      if (this.indexOwner.has(key)) return { kind: 'index', key };
    }
    return undefined;
  }

  /** The table a RENAME of a trigger, policy, rule or constraint is on; undefined (and recorded why) when there is none. */
  private tableFor(kind: string, body: any): MTable | undefined {
    const rel = this.findRelation(body.relation);
    if (!rel) {
      this.missingRelation(kind, body);
      return undefined;
    }
    if (rel.kind !== 'table') {
      this.skip(kind, `triggers, rules and constraints of ${article(rel.kind)} are not tracked`);
      return undefined;
    }
    return this.tables.get(rel.key);
  }

  /** A statement on a relation the catalog does not hold: IF EXISTS makes it a no-op, otherwise it is reported. */
  private missingRelation(kind: string, body: any): false {
    const rv = body.relation as RangeVar | undefined;
    const name = rv ? [rv.schemaname, rv.relname].filter(Boolean).join('.') : '?';
    if (body.missing_ok) return this.skip(kind, `IF EXISTS: relation "${name}" does not exist at this point`);
    this.lookupTable(rv);
    return false;
  }

  private unknownObject(message: string): false {
    this.diagnostics.push({
      code: 'unknown-object',
      severity: 'warning',
      message,
      location: this.here(),
      hint: 'the statement refers to an object the schema has not created (yet); it was skipped',
    });
    return false;
  }

  private resolveFunctionKey(names: string[]): string | undefined {
    if (!names.length) return undefined;
    if (names.length >= 2) {
      const k = qualifiedKey(names[names.length - 2], names[names.length - 1]);
      return this.functions.has(k) ? k : undefined;
    }
    for (const s of [...this.lookupSchemas(), 'public']) {
      const k = qualifiedKey(s, names[0]);
      if (this.functions.has(k)) return k;
    }
    return undefined;
  }

  // ---------------------------------------------------------------- result

  build(): Catalog {
    // FKs that name no referenced columns take the referenced table's PK.
    for (const t of this.tables.values()) {
      for (const fk of t.foreignKeys) {
        const ref = this.tables.get(fk.refTable);
        if (!ref) {
          this.diagnostics.push({
            code: 'unknown-object',
            severity: 'warning',
            message: `foreign key ${fk.name} on ${t.key} references "${fk.refTable}", which the schema does not define`,
            location: fk.location,
          });
          continue;
        }
        if (!fk.refColumns.length && ref.primaryKey) fk.refColumns = [...ref.primaryKey.columns];
      }
      for (const c of t.columns) {
        const seq = c.defaultSequence ? this.sequences.get(c.defaultSequence) : undefined;
        c.serial = !!seq && seq.ownedBy?.table === t.key && seq.ownedBy.column === c.name;
      }
    }
    const sorted = <T>(m: Map<string, T>): Record<string, T> => Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return structuredClone({
      schemas: [...this.schemas].sort(),
      tables: sorted(this.tables) as Record<string, Table>,
      views: sorted(this.views),
      sequences: sorted(this.sequences) as Record<string, Sequence>,
      types: sorted(this.types),
      functions: sorted(this.functions),
      extensions: [...this.extensions],
      skipped: [...this.skipped],
      diagnostics: [...this.diagnostics],
      data: [...this.data],
      files: [...this.files],
    });
  }
}

// -------------------------------------------------------------------- helpers

function inhOf(stmt: Statement): boolean {
  const n: any = stmt.node;
  const rel = n?.AlterTableStmt?.relation ?? n?.CreateStmt?.relation;
  return rel ? rel.inh === true : true;
}

function integerTypeName(base: string): string {
  return base === 'int8' ? 'bigint' : base === 'int2' ? 'smallint' : 'integer';
}

function sameColumns(a: Array<string | null>, b: Array<string | null>): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The name parts of a parse-tree object name: a List of Strings, or the list itself. */
function objectNames(obj: any): string[] {
  const items = obj?.List?.items ?? (Array.isArray(obj) ? obj : obj?.String ? [obj] : []);
  return items.map((i: any) => i.String?.sval).filter((x: unknown): x is string => typeof x === 'string');
}

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

function article(kind: string): string {
  return /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}

/** `OBJECT_COLLATION` -> `a collation`, for skip reasons. */
function describeObject(objectType: string): string {
  return OBJECT_NAMES[objectType] ?? `an object of kind ${objectType.replace(/^OBJECT_/, '').toLowerCase().replace(/_/g, ' ')}`;
}

function rangeVarNames(rv: RangeVar): string[] {
  return rv.schemaname ? [rv.schemaname, rv.relname!] : [rv.relname!];
}

/** `a.b.c` with optional double quotes -> parts. */
export function splitQualified(text: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === '.') {
      parts.push(cur);
      cur = '';
    } else cur += ch.toLowerCase();
  }
  parts.push(cur);
  return parts;
}

/** The sequence name in `nextval('seq'::regclass)`, when the expression is one. */
export function nextvalSequence(expr: unknown): string | undefined {
  const fc = (expr as any)?.FuncCall;
  if (!fc) return undefined;
  const fname = (fc.funcname ?? []).map((n: any) => n.String.sval);
  if (fname[fname.length - 1] !== 'nextval') return undefined;
  let arg = fc.args?.[0];
  while (arg?.TypeCast) arg = arg.TypeCast.arg;
  return arg?.A_Const?.sval?.sval;
}

function firstColumnRef(expr: unknown): string | undefined {
  let found: string | undefined;
  walk(expr, (n) => {
    if (found) return;
    const cr = (n as any).ColumnRef;
    if (cr) {
      const f = cr.fields?.[cr.fields.length - 1]?.String?.sval;
      if (f) found = f;
    }
  });
  return found;
}

function walk(node: unknown, f: (n: object) => void): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) walk(x, f);
    return;
  }
  f(node);
  for (const v of Object.values(node)) walk(v, f);
}

/** Every RangeVar a query reads, skipping names bound by WITH. */
function collectRangeVars(node: unknown, ctes: Set<string>, f: (rv: RangeVar) => void): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) collectRangeVars(x, ctes, f);
    return;
  }
  const obj = node as Record<string, any>;
  if (obj.SelectStmt?.withClause) {
    const inner = new Set(ctes);
    for (const c of obj.SelectStmt.withClause.ctes ?? []) inner.add(c.CommonTableExpr.ctename);
    for (const [k, v] of Object.entries(obj.SelectStmt)) collectRangeVars(k === 'withClause' ? v : v, inner, f);
    return;
  }
  if (obj.RangeVar) {
    const rv = obj.RangeVar as RangeVar;
    if (!(rv.schemaname === undefined && ctes.has(rv.relname!))) f(rv);
    return;
  }
  for (const v of Object.values(obj)) collectRangeVars(v, ctes, f);
}
