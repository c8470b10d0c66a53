/**
 * The single-node schema as PostgreSQL would hold it after running the dump:
 * plain, JSON-serialisable data. Relations are keyed `schema.name` (unquoted,
 * as stored in pg_class); column and constraint names are as PostgreSQL stores
 * them (folded to lower case unless quoted).
 */
import type { Location } from '../ingest/pg/source.js';

export type { Location };

export interface Catalog {
  readonly schemas: string[];
  /** Keyed `schema.name`; sorted by key. */
  readonly tables: Record<string, Table>;
  readonly views: Record<string, View>;
  readonly sequences: Record<string, Sequence>;
  readonly types: Record<string, TypeDef>;
  readonly functions: Record<string, FunctionDef>;
  readonly extensions: Extension[];
  /** Statements that were read but have no bearing on the catalog, by kind, with where. */
  readonly skipped: Skipped[];
  /** Problems met while reading: syntax errors, references to unknown objects, ... */
  readonly diagnostics: Diagnostic[];
  /** `COPY ... FROM stdin` blocks and INSERTs carrying data, per table (read later by the stats stage). */
  readonly data: DataSource[];
  readonly files: string[];
  /** COMMENT ON a table, view or column, as a statement to run again (the last one per object). */
  readonly comments?: SourceComment[];
  /** Rules, as `CREATE OR REPLACE RULE` statements to run again. */
  readonly ruleDefinitions?: SourceRule[];
  /** `ALTER TABLE ... CLUSTER ON` markings, as statements to run again (the last one per relation). */
  readonly clusterOn?: SourceClusterOn[];
}

export interface SourceClusterOn {
  readonly relation: string;
  readonly index: string;
  readonly sql: string;
}

export interface SourceComment {
  readonly kind: 'table' | 'view' | 'column' | 'index';
  /** The table or view (`schema.name` key); for an index, the table it is on. */
  readonly relation: string;
  readonly column?: string;
  /** The index commented on (its name), for kind `index`. */
  readonly index?: string;
  readonly sql: string;
}

export interface SourceRule {
  readonly table: string;
  readonly name: string;
  readonly sql: string;
}

export interface Table {
  readonly key: string;
  readonly schema: string;
  readonly name: string;
  /** 'partitioned' = declarative partitioned parent; 'foreign' = foreign table. */
  readonly relkind: 'table' | 'partitioned' | 'foreign';
  readonly persistence: 'permanent' | 'unlogged' | 'temporary';
  readonly columns: Column[];
  readonly primaryKey?: KeyConstraint;
  /** UNIQUE constraints and unique indexes (PK excluded). */
  readonly uniques: UniqueKey[];
  readonly checks: CheckConstraint[];
  readonly exclusions: ExclusionConstraint[];
  readonly foreignKeys: ForeignKey[];
  /** All indexes, including the ones that back constraints (`constraint` set). */
  readonly indexes: Index[];
  readonly triggers: Trigger[];
  readonly policies: Policy[];
  readonly rules: string[];
  /** Declarative partitioning: this table's partition key. */
  readonly partitionBy?: { readonly strategy: 'range' | 'list' | 'hash'; readonly columns: string[]; readonly expressions: string[] };
  /** Declarative partitioning: the parent, when this table is a partition. */
  readonly partitionOf?: { readonly parent: string; readonly bound: string };
  /** Plain (non-partition) inheritance parents. */
  readonly inherits: string[];
  readonly accessMethod?: string;
  readonly rowSecurity: boolean;
  readonly replicaIdentity?: string;
  readonly comment?: string;
  readonly location: Location;
}

export interface Column {
  readonly name: string;
  readonly type: TypeRef;
  readonly notNull: boolean;
  /** Default expression as SQL, when there is one. */
  readonly default?: string;
  /** The sequence a `nextval('seq')` default draws from (qualified key). */
  readonly defaultSequence?: string;
  readonly identity?: { readonly kind: 'always' | 'by default'; readonly sequence: string };
  readonly generated?: { readonly kind: 'stored' | 'virtual'; readonly expression: string };
  /** True when the column is serial-like: a nextval default on a sequence owned by this column. */
  readonly serial: boolean;
  readonly collation?: string;
  readonly location: Location;
}

export interface TypeRef {
  /** Canonical name as format_type() prints it, e.g. `integer`, `character varying(40)`, `public.mood`, `text[]`. */
  readonly display: string;
  /** Internal name without modifiers, e.g. `int4`, `varchar`, `numeric`, `public.mood`. */
  readonly name: string;
  readonly typmods: number[];
  readonly arrayDims: number;
  /** After resolving domains: the base type's internal name (equals `name` for a non-domain). */
  readonly base: string;
  readonly kind: 'base' | 'enum' | 'domain' | 'composite' | 'range' | 'unknown';
}

export interface KeyConstraint {
  readonly name: string;
  readonly columns: string[];
  /** INCLUDE columns (not part of the key). */
  readonly include: string[];
  readonly deferrable: boolean;
  /** DEFERRABLE INITIALLY DEFERRED. */
  readonly initiallyDeferred?: true;
  readonly location: Location;
}

export interface UniqueKey {
  readonly name: string;
  readonly source: 'constraint' | 'index';
  /** Key columns; an expression element appears as null here and in `expressions`. */
  readonly columns: Array<string | null>;
  readonly expressions: string[];
  /**
   * Each key element of a unique index as SQL, with its collation, operator
   * class and order (`version DESC`), when the statement that made it was
   * read; without it the columns and expressions are the whole definition.
   */
  readonly elements?: string[];
  readonly include: string[];
  /** WHERE of a partial unique index, as SQL. */
  readonly where?: string;
  readonly nullsNotDistinct: boolean;
  readonly deferrable: boolean;
  /** DEFERRABLE INITIALLY DEFERRED. */
  readonly initiallyDeferred?: true;
  readonly location: Location;
}

export interface CheckConstraint {
  readonly name: string;
  readonly expression: string;
  readonly noInherit: boolean;
  readonly notValid: boolean;
  readonly location: Location;
}

export interface ExclusionConstraint {
  readonly name: string;
  readonly method: string;
  readonly elements: Array<{ readonly column?: string; readonly expression?: string; readonly operator: string }>;
  readonly where?: string;
  /** Set only when DEFERRABLE (INITIALLY DEFERRED sets both). */
  readonly deferrable?: true;
  readonly initiallyDeferred?: true;
  readonly location: Location;
}

export type FkAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

export interface ForeignKey {
  readonly name: string;
  readonly columns: string[];
  /** Referenced table key. */
  readonly refTable: string;
  /**
   * Referenced columns, in the order of `columns`: those the FK names, else
   * the referenced table's primary key, resolved as PostgreSQL resolves it
   * (when the FK is created; when the referenced table gets its primary key
   * only later in the schema, then). Readers need no fallback to the
   * primary key. Empty only when the referenced table never has a primary
   * key or is not defined (PostgreSQL would refuse the FK).
   */
  readonly refColumns: string[];
  readonly onDelete: FkAction;
  readonly onUpdate: FkAction;
  readonly match: 'simple' | 'full' | 'partial';
  readonly deferrable: boolean;
  readonly initiallyDeferred: boolean;
  readonly notValid: boolean;
  readonly location: Location;
}

export interface Index {
  readonly name: string;
  readonly unique: boolean;
  readonly method: string;
  readonly columns: Array<string | null>;
  readonly expressions: string[];
  readonly include: string[];
  readonly where?: string;
  /** Each key element as SQL with its order, collation and operator class, when one says more than its column (as UniqueKey's). */
  readonly elements?: string[];
  /** The partitioned table's index this partition's index is attached to (its name, in the parent table's schema). */
  readonly attachedTo?: string;
  /** Name of the constraint this index backs (PK / UNIQUE / EXCLUDE). */
  readonly constraint?: string;
  readonly location: Location;
}

export interface Trigger {
  readonly name: string;
  readonly timing: 'before' | 'after' | 'instead of';
  readonly events: Array<'insert' | 'update' | 'delete' | 'truncate'>;
  readonly level: 'row' | 'statement';
  readonly function: string;
  readonly constraint: boolean;
  /** ALTER TRIGGER ... DEPENDS ON EXTENSION: dropped with the extension (Citus refuses it on its tables). */
  readonly extensionDependent?: boolean;
  readonly location: Location;
}

export interface Policy {
  readonly name: string;
  readonly command: string;
  readonly using?: string;
  readonly check?: string;
  /** True when USING or WITH CHECK contains a subquery (Citus refuses those). */
  readonly hasSubquery: boolean;
  readonly location: Location;
}

export interface View {
  readonly key: string;
  readonly schema: string;
  readonly name: string;
  readonly materialized: boolean;
  /** Relations (tables, views) the view reads, as catalog keys. */
  readonly reads: string[];
  readonly location: Location;
  /** The statement that created it, as written (to create it again). */
  readonly definition?: string;
  /** A materialized view's CREATE INDEX statements, as written. */
  readonly indexes?: string[];
  /**
   * The tables whose primary key a GROUP BY of the view covers while it uses
   * their other columns: PostgreSQL makes the view depend on that key. `at`
   * is the byte offset in `definition` of that GROUP BY's first column,
   * `qualifier` the name the query gives the table there.
   */
  readonly keyGroupings?: KeyGrouping[];
}

export interface KeyGrouping {
  readonly table: string;
  readonly qualifier: string;
  readonly at: number;
}

export interface Sequence {
  readonly key: string;
  readonly schema: string;
  readonly name: string;
  /** `smallint`, `integer` or `bigint`. */
  readonly dataType: string;
  readonly ownedBy?: { readonly table: string; readonly column: string };
  readonly location: Location;
}

export interface TypeDef {
  readonly key: string;
  readonly schema: string;
  readonly name: string;
  readonly kind: 'enum' | 'domain' | 'composite' | 'range' | 'base';
  readonly labels?: string[];
  /** For a domain: its base type. */
  readonly baseType?: TypeRef;
  readonly location: Location;
}

export interface FunctionDef {
  /** `schema.name` — overloads share one entry. */
  readonly key: string;
  readonly volatility: 'immutable' | 'stable' | 'volatile';
  readonly language: string;
  readonly returnsTrigger: boolean;
  readonly location: Location;
  /** Tables whose row type its arguments or result name (DROP TABLE ... CASCADE takes the function with it). */
  readonly rowTypes?: string[];
  /** Its CREATE OR REPLACE statement, as written, when it names a table's row type. */
  readonly definition?: string;
}

export interface Extension {
  readonly name: string;
  readonly schema?: string;
  readonly location: Location;
}

export interface Skipped {
  /** Parse-tree node kind, e.g. `GrantStmt`. */
  readonly kind: string;
  readonly location: Location;
  /** Why it has no bearing, or why it could not be applied. */
  readonly reason: string;
}

export interface Diagnostic {
  readonly code: 'syntax-error' | 'unknown-object' | 'unsupported-statement' | 'input-error' | 'identifier-truncated';
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  readonly location: Location;
  readonly hint?: string;
}

export interface DataSource {
  readonly table: string;
  readonly kind: 'copy' | 'insert';
  readonly file: string;
  /** Columns in the order the data gives them. */
  readonly columns: string[];
  /** Byte range of the data lines (COPY) or the INSERT statement. */
  readonly startByte: number;
  readonly endByte: number;
  readonly location: Location;
}
