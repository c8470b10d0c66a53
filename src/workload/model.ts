/**
 * Query facts: what one statement does, as the advisor, the rules and the
 * simulator need it, extracted from one walk of its parse tree.
 *
 * Every relation is a catalog key (`schema.name`); every column reference is
 * resolved through aliases, CTEs, derived tables, USING/NATURAL joins and views
 * whose query is known to a base table column, or listed in `unresolved` —
 * never guessed. All arrays are sorted and de-duplicated, so that two runs
 * give byte-identical JSON.
 */
import type { Diagnostic } from '../catalog/model.js';
import type { WorkloadQuery } from '../ingest/workload/model.js';
import type { QueryTree } from './tree.js';

export type * from './tree.js';

export type QueryKind = 'select' | 'insert' | 'update' | 'delete' | 'merge' | 'other';

/** A base table column: `table` is a catalog key. */
export interface ColumnRef {
  readonly table: string;
  readonly column: string;
}

/**
 * inner: JOIN/comma join/WHERE equality, or a correlated scalar/LATERAL
 * subquery; left/right/full: outer joins, relative to the pair's own `left`
 * and `right` (`left` = the pair's left column is on the preserved side);
 * semi: IN/EXISTS subquery; anti: NOT IN / NOT EXISTS.
 */
export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'semi' | 'anti';

/** Where a join equality was written. */
export type JoinSource = 'on' | 'where' | 'using' | 'subquery';

/** An equality between columns of two different relation instances. */
export interface JoinPair {
  /** Sides are ordered: `left` sorts before `right` (table, then column). */
  readonly left: ColumnRef;
  readonly right: ColumnRef;
  readonly joinType: JoinType;
  readonly where: JoinSource;
  /** True when the equality sits under an OR (it does not always hold). */
  readonly underOr: boolean;
}

/** How a filtered column is compared. `range` = <, <=, >, >=, BETWEEN. */
export type FilterOp = '=' | 'in' | 'range' | 'other';
/** What it is compared to: a literal, a `$n` parameter, or anything else. */
export type ValueKind = 'const' | 'param' | 'expr';
/** Which clause the predicate was found in. */
export type FilterClause = 'where' | 'on' | 'having';

export interface ColumnFilter {
  readonly table: string;
  readonly column: string;
  readonly op: FilterOp;
  readonly value: ValueKind;
  /** The constants compared against (sorted), from the sample when the statement had real values. */
  readonly values?: string[];
  /** Number of elements of an IN list (or ANY(ARRAY[...])). */
  readonly count?: number;
  readonly underOr: boolean;
  readonly clause: FilterClause;
  /** True when the predicate belongs to a subquery or CTE rather than the top-level query. */
  readonly inSubquery: boolean;
}

export type Volatility = 'immutable' | 'stable' | 'volatile' | 'unknown';

/** Clause a function call (or a subquery) was found in. */
export type Place =
  | 'select'
  | 'from'
  | 'join'
  | 'where'
  | 'group'
  | 'having'
  | 'order'
  | 'window'
  | 'limit'
  | 'set'
  | 'values'
  | 'returning'
  | 'on-conflict'
  | 'on-conflict-where'
  | 'merge-when';

export interface FunctionCall {
  /** `pg_catalog.now` for built-ins we know, the catalog key for user functions, else the name as written. */
  readonly name: string;
  readonly volatility: Volatility;
  readonly where: Place;
  readonly inCaseOrCoalesce: boolean;
  /** True when a column reference appears among its arguments. */
  readonly columnArgs: boolean;
  readonly aggregate: boolean;
  readonly window: boolean;
}

export type SubqueryKind = 'scalar' | 'exists' | 'in' | 'any' | 'all' | 'array' | 'derived' | 'cte';

export interface SubqueryFact {
  readonly kind: SubqueryKind;
  readonly where: Place;
  /** It refers to a column of an outer query. */
  readonly correlated: boolean;
  readonly lateral: boolean;
  readonly negated: boolean;
}

export interface QueryFeatures {
  readonly limit: boolean;
  readonly offset: boolean;
  readonly orderBy: boolean;
  readonly aggregates: boolean;
  readonly windowFunctions: boolean;
  readonly distinct: boolean;
  readonly distinctOn: boolean;
  /** Set operations anywhere in the statement, e.g. `union`, `union all`, `intersect`, `except`. */
  readonly setOperations: string[];
  readonly ctes: number;
  /**
   * CTEs that are not inlined, so Citus plans them into intermediate results:
   * MATERIALIZED, referenced more than once (unless NOT MATERIALIZED), or data-modifying.
   */
  readonly materializedCtes: number;
  readonly recursiveCte: boolean;
  /** `for update`, `for no key update`, `for share`, `for key share`. */
  readonly locking: string[];
  readonly groupingSets: boolean;
  readonly subqueries: SubqueryFact[];
  readonly lateral: boolean;
  readonly outerJoins: boolean;
  /**
   * Pairs of relation instances in one FROM with no join condition linking
   * them (directly or through other relations), as catalog keys.
   */
  readonly cartesian: Array<[string, string]>;
  readonly tablesample: boolean;
  readonly returning: boolean;
  readonly sublinkInValues: boolean;
  readonly sublinkInReturning: boolean;
  /** Functions returning sets in FROM (generate_series, unnest, ...). */
  readonly functionsInFrom: boolean;
}

/** `unchanged`: UPDATE SET c = c (the target row's own column). */
export type ValueSource = 'const' | 'param' | 'expr' | 'default' | 'mixed' | 'unchanged';

export interface InsertValue {
  readonly column: string;
  /** Across all VALUES rows: one kind, or `mixed`. */
  readonly value: ValueSource;
  /** Constants given for this column (distinct, sorted). */
  readonly constants?: string[];
  /** UPDATE SET c = t.x: the base column a plain column value reads (not the target's own `c`). */
  readonly source?: ColumnRef;
}

export interface WriteFacts {
  /** Catalog key of the target table (or the name as written when unknown). */
  readonly target: string;
  readonly targetKnown: boolean;
  /** Columns set: UPDATE SET, INSERT column list (all columns when none), MERGE actions. */
  readonly columns: string[];
  /** MERGE: the columns its WHEN MATCHED THEN UPDATE actions set (an INSERT action gives new rows their values). */
  readonly mergeUpdated?: string[];
  /** INSERT ... VALUES and UPDATE ... SET: per column. */
  readonly values?: InsertValue[];
  readonly rows?: number;
  /** INSERT ... SELECT: the tables the SELECT reads, and target column <- source column when it is a plain column. */
  readonly select?: { readonly tables: string[]; readonly columns: Array<{ readonly column: string; readonly source?: ColumnRef }> };
  /**
   * ON CONFLICT: the inference columns, the columns DO UPDATE sets, and among
   * them those set to the same column itself (`c = excluded.c` or `c = t.c`),
   * which leave its value as the conflicting row has it.
   */
  readonly onConflict?: { readonly action: 'nothing' | 'update'; readonly columns: string[]; readonly set: string[]; readonly unchanged?: string[] };
}

export interface UnresolvedColumn {
  /** As written, e.g. `x` or `t.x`. */
  readonly column: string;
  /** `view-column`: a column of a materialized view, or of a view whose query is not known or reads unknown relations. */
  readonly reason: 'unknown-column' | 'unknown-relation' | 'ambiguous' | 'view-column' | 'function-column';
}

/**
 * A relation the statement names (a FROM item or the target of a write; not a
 * CTE), as its name resolved: what the simulator's router rewrites to shard
 * names, so that it never resolves a name again.
 */
export interface RelationReference {
  /** Byte offset of the name in the statement's text (the parse tree's location for it). */
  readonly location: number;
  /** Catalog key; for an unknown relation, the key its name was looked up as. */
  readonly key: string;
  readonly kind: 'table' | 'view' | 'unknown';
}

export interface QueryFacts {
  readonly kind: QueryKind;
  /** Parse-tree node kind of the statement, e.g. `SelectStmt`. */
  readonly statement: string;
  /** Base tables read (views expanded to the tables they read), as catalog keys. */
  readonly tablesRead: string[];
  readonly tablesWritten: string[];
  /** Views the statement names (expanded into tablesRead). */
  readonly views: string[];
  /** Relations named that are in neither catalog.tables nor catalog.views. */
  readonly unknownRelations: string[];
  readonly joins: JoinPair[];
  readonly filters: ColumnFilter[];
  readonly groupBy: ColumnRef[];
  /** SELECT DISTINCT (the plain columns of the select list) and DISTINCT ON keys. */
  readonly distinct: ColumnRef[];
  readonly partitionBy: ColumnRef[];
  readonly orderBy: ColumnRef[];
  readonly write?: WriteFacts;
  readonly functions: FunctionCall[];
  readonly features: QueryFeatures;
  readonly unresolved: UnresolvedColumn[];
  /** Every relation named, in the order written (by location). */
  readonly references: RelationReference[];
  /** Its query levels and what each holds, for a planner (SELECT, INSERT, UPDATE, DELETE, MERGE). */
  readonly tree?: QueryTree;
}

export interface AnalyzedQuery {
  readonly query: WorkloadQuery;
  readonly facts: QueryFacts;
}

export interface Workload {
  readonly queries: AnalyzedQuery[];
  readonly diagnostics: Diagnostic[];
  /**
   * Set when unqualified names that the search path did not find were
   * resolved in this schema, the only one the catalog's tables live in.
   */
  readonly assumedSchema?: string;
}
