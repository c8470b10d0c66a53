/**
 * What one statement's walk has found so far, and the QueryFacts it makes:
 * every list de-duplicated by a key and sorted at the end, so that two runs
 * give byte-identical JSON.
 */
import type {
  ColumnFilter,
  ColumnRef,
  FilterOp,
  FunctionCall,
  JoinPair,
  JoinSource,
  JoinType,
  QueryFacts,
  QueryKind,
  RelationReference,
  SubqueryFact,
  UnresolvedColumn,
  ValueKind,
  WriteFacts,
} from '../model.js';
import type { Cte } from './scope.js';
import { TreeRecorder } from './tree.js';

/** The boolean and counted features of QueryFeatures (the lists are kept apart). */
interface Flags {
  limit: boolean;
  offset: boolean;
  orderBy: boolean;
  aggregates: boolean;
  windowFunctions: boolean;
  distinct: boolean;
  distinctOn: boolean;
  ctes: number;
  recursiveCte: boolean;
  groupingSets: boolean;
  lateral: boolean;
  outerJoins: boolean;
  tablesample: boolean;
  returning: boolean;
  sublinkInValues: boolean;
  sublinkInReturning: boolean;
  functionsInFrom: boolean;
}

/** Where a predicate was found, for a filter. */
export interface FilterPlace {
  readonly clause?: 'where' | 'on' | 'having';
  readonly underOr: boolean;
  /** Query level: 0 is the statement itself. */
  readonly level: number;
}

const FLIP: Partial<Record<JoinType, JoinType>> = { left: 'right', right: 'left' };

export function cmpRef(a: ColumnRef, b: ColumnRef): number {
  return a.table < b.table ? -1 : a.table > b.table ? 1 : a.column < b.column ? -1 : a.column > b.column ? 1 : 0;
}

function sortedByKey<T>(m: Map<string, T>): T[] {
  return [...m.keys()].sort().map((k) => m.get(k)!);
}

export class FactRecorder {
  readonly read = new Set<string>();
  readonly written = new Set<string>();
  readonly views = new Set<string>();
  readonly unknown = new Set<string>();
  readonly groupBy = new Map<string, ColumnRef>();
  readonly distinct = new Map<string, ColumnRef>();
  readonly partitionBy = new Map<string, ColumnRef>();
  readonly orderBy = new Map<string, ColumnRef>();
  readonly subqueries: SubqueryFact[] = [];
  readonly setOps = new Set<string>();
  readonly locking = new Set<string>();
  readonly cteEntries: Cte[] = [];
  readonly f: Flags = {
    limit: false,
    offset: false,
    orderBy: false,
    aggregates: false,
    windowFunctions: false,
    distinct: false,
    distinctOn: false,
    ctes: 0,
    recursiveCte: false,
    groupingSets: false,
    lateral: false,
    outerJoins: false,
    tablesample: false,
    returning: false,
    sublinkInValues: false,
    sublinkInReturning: false,
    functionsInFrom: false,
  };
  /** The statement's write: its own for INSERT / UPDATE / DELETE / MERGE, else its first data-modifying CTE's. */
  write?: WriteFacts;
  /** The statement's query tree. */
  readonly tree = new TreeRecorder();
  private readonly joins = new Map<string, JoinPair>();
  private readonly filters = new Map<string, ColumnFilter>();
  private readonly functions = new Map<string, FunctionCall>();
  private readonly unresolved = new Map<string, UnresolvedColumn>();
  private readonly cartesian = new Map<string, [string, string]>();
  private readonly references = new Map<number, RelationReference>();

  /** `base`: added to parse-tree locations to make them offsets into the statement's own text. */
  constructor(private readonly base = 0) {}

  /** A base column as a key of one of the column lists (groupBy, distinct, partitionBy, orderBy). */
  keyColumn(list: Map<string, ColumnRef>, r: ColumnRef): void {
    list.set(`${r.table}.${r.column}`, r);
  }

  addJoin(a: ColumnRef, b: ColumnRef, jt: JoinType, where: JoinSource, underOr: boolean): void {
    let left = a;
    let right = b;
    let joinType = jt;
    if (cmpRef(a, b) > 0) {
      left = b;
      right = a;
      joinType = FLIP[jt] ?? jt;
    }
    const key = `${left.table}\u0001${left.column}\u0001${right.table}\u0001${right.column}\u0001${joinType}\u0001${where}\u0001${underOr ? 1 : 0}`;
    if (!this.joins.has(key)) this.joins.set(key, { left, right, joinType, where, underOr });
  }

  addFilter(ref: ColumnRef, op: FilterOp, value: ValueKind, at: FilterPlace, values?: string[], count?: number): void {
    const sorted = values ? [...new Set(values)].sort() : undefined;
    const clause = at.clause ?? 'where';
    const inSubquery = at.level > 0;
    const key = `${ref.table}\u0001${ref.column}\u0001${op}\u0001${value}\u0001${sorted ? sorted.join('\u0002') : '\u0003'}\u0001${count ?? ''}\u0001${at.underOr ? 1 : 0}\u0001${clause}\u0001${inSubquery ? 1 : 0}`;
    if (this.filters.has(key)) return;
    const f: ColumnFilter = {
      table: ref.table,
      column: ref.column,
      op,
      value,
      ...(sorted ? { values: sorted } : {}),
      ...(count !== undefined ? { count } : {}),
      underOr: at.underOr,
      clause,
      inSubquery,
    };
    this.filters.set(key, f);
  }

  addFunction(f: FunctionCall): void {
    const key = `${f.name}\u0001${f.volatility}\u0001${f.where}\u0001${+f.inCaseOrCoalesce}${+f.columnArgs}${+f.aggregate}${+f.window}`;
    if (!this.functions.has(key)) this.functions.set(key, f);
  }

  unresolvedColumn(column: string, reason: UnresolvedColumn['reason']): void {
    this.unresolved.set(`${column}|${reason}`, { column, reason });
  }

  addCartesian(a: string, b: string): void {
    const pair = [a, b].sort() as [string, string];
    this.cartesian.set(pair.join('|'), pair);
  }

  /** A relation named at `location` (undefined when the tree gives none: nothing to rewrite there). */
  addReference(location: number | undefined, key: string, kind: RelationReference['kind']): void {
    if (location === undefined || location < 0) return;
    this.references.set(location + this.base, { location: location + this.base, key, kind });
  }

  facts(kind: QueryKind, statement: string): QueryFacts {
    const tree = this.tree.build();
    const sortSet = (s: Set<string>): string[] => [...s].sort();
    const refs = (m: Map<string, ColumnRef>): ColumnRef[] => [...m.values()].sort(cmpRef);
    const subqueries = this.subqueries
      .map((s) => [`${s.kind}\u0001${s.where}\u0001${+s.correlated}${+s.lateral}${+s.negated}`, s] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map((p) => p[1]);
    return {
      kind,
      statement,
      tablesRead: sortSet(this.read),
      tablesWritten: sortSet(this.written),
      views: sortSet(this.views),
      unknownRelations: sortSet(this.unknown),
      joins: sortedByKey(this.joins),
      filters: sortedByKey(this.filters),
      groupBy: refs(this.groupBy),
      distinct: refs(this.distinct),
      partitionBy: refs(this.partitionBy),
      orderBy: refs(this.orderBy),
      ...(this.write ? { write: this.write } : {}),
      functions: sortedByKey(this.functions),
      features: {
        ...this.f,
        setOperations: sortSet(this.setOps),
        locking: sortSet(this.locking),
        subqueries,
        cartesian: sortedByKey(this.cartesian),
        // PostgreSQL (and Citus) inline a SELECT CTE unless it is MATERIALIZED, or referenced twice without NOT MATERIALIZED.
        materializedCtes: this.cteEntries.filter((c) => !c.recursive && (c.modifying || c.materialized === true || (c.materialized === undefined && c.refs > 1))).length,
      },
      unresolved: sortedByKey(this.unresolved),
      references: [...this.references.values()].sort((a, b) => a.location - b.location),
      ...(kind !== 'other' && tree ? { tree } : {}),
    };
  }
}
