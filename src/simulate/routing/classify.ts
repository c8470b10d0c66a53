/**
 * How Citus's planner would run a query under a design, decided from the
 * query's facts (citus-rules.md §10–11): router (one shard), multi-shard
 * pushdown, repartition join, recursive planning, coordinator only, or an
 * error with Citus's own text. This is the decision only; which shards are
 * hit is worked out from it by the shard-level router.
 */
import type { ColumnFilter, QueryFacts } from '../../workload/model.js';

export type RouteClass = 'router' | 'multi-shard' | 'repartition' | 'recursive' | 'coordinator' | 'error';

export interface CitusError {
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
}

export interface Route {
  readonly class: RouteClass;
  /** Why, in words. */
  readonly reason: string;
  readonly error?: CitusError;
  /** The distribution-column filters that decide the shards (router / IN lists). */
  readonly keyFilters?: ColumnFilter[];
  /** Repartition joins need citus.enable_repartition_joins. */
  readonly needsRepartitionGuc?: boolean;
}

export type TableRole = 'distributed' | 'single-shard' | 'reference' | 'citus-local' | 'local';

/** What the router needs to know of a design. */
export interface DistributionView {
  role(table: string): TableRole;
  /** Distribution column of a distributed table. */
  column(table: string): string | undefined;
  /** Colocation group id (distributed and single-shard tables). */
  group(table: string): string | undefined;
}

export interface RoutingOptions {
  readonly enableRepartitionJoins: boolean;
}

const ERR_REPARTITION: CitusError = {
  message: 'the query contains a join that requires repartitioning',
  hint: 'Set citus.enable_repartition_joins to on to enable repartitioning',
};

const FOR_UPDATE_HINT = "Consider using an equality filter on the distributed table's partition column.";

export function classifyQuery(facts: QueryFacts, view: DistributionView, options: RoutingOptions = { enableRepartitionJoins: false }): Route {
  const tables = [...new Set([...facts.tablesRead, ...facts.tablesWritten])];
  const dist = tables.filter((t) => isSharded(view.role(t)));
  const refs = tables.filter((t) => view.role(t) === 'reference');
  const locals = tables.filter((t) => view.role(t) === 'local' || view.role(t) === 'citus-local');
  const target = facts.write?.target;
  const targetRole = target ? view.role(target) : undefined;

  if (!tables.length) return { class: 'coordinator', reason: 'touches no table' };

  // Writes first: their errors come before planning.
  if (facts.kind === 'insert' || facts.kind === 'update' || facts.kind === 'delete' || facts.kind === 'merge') {
    const w = writeChecks(facts, view, dist, refs, locals);
    if (w) return w;
  }

  if (!dist.length) {
    if (locals.length && refs.length) return { class: 'coordinator', reason: 'local and reference tables join on the coordinator, which holds a replica of every reference table' };
    if (locals.length) return { class: 'coordinator', reason: 'only local tables: runs on the coordinator as plain PostgreSQL' };
    if (targetRole === 'reference') return { class: 'multi-shard', reason: 'a write to a reference table goes to its replica on every node (2PC)' };
    return { class: 'router', reason: 'only reference tables: one task on one replica' };
  }
  if (locals.length) {
    return {
      class: 'recursive',
      reason: `local table ${locals.join(', ')} is read into an intermediate result and joined with the distributed tables (citus.local_table_join_policy = auto)`,
    };
  }

  // Distributed tables: which are joined on their distribution columns, colocated?
  const components = colocatedComponents(facts, view, dist);
  const keyFilters = facts.filters.filter((f) => isKeyFilter(f, view));

  if (components.length === 1) {
    const byTable = new Map<string, ColumnFilter[]>();
    for (const f of keyFilters) byTable.set(f.table, [...(byTable.get(f.table) ?? []), f]);
    const single = keyFilters.filter((f) => (f.op === '=' || (f.op === 'in' && f.count === 1)) && !f.underOr);
    const inLists = keyFilters.filter((f) => f.op === 'in' && (f.count ?? 2) > 1 && !f.underOr);
    const singleShardTables = dist.every((t) => view.role(t) === 'single-shard');
    if (single.length || singleShardTables) {
      return {
        class: 'router',
        reason: singleShardTables
          ? 'single-shard tables in one colocation group: one task'
          : `equality filter on the distribution column ${single.map((f) => `${f.table}.${f.column}`).join(', ')} prunes every colocated table to one shard`,
        keyFilters: single,
      };
    }
    const multi = multiShardChecks(facts);
    if (multi) return multi;
    if (inLists.length) {
      return { class: 'multi-shard', reason: `IN list on the distribution column ${inLists.map((f) => `${f.table}.${f.column}`).join(', ')}: one task per shard hit`, keyFilters: inLists };
    }
    const joined = dist.length > 1 ? ', joined on their distribution columns (colocated)' : '';
    return { class: 'multi-shard', reason: `no equality filter on the distribution column: runs on all shards in parallel${joined}` };
  }

  // Several groups of distributed tables that are not joined on the key.
  if (facts.features.cartesian.some(([a, b]) => isSharded(view.role(a)) && isSharded(view.role(b)))) {
    return {
      class: 'error',
      reason: 'distributed tables with no join condition between them',
      error: { message: 'cannot perform distributed planning on this query', detail: 'Cartesian products are currently unsupported' },
    };
  }
  const crossJoins = facts.joins.filter((j) => {
    const a = componentOf(components, j.left.table);
    const b = componentOf(components, j.right.table);
    return a !== undefined && b !== undefined && a !== b;
  });
  const outer = crossJoins.find((j) => j.joinType === 'left' || j.joinType === 'right' || j.joinType === 'full');
  const onlySubqueries = crossJoins.length === 0 || crossJoins.every((j) => j.where === 'subquery' || j.joinType === 'semi' || j.joinType === 'anti');
  if (onlySubqueries && (facts.features.subqueries.length > 0 || facts.features.ctes > 0)) {
    return { class: 'recursive', reason: 'a subquery or CTE on tables that are not colocated is planned first into an intermediate result' };
  }
  if (outer) {
    const [a, b] = [outer.left.table, outer.right.table].sort();
    return {
      class: 'error',
      reason: 'an outer join between tables that are not colocated on their distribution columns',
      error: { message: 'cannot push down this subquery', detail: `${bare(a)} and ${bare(b)} are not colocated` },
    };
  }
  if (options.enableRepartitionJoins) {
    return { class: 'repartition', reason: 'tables that are not colocated on the join columns are repartitioned (citus.enable_repartition_joins is on)', needsRepartitionGuc: true };
  }
  return { class: 'error', reason: 'join between tables that are not colocated on the join columns', error: ERR_REPARTITION, needsRepartitionGuc: true };
}

function isSharded(role: TableRole): boolean {
  return role === 'distributed' || role === 'single-shard';
}

function bare(key: string): string {
  return key.startsWith('public.') ? key.slice(7) : key;
}

function isKeyFilter(f: ColumnFilter, view: DistributionView): boolean {
  return view.role(f.table) === 'distributed' && view.column(f.table) === f.column && (f.value === 'const' || f.value === 'param') && (f.op === '=' || f.op === 'in');
}

/** Distributed tables grouped by equi-joins on their distribution columns within one colocation group. */
function colocatedComponents(facts: QueryFacts, view: DistributionView, dist: string[]): string[][] {
  const parent = new Map(dist.map((t) => [t, t]));
  const find = (t: string): string => {
    let r = t;
    while (parent.get(r) !== r) r = parent.get(r)!;
    return r;
  };
  for (const j of facts.joins) {
    if (j.underOr) continue;
    const a = j.left.table;
    const b = j.right.table;
    if (!parent.has(a) || !parent.has(b)) continue;
    const ga = view.group(a);
    if (ga === undefined || ga !== view.group(b)) continue;
    const onKey = view.role(a) === 'single-shard' || (view.column(a) === j.left.column && view.column(b) === j.right.column);
    if (onKey) parent.set(find(a), find(b));
  }
  // Single-shard tables of one group are colocated without any join.
  const bySingleGroup = new Map<string, string>();
  for (const t of dist) {
    if (view.role(t) !== 'single-shard') continue;
    const g = view.group(t)!;
    const first = bySingleGroup.get(g);
    if (first) parent.set(find(t), find(first));
    else bySingleGroup.set(g, t);
  }
  const groups = new Map<string, string[]>();
  for (const t of dist) groups.set(find(t), [...(groups.get(find(t)) ?? []), t]);
  return [...groups.values()];
}

function componentOf(components: string[][], table: string): number | undefined {
  const i = components.findIndex((c) => c.includes(table));
  return i === -1 ? undefined : i;
}

/** Constructs Citus refuses when a query runs on more than one shard. */
function multiShardChecks(facts: QueryFacts): Route | undefined {
  if (facts.features.locking.length) {
    return {
      class: 'error',
      reason: 'FOR UPDATE/SHARE on several shards',
      error: { message: 'could not run distributed query with FOR UPDATE/SHARE commands', hint: FOR_UPDATE_HINT },
    };
  }
  if (facts.features.groupingSets) {
    return {
      class: 'error',
      reason: 'GROUPING SETS, CUBE or ROLLUP on several shards',
      error: { message: 'could not run distributed query with GROUPING SETS, CUBE, or ROLLUP', hint: FOR_UPDATE_HINT },
    };
  }
  if (facts.features.recursiveCte) {
    return {
      class: 'error',
      reason: 'a recursive CTE without a filter on the distribution column',
      error: { message: 'recursive CTEs are only supported when they contain a filter on the distribution column' },
    };
  }
  return undefined;
}

function writeChecks(facts: QueryFacts, view: DistributionView, dist: string[], refs: string[], locals: string[]): Route | undefined {
  const w = facts.write;
  if (!w) return undefined;
  const role = view.role(w.target);
  if (role === 'reference' && (facts.kind === 'update' || facts.kind === 'delete') && dist.length) {
    return {
      class: 'error',
      reason: 'a reference table modified with a join to a distributed table',
      error: { message: 'only reference tables may be queried when targeting a reference table with multi shard UPDATE/DELETE queries with multiple tables ' },
    };
  }
  if (role !== 'distributed') return undefined;
  const key = view.column(w.target)!;
  if (facts.kind === 'insert') {
    if (facts.features.sublinkInValues || facts.features.sublinkInReturning) {
      return {
        class: 'error',
        reason: 'a subquery inside INSERT ... VALUES or RETURNING',
        error: { message: 'subqueries are not supported within INSERT queries', hint: "Try rewriting your queries with 'INSERT INTO ... SELECT' syntax." },
      };
    }
    if (w.select) return insertSelect(facts, view, key, dist, locals);
    const v = w.values?.find((x) => x.column === key);
    if (!w.columns.includes(key) || !v) {
      return { class: 'error', reason: `the INSERT gives no value for the distribution column ${key}`, error: { message: 'cannot perform an INSERT without a partition column value' } };
    }
    if (w.onConflict?.set.includes(key)) {
      return { class: 'error', reason: 'ON CONFLICT DO UPDATE sets the distribution column', error: { message: 'modifying the partition value of rows is not allowed' } };
    }
    const rows = w.rows ?? 1;
    const distinct = v.constants?.length ?? (v.value === 'param' && rows === 1 ? 1 : undefined);
    if (rows <= 1 || distinct === 1) return { class: 'router', reason: `INSERT with a value for the distribution column ${key}: one shard` };
    return { class: 'multi-shard', reason: `multi-row INSERT: split by shard of ${key}, one task per shard hit` };
  }
  // UPDATE / DELETE / MERGE on a distributed table
  if (w.columns.includes(key)) {
    const keyFilter = facts.filters.find((f) => f.table === w.target && f.column === key && f.op === '=' && !f.underOr);
    if (!keyFilter) {
      return {
        class: 'error',
        reason: `the statement changes the distribution column ${key}`,
        error: { message: facts.kind === 'merge' ? 'updating the distribution column is not allowed in MERGE actions' : 'modifying the partition value of rows is not allowed' },
      };
    }
  }
  for (const fn of facts.functions) {
    if (fn.volatility !== 'volatile' || fn.aggregate) continue;
    if (fn.where === 'set') {
      return { class: 'error', reason: `volatile function ${fn.name} in UPDATE ... SET`, error: { message: 'functions used in UPDATE queries on distributed tables must not be VOLATILE' } };
    }
    if (fn.where === 'where' || fn.where === 'join') {
      return { class: 'error', reason: `volatile function ${fn.name} in the WHERE clause`, error: { message: 'functions used in the WHERE/ON/WHEN clause of modification queries on distributed tables must not be VOLATILE' } };
    }
    if (fn.where === 'returning') {
      return { class: 'error', reason: `non-immutable function ${fn.name} in RETURNING`, error: { message: 'non-IMMUTABLE functions are not allowed in the RETURNING clause' } };
    }
  }
  for (const fn of facts.functions) {
    if (fn.volatility === 'stable' && fn.where === 'set' && fn.columnArgs) {
      return { class: 'error', reason: `stable function ${fn.name} with column arguments in SET`, error: { message: 'STABLE functions used in UPDATE queries cannot be called with column references' } };
    }
    if ((fn.volatility === 'stable' || fn.volatility === 'volatile') && fn.inCaseOrCoalesce && fn.where === 'set') {
      return { class: 'error', reason: `non-immutable function ${fn.name} inside CASE or COALESCE`, error: { message: 'non-IMMUTABLE functions are not allowed in CASE or COALESCE statements' } };
    }
  }
  // Joins in UPDATE ... FROM / DELETE ... USING with tables not colocated on the key.
  const others = dist.filter((t) => t !== w.target);
  if (others.length && facts.features.subqueries.every((s) => s.kind === 'derived')) {
    const comps = colocatedComponents(facts, view, dist);
    if (comps.length > 1 && !facts.joins.every((j) => j.where === 'subquery')) {
      return {
        class: 'error',
        reason: 'UPDATE/DELETE joined with a distributed table that is not colocated on the key',
        error: { message: 'complex joins are only supported when all distributed tables are co-located and joined on their distribution columns' },
      };
    }
  }
  void refs;
  return undefined;
}

function insertSelect(facts: QueryFacts, view: DistributionView, key: string, dist: string[], locals: string[]): Route {
  const w = facts.write!;
  const source = w.select!;
  const keyFrom = source.columns.find((c) => c.column === key)?.source;
  const target = w.target;
  const colocatedKey =
    keyFrom !== undefined &&
    view.role(keyFrom.table) === 'distributed' &&
    view.column(keyFrom.table) === keyFrom.column &&
    view.group(keyFrom.table) === view.group(target);
  const sources = source.tables.filter((t) => isSharded(view.role(t)));
  const pull = facts.features.limit || (facts.features.aggregates && !facts.groupBy.some((g) => g.table === keyFrom?.table && g.column === keyFrom?.column));
  if (locals.length || sources.length === 0) return { class: 'coordinator', reason: 'INSERT ... SELECT from local or reference tables: rows pulled to the coordinator and routed by shard' };
  if (colocatedKey && !pull) return { class: 'multi-shard', reason: `INSERT ... SELECT pushed down: ${key} comes from the colocated source's distribution column` };
  if (pull) return { class: 'coordinator', reason: 'INSERT ... SELECT with LIMIT or aggregates not grouped by the key: pulled to the coordinator' };
  void dist;
  return { class: 'repartition', reason: `INSERT ... SELECT repartitioned: ${key} does not come from a colocated distribution column` };
}
