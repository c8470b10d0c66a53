/**
 * DDL -> Catalog. Statements are applied one at a time, in order, as
 * PostgreSQL would run them, so that what a dump says late (`ALTER TABLE ONLY
 * ... ADD CONSTRAINT`, `ALTER SEQUENCE ... OWNED BY`, `CREATE INDEX`, `ATTACH
 * PARTITION`, `ADD GENERATED AS IDENTITY`) lands on the object it names. The
 * Citus model applies migration statements through the same builder.
 *
 * One module per statement family applies its statements to a BuildContext
 * (context.ts); dispatch.ts says which module takes which statement kind.
 */
import type { TypeName } from '../ingest/pg/ast.js';
import { shown } from '../ingest/inert.js';
import { longIdentifiers, nodeAs, qualifiedKey, splitKey, tagOf, type Script, type Statement } from '../ingest/pg/index.js';
import { BuildContext, SESSION_SEARCH_PATH } from './context.js';
import { dispatch } from './dispatch.js';
import { constraintNameTaken } from './constraints.js';
import { checkReferences } from './foreign-keys.js';
import type { Catalog, FunctionDef, Sequence, Skipped, Table, TypeDef, TypeRef, View } from './model.js';
import { chooseName } from './naming.js';
import type { MTable } from './state.js';
import { typeRef } from './typedefs.js';

export { NOT_UNDERSTOOD } from './skips.js';
export { nextvalSequence, splitQualified } from './columns.js';

export interface BuildInput {
  readonly file: string;
  readonly text: string;
}

/** Statements that read or change rows only: they leave every object of the schema as it is. */
const ROW_STATEMENTS = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

export class CatalogBuilder {
  private readonly ctx = new BuildContext();
  private changes = 0;

  /**
   * A builder that continues from an already built catalog (a deep copy), so
   * that later statements (a migration) apply on top of it.
   */
  static fromCatalog(catalog: Catalog): CatalogBuilder {
    return CatalogBuilder.adopt(structuredClone(catalog));
  }

  /**
   * A builder that continues from a catalog it takes over, without a copy:
   * for a caller that gives the catalog up (a large schema's copy costs
   * more than the rest of a lint run). The catalog's objects change as
   * statements apply.
   */
  static adopt(c: Catalog): CatalogBuilder {
    const b = new CatalogBuilder();
    const ctx = b.ctx;
    for (const s of c.schemas) ctx.schemas.add(s);
    for (const t of Object.values(c.tables)) {
      ctx.tables.set(t.key, t as unknown as MTable);
      for (const i of t.indexes) ctx.indexOwner.set(qualifiedKey(t.schema, i.name), t.key);
    }
    for (const v of Object.values(c.views)) ctx.views.set(v.key, v);
    for (const s of Object.values(c.sequences)) ctx.sequences.set(s.key, s);
    for (const t of Object.values(c.types)) ctx.types.set(t.key, t);
    for (const f of Object.values(c.functions)) ctx.functions.set(f.key, f);
    // One at a time: a spread of a schema's hundred thousand skipped statements overflows the stack.
    for (const e of c.extensions) ctx.extensions.push(e);
    for (const x of c.skipped) ctx.skipped.push(x);
    for (const d of c.diagnostics) ctx.diagnostics.push(d);
    for (const d of c.data) ctx.data.push(d);
    for (const f of c.files) ctx.files.push(f);
    return b;
  }

  /** The current (live, not copied) state of a table, sequence or type; callers must not change it. */
  peekTable(key: string): Table | undefined {
    return this.ctx.tables.get(key) as Table | undefined;
  }

  peekTables(): Table[] {
    return [...this.ctx.tables.values()] as Table[];
  }

  peekView(key: string): View | undefined {
    return this.ctx.views.get(key);
  }

  /** The views, in the order they were created. */
  peekViews(): View[] {
    return [...this.ctx.views.values()];
  }

  peekSequences(): Sequence[] {
    return [...this.ctx.sequences.values()];
  }

  peekSequence(key: string): Sequence | undefined {
    return this.ctx.sequences.get(key);
  }

  peekType(key: string): TypeDef | undefined {
    return this.ctx.types.get(key);
  }

  /** Does the schema define a function or procedure of this name (in any schema)? */
  definesFunctionNamed(name: string): boolean {
    for (const key of this.ctx.functions.keys()) if (splitKey(key).name === name) return true;
    return false;
  }

  peekFunction(key: string): FunctionDef | undefined {
    return this.ctx.functions.get(key);
  }

  /** A relation of any kind (table, view, sequence, index) a name finds along search_path. */
  peekRelation(schemaname: string | undefined, relname: string): { kind: 'table' | 'view' | 'sequence' | 'index'; key: string } | undefined {
    return this.ctx.findRelation({ schemaname, relname });
  }

  /** A relation, sequence, view or index of this name exists in `schema` (they share pg_class's namespace). */
  relationNameTaken(schema: string, name: string): boolean {
    return this.ctx.relationNameTaken(schema, name);
  }

  /** The name PostgreSQL's ChooseConstraintName gives a constraint of table `key`: `<table>[_<column part>]_<label>[n]`. */
  chooseConstraintName(key: string, columnPart: string | undefined, label: string): string | undefined {
    const t = this.ctx.tables.get(key);
    return t ? chooseName(t.name, columnPart, label, (n) => constraintNameTaken(this.ctx, t, n)) : undefined;
  }

  /** The table an index (by its key) is on. */
  indexTable(key: string): string | undefined {
    return this.ctx.indexOwner.get(key);
  }

  /** The schema a new unqualified relation would be created in. */
  currentCreationSchema(): string {
    return this.ctx.creationSchema();
  }

  /** Resolve a relation name to a key the way PostgreSQL searches search_path. */
  resolveRelation(schemaname: string | undefined, relname: string): string {
    return this.ctx.resolveRelation(schemaname, relname);
  }

  typeRef(tn: TypeName | undefined): TypeRef {
    return typeRef(this.ctx, tn);
  }

  /** A new session (each script is its own psql run): search_path as a session starts. */
  newSession(): void {
    this.ctx.searchPath = [...SESSION_SEARCH_PATH];
  }

  addScript(script: Script): void {
    this.ctx.files.push(script.source.file);
    this.newSession();
    for (const s of script.statements) this.apply(script, s);
  }

  /**
   * Counts the statements applied that may change the schema's objects (a
   * query or a row change does not; it is only recorded): what build() gave
   * holds the same tables, views, types, functions and sequences while it
   * stays the same.
   */
  get revision(): number {
    return this.changes;
  }

  /** A schema created, or one the catalog's objects live in. */
  hasSchema(name: string): boolean {
    return this.ctx.schemas.has(name) || this.schemaHolds(name);
  }

  /** Does anything the catalog tracks live in the schema (DROP SCHEMA without CASCADE refuses then)? */
  schemaHolds(name: string): boolean {
    const ctx = this.ctx;
    return [ctx.tables, ctx.views, ctx.sequences, ctx.types, ctx.functions].some((m) => [...m.keys()].some((k) => splitKey(k).schema === name));
  }

  /** The search_path names are resolved with (SET search_path changes it). */
  get searchPath(): readonly string[] {
    return this.ctx.searchPath;
  }

  set searchPath(path: readonly string[]) {
    this.ctx.searchPath = [...path];
  }

  /** Statements skipped so far; with skippedFrom, what the statements applied since skipped. */
  get skipCount(): number {
    return this.ctx.skipped.length;
  }

  skippedFrom(n: number): readonly Skipped[] {
    return this.ctx.skipped.slice(n);
  }

  /** Apply one statement; returns false when it was skipped. */
  apply(script: Script, stmt: Statement): boolean {
    const ctx = this.ctx;
    const tag = tagOf(stmt.node);
    if (!tag || !ROW_STATEMENTS.has(tag) || nodeAs(stmt.node, 'SelectStmt')?.intoClause) this.changes++;
    ctx.script = script;
    ctx.stmt = stmt;
    if (stmt.error) {
      ctx.diagnostics.push({
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
    // PostgreSQL truncates a name over 63 bytes (the parser already did): say so, where it is written
    for (const l of longIdentifiers(stmt.sql)) {
      ctx.diagnostics.push({
        code: 'identifier-truncated',
        severity: 'info',
        message: `identifier "${shown(l.written, 80)}" is longer than 63 bytes: PostgreSQL truncates it to "${shown(l.truncated, 80)}", and so does shardwise`,
        location: script.source.locate(stmt.startByte + l.offset),
        hint: 'give it a name of at most 63 bytes, or use the truncated name wherever it is named',
      });
    }
    try {
      return dispatch(ctx, node);
    } catch (e) {
      ctx.diagnostics.push({
        code: 'unsupported-statement',
        severity: 'warning',
        message: `could not apply ${tagOf(node)}: ${(e as Error).message}`,
        location: stmt.location,
      });
      return false;
    }
  }

  /**
   * A copy of the catalog that later statements do not change. The records
   * kept one per statement or data block (skipped, diagnostics, data) are
   * never changed in place: their lists are copied and the records shared, so
   * that a copy costs what the schema's objects do, not what the file's
   * statements do (a migration of 150,000 queries copied them all at every
   * DROP and BEGIN).
   */
  build(): Catalog {
    const v = this.view();
    const copy = structuredClone({ ...v, skipped: [], diagnostics: [], data: [] });
    return { ...copy, skipped: v.skipped, diagnostics: v.diagnostics, data: v.data };
  }

  /**
   * The catalog as it stands, sharing the builder's objects instead of
   * copying them: for a reader done with it before the next statement is
   * applied (or when no statement follows), that must not change it. On a
   * schema of a thousand tables the copy costs more than the rest of build.
   */
  view(): Catalog {
    const ctx = this.ctx;
    checkReferences(ctx);
    for (const t of ctx.tables.values()) {
      for (const c of t.columns) {
        const seq = c.defaultSequence ? ctx.sequences.get(c.defaultSequence) : undefined;
        c.serial = !!seq && seq.ownedBy?.table === t.key && seq.ownedBy.column === c.name;
      }
    }
    const sorted = <T>(m: Map<string, T>): Record<string, T> => Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return {
      schemas: [...ctx.schemas].sort(),
      tables: sorted(ctx.tables) as Record<string, Table>,
      views: sorted(ctx.views),
      sequences: sorted(ctx.sequences) as Record<string, Sequence>,
      types: sorted(ctx.types),
      functions: sorted(ctx.functions),
      extensions: [...ctx.extensions],
      skipped: [...ctx.skipped],
      diagnostics: [...ctx.diagnostics],
      data: [...ctx.data],
      files: [...ctx.files],
      comments: [...ctx.comments],
      ruleDefinitions: [...ctx.ruleDefinitions],
      clusterOn: [...ctx.clusterOn],
    };
  }
}
