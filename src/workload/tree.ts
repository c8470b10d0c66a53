/**
 * The query tree of a statement: its query levels as PostgreSQL's parser
 * makes them (a level per SELECT, set operation, VALUES list, CTE body,
 * subquery and DML statement), each with its FROM items, join tree,
 * equalities, constant filters, subqueries and what it groups, aggregates,
 * de-duplicates and limits. It is what a planner needs that the flat facts
 * lose: which level a table, a join condition or a subquery belongs to.
 *
 * Every FROM item has an id unique in the statement, so that a column is a
 * pair (item id, the name the item shows it under) wherever it is used: a
 * correlated subquery's condition names an item of an outer level by its id.
 * Views are not expanded in place: a view item names the view, and the tree
 * of every view the statement reads is in `views`, with ids of its own.
 */

/** A column as a FROM item shows it: the item's id and the column's name in it. */
export interface TreeColumn {
  readonly rel: number;
  readonly column: string;
}

export type TreeRelKind = 'table' | 'subquery' | 'view' | 'cte' | 'function' | 'unknown';

/** A FROM item (a range table entry), or the target of a DML statement. */
export interface TreeRel {
  readonly id: number;
  readonly kind: TreeRelKind;
  /** table (a materialized view counts as one), view, unknown: the catalog key (unknown: the key the name was looked up as). */
  readonly key?: string;
  /** The name as written, for messages. */
  readonly name?: string;
  /** The name the query refers to it by: its alias, else its name (PostgreSQL's eref). */
  readonly alias?: string;
  /** subquery: its query level. */
  readonly query?: number;
  /** cte: the level whose WITH defines it, and its name. */
  readonly cte?: { readonly level: number; readonly name: string };
  readonly lateral?: boolean;
  /** function: WITH ORDINALITY. */
  readonly ordinality?: boolean;
  /** function: its volatility (the most volatile of the functions called in it, arguments included). */
  readonly volatility?: 'immutable' | 'stable' | 'volatile' | 'unknown';
  /**
   * The names it shows the columns of its query under, in order, when they
   * are not the query's own output names (`AS x(a, b)`, `WITH c(a, b)`).
   */
  readonly columns?: readonly string[];
}

export type TreeJoinType = 'inner' | 'left' | 'right' | 'full';

/** A node of a level's join tree: a FROM item, or a join of two nodes with an id its ON conditions refer to. */
export type TreeJoin = { readonly rel: number } | { readonly join: number; readonly type: TreeJoinType; readonly left: TreeJoin; readonly right: TreeJoin };

/** Where a condition is: WHERE, the ON of a join (its id), HAVING, or elsewhere (select list, CASE, ...). */
export interface TreePlace {
  readonly clause: 'where' | 'on' | 'having' | 'other';
  readonly join?: number;
  /** Under an OR (it does not always hold), or under NOT. */
  readonly underOr: boolean;
  readonly negated: boolean;
  /** Under an arm of a top-level OR (not under NOT). */
  readonly or?: OrArm;
}

/** An arm of an OR: the OR (an id), the arm's index and how many arms it has. */
export interface OrArm {
  readonly group: number;
  readonly arm: number;
  readonly arms: number;
}

/** `a = b` between two columns. */
export interface TreeEquality extends TreePlace {
  readonly a: TreeColumn;
  readonly b: TreeColumn;
}

/** A column compared with constants or parameters: `=` one value, `in` a list (IN, = ANY(ARRAY[...])). */
export interface TreeFilter extends TreePlace {
  readonly column: TreeColumn;
  readonly op: '=' | 'in';
  readonly value: 'const' | 'param' | 'expr';
  /** The constants, as written (const), in list order. */
  readonly values?: readonly string[];
  readonly count?: number;
}

/** A condition (any, not only an equality) that names columns of several FROM items of its level. */
export interface TreeLink extends TreePlace {
  readonly rels: readonly number[];
}

export type TreeSublinkKind = 'exists' | 'in' | 'any' | 'all' | 'scalar' | 'array' | 'row';

/** A subquery in an expression. */
export interface TreeSublink extends TreePlace {
  readonly kind: TreeSublinkKind;
  readonly query: number;
  /** A condition by itself (`WHERE EXISTS (...)`, `AND x IN (...)`), not an operand of something else. */
  readonly condition: boolean;
  /** IN / ANY / ALL: the left-hand side's plain columns, position by position (undefined where not a plain column). */
  readonly test?: ReadonlyArray<TreeColumn | undefined>;
  /** The comparison operator of ANY / ALL / IN. */
  readonly operator?: string;
}

export interface TreeCte {
  readonly name: string;
  /** The body's level (a SELECT, or a DML statement). */
  readonly query: number;
  /** References in FROM. */
  readonly refs: number;
  /** MATERIALIZED (true) / NOT MATERIALIZED (false) as written. */
  readonly materialized?: boolean;
  readonly recursive?: boolean;
  readonly modifying?: boolean;
}

/** An output column: its name, and the column it shows when it is a plain column. */
export interface TreeOutput {
  readonly name: string;
  readonly column?: TreeColumn;
  /** The expression calls a volatile function (nextval(), random(), ...). */
  readonly volatile?: boolean;
  /** The expression calls a function that is not immutable. */
  readonly mutable?: boolean;
  /** The expression calls nextval(). */
  readonly nextval?: boolean;
  /** The expression holds a subquery. */
  readonly sublink?: boolean;
}

export type TreeLevelKind = 'select' | 'set-operation' | 'values' | 'insert' | 'update' | 'delete' | 'merge';

/** What a level lists: its FROM items, join tree, conditions and outputs. */
export interface TreeLevelLists {
  /** The FROM items (the target of a DML statement first). */
  readonly rels: TreeRel[];
  /** The top-level FROM list. */
  readonly from: TreeJoin[];
  readonly equalities: TreeEquality[];
  readonly filters: TreeFilter[];
  readonly sublinks: TreeSublink[];
  readonly links: TreeLink[];
  readonly outputs: TreeOutput[];
}

/** A level's lists, empty (for any level type with these lists). */
export function emptyLists(): { rels: never[]; from: never[]; equalities: never[]; filters: never[]; sublinks: never[]; links: never[]; outputs: never[] } {
  return { rels: [], from: [], equalities: [], filters: [], sublinks: [], links: [], outputs: [] };
}

export interface TreeLevel extends TreeLevelLists {
  readonly id: number;
  readonly kind: TreeLevelKind;
  /** set-operation: the operation and its two branches (levels). */
  readonly setOperation?: { readonly op: 'union' | 'intersect' | 'except'; readonly all: boolean; readonly left: number; readonly right: number };
  readonly ctes: TreeCte[];
  readonly recursiveWith?: boolean;
  /** GROUP BY items: the column, or undefined for an expression. */
  readonly groupBy: ReadonlyArray<TreeColumn | undefined>;
  /** PARTITION BY of each window: the columns (undefined for an expression). */
  readonly windows: ReadonlyArray<ReadonlyArray<TreeColumn | undefined>>;
  /** DISTINCT: the de-duplicated items (every output for plain DISTINCT); DISTINCT ON: its keys. */
  readonly distinct?: ReadonlyArray<TreeColumn | undefined>;
  readonly aggregates: boolean;
  readonly windowFunctions: boolean;
  readonly having: boolean;
  readonly limit: boolean;
  readonly offset: boolean;
  readonly locking: boolean;
  readonly groupingSets: boolean;
  /** The GROUPING() function. */
  readonly groupingFunction: boolean;
  /** WHERE holds a constant FALSE or NULL among its top-level conditions: it keeps no row. */
  readonly falseWhere?: boolean;
  /** A volatile function anywhere in the level (its subqueries excepted). */
  readonly volatile: boolean;
  /** A set-returning function in the select list. */
  readonly targetSrf: boolean;
  /** It refers to a column of an enclosing level (itself, or through a subquery inside it). */
  readonly correlated: boolean;
  /** Where its own expressions name columns of enclosing levels: in WHERE, and elsewhere (select list, ON, ...). */
  readonly outerRefs?: { readonly where: boolean; readonly elsewhere: boolean };
  /** INSERT / UPDATE / DELETE / MERGE: the target (a rel of this level); INSERT ... SELECT / MERGE: the source level. */
  readonly target?: number;
  readonly source?: number;
  /** UPDATE: SET columns; INSERT: the columns given. */
  readonly setColumns?: readonly string[];
}

export interface QueryTree {
  /** The statement's own level. */
  readonly root: number;
  /** Every level; a level's id is its index. */
  readonly levels: readonly TreeLevel[];
  /** The trees of the views the statement reads (through other views too), by catalog key; null when the view's query is not known. */
  readonly views: Readonly<Record<string, QueryTree | null>>;
  /** A view's tree: the names the view shows its query's output columns under, when it renames them. */
  readonly columns?: readonly string[];
}
