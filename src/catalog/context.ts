/**
 * What one build works on, made per build: the catalog's objects in mutable
 * form (the CatalogState that relocate.ts also takes), what was skipped and
 * diagnosed, the search_path in force and the statement being applied (for
 * locations). Every statement family resolves names here, the way
 * PostgreSQL resolves them against search_path.
 */
import type { RangeVar } from '../ingest/pg/ast.js';
import { nodeAs, nodeOffset, qualifiedKey, type Script, type Statement } from '../ingest/pg/index.js';
import type { DataSource, Diagnostic, Extension, FunctionDef, Location, Sequence, Skipped, SourceClusterOn, SourceComment, SourceRule, TypeDef, View } from './model.js';
import { IRRELEVANT, NOT_UNDERSTOOD, article } from './skips.js';
import type { CatalogState, MTable, Mutable } from './state.js';

/** A statement that names a relation and may say IF EXISTS (RENAME, SET SCHEMA). */
export interface OnRelation {
  readonly relation?: RangeVar;
  readonly missing_ok?: boolean;
}

export type RelationKind = 'table' | 'view' | 'sequence' | 'index';

/** search_path as a session starts (a psql run, a new connection). */
export const SESSION_SEARCH_PATH: readonly string[] = ['public'];

export class BuildContext implements CatalogState {
  readonly schemas = new Set<string>(['public']);
  readonly tables = new Map<string, MTable>();
  readonly views = new Map<string, View>();
  readonly sequences = new Map<string, Mutable<Sequence>>();
  readonly types = new Map<string, TypeDef>();
  readonly functions = new Map<string, FunctionDef>();
  readonly extensions: Extension[] = [];
  readonly data: DataSource[] = [];
  readonly indexOwner = new Map<string, string>();
  readonly skipped: Skipped[] = [];
  readonly comments: SourceComment[] = [];
  readonly ruleDefinitions: SourceRule[] = [];
  readonly clusterOn: SourceClusterOn[] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly files: string[] = [];
  searchPath: string[] = [...SESSION_SEARCH_PATH];
  /** `SET client_encoding` (lower case, no dashes): how the bytes of later strings are decoded. */
  clientEncoding?: string;
  /** Script and statement being applied: for locations. */
  script?: Script;
  stmt?: Statement;

  // ---------------------------------------------------------------- what was read

  /** Where the statement being applied is, or a node of it (a byte offset within the statement). */
  here(location?: number): Location {
    const stmt = this.stmt;
    const script = this.script;
    if (!stmt || !script) return { file: '', line: 0, column: 0 };
    return location === undefined ? stmt.location : script.source.locate(nodeOffset(stmt, location));
  }

  /**
   * An identifier as the source spells it at a node's location (the parser
   * folds unquoted words to lower case), or the folded name where the source
   * text there is not that word.
   */
  spelledAt(location: number | undefined, folded: string): string {
    const stmt = this.stmt;
    const script = this.script;
    if (!stmt || !script || location === undefined || location < 0) return folded;
    const start = nodeOffset(stmt, location);
    const written = script.source.slice(start, start + Buffer.byteLength(folded, 'utf8'));
    return written.toLowerCase() === folded ? written : folded;
  }

  /** The statement being applied, as written, without its `;` (to run again later). */
  /** A node location as a byte offset into statementText(). */
  statementByte(location: number): number {
    const stmt = this.stmt;
    if (!stmt) return -1;
    const lead = Buffer.byteLength(stmt.sql) - Buffer.byteLength(stmt.sql.trimStart());
    return nodeOffset(stmt, location) - stmt.startByte - lead;
  }

  statementText(): string | undefined {
    return this.stmt?.sql.trim().replace(/;\s*$/, '') || undefined;
  }

  /** Record a statement as skipped, with why; one the builder does not know is also reported. */
  skip(kind: string, reason?: string): false {
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

  unknownObject(message: string): false {
    this.diagnostics.push({
      code: 'unknown-object',
      severity: 'warning',
      message,
      location: this.here(),
      hint: 'the statement refers to an object the schema has not created (yet); it was skipped',
    });
    return false;
  }

  /** True unless the statement being applied says ONLY: what it does to a partitioned table reaches the partitions. */
  statementRecurses(): boolean {
    if (!this.stmt) return false;
    const node = this.stmt.node;
    const rel = nodeAs(node, 'AlterTableStmt')?.relation ?? nodeAs(node, 'CreateStmt')?.relation;
    return rel ? rel.inh === true : true;
  }

  // ---------------------------------------------------------------- names

  creationSchema(schemaname?: string): string {
    if (schemaname) return schemaname;
    return this.searchPath.find((s) => s !== 'pg_catalog' && !s.startsWith('$')) ?? 'public';
  }

  lookupSchemas(): string[] {
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
    const k = qualifiedKey('public', relname);
    if (this.tables.has(k) || this.views.has(k) || this.sequences.has(k)) return k;
    return qualifiedKey(this.creationSchema(), relname);
  }

  /** The key (`schema.index`) of an index name as written, found the way PostgreSQL searches search_path; undefined when none. */
  resolveIndex(schemaname: string | undefined, name: string): string | undefined {
    const schemas = schemaname ? [schemaname] : this.lookupSchemas();
    return schemas.map((s) => qualifiedKey(s, name)).find((k) => this.indexOwner.has(k));
  }

  keyOf(rv: RangeVar): string {
    return this.resolveRelation(rv.schemaname, rv.relname ?? '');
  }

  lookupTable(rv: RangeVar | undefined, quiet = false): MTable | undefined {
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

  /** The table a statement names; when it names a view instead, the statement is recorded as skipped, with why. */
  tableOrSkip(kind: string, rv: RangeVar | undefined, what: string): MTable | undefined {
    const t = this.lookupTable(rv);
    if (!t && rv && this.views.has(this.keyOf(rv))) this.skip(kind, `${what} on a view: the catalog tracks a view by the relations it reads only`);
    return t;
  }

  /** A relation of any kind, found the way PostgreSQL searches search_path (relation names are unique per schema). */
  findRelation(rv: RangeVar | undefined): { kind: RelationKind; key: string } | undefined {
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
  tableFor(kind: string, stmt: OnRelation): MTable | undefined {
    const rel = this.findRelation(stmt.relation);
    if (!rel) {
      this.missingRelation(kind, stmt);
      return undefined;
    }
    if (rel.kind !== 'table') {
      this.skip(kind, `triggers, rules and constraints of ${article(rel.kind)} are not tracked`);
      return undefined;
    }
    return this.tables.get(rel.key);
  }

  /** A statement on a relation the catalog does not hold: IF EXISTS makes it a no-op, otherwise it is reported. */
  missingRelation(kind: string, stmt: OnRelation): false {
    const rv = stmt.relation;
    const name = rv ? [rv.schemaname, rv.relname].filter(Boolean).join('.') : '?';
    if (stmt.missing_ok) return this.skip(kind, `IF EXISTS: relation "${name}" does not exist at this point`);
    this.lookupTable(rv);
    return false;
  }

  /** A relation, sequence or index name is taken in `schema` (they share one namespace, pg_class). */
  relationNameTaken(schema: string, name: string): boolean {
    const k = qualifiedKey(schema, name);
    return this.tables.has(k) || this.sequences.has(k) || this.views.has(k) || this.indexOwner.has(k);
  }

  resolveTypeKey(names: string[]): string | undefined {
    return this.resolveIn(this.types, names);
  }

  resolveFunctionKey(names: string[]): string | undefined {
    if (!names.length) return undefined;
    return this.resolveIn(this.functions, names);
  }

  /** A possibly qualified name looked up in `objects`: qualified as written, else along search_path, then `public`. */
  private resolveIn(objects: Map<string, unknown>, names: string[]): string | undefined {
    if (names.length >= 2) {
      const k = qualifiedKey(names[names.length - 2], names[names.length - 1]);
      return objects.has(k) ? k : undefined;
    }
    for (const s of [...this.lookupSchemas(), 'public']) {
      const k = qualifiedKey(s, names[0]);
      if (objects.has(k)) return k;
    }
    return undefined;
  }
}
