/**
 * How Citus's planner would run a statement under a design (citus-rules.md
 * §10–11): router (one shard), multi-shard pushdown, repartition join,
 * recursive planning (intermediate results first), coordinator only, or an
 * error with Citus's (or PostgreSQL's) own text. A SELECT goes through the
 * model of Citus's planner (`planner.ts`) on the statement's query tree;
 * modifications through Citus's checks first (`modify.ts`). This is the
 * decision only; which shards are hit is worked out from it by the
 * shard-level router.
 */
import type { QueryFacts, UnresolvedColumn } from '../../workload/model.js';
import { Layout } from './layout.js';
import { isLocal, isSharded, writeChecks } from './modify.js';
import { CitusPlanner, type PlanOutcome } from './planner.js';
import { pruneRelations } from './pruning.js';
import { ERR } from './pushdown.js';
import { Equivalence } from './equivalence.js';
import { allQueries, Ids, insertSelectSource, Instantiator, tableRels, type Query } from './query.js';
import { routerShards, shardSet, taskShards } from './shards.js';
import type { CitusError, DistributionView, Route, RoutingOptions } from './types.js';

export type { CitusError, DistributionView, Route, RouteClass, RoutingOptions, TableRole } from './types.js';

const DEFAULT_OPTIONS: RoutingOptions = { enableRepartitionJoins: false };

/** Columns every table has that no catalog lists. */
const SYSTEM_COLUMNS = new Set(['ctid', 'xmin', 'xmax', 'cmin', 'cmax', 'tableoid', 'oid']);

export function classifyQuery(facts: QueryFacts, view: DistributionView, options: RoutingOptions = DEFAULT_OPTIONS): Route {
  const missing = options.existenceChecks === false ? undefined : existenceError(facts);
  if (missing) return { class: 'error', reason: 'PostgreSQL refuses the statement before Citus plans it', error: missing };
  if (nestedModifyingCte(facts)) {
    return { class: 'error', reason: 'PostgreSQL refuses a data-modifying CTE below the top level', error: { message: 'WITH clause containing a data-modifying statement must be at the top level' } };
  }
  const tables = [...new Set([...facts.tablesRead, ...facts.tablesWritten])];
  if (!tables.length) return { class: 'coordinator', reason: 'touches no table' };
  const dist = tables.filter((t) => isSharded(view.role(t)));
  // The planner's copy of the statement is made only when a planner needs it (INSERT ... VALUES does not).
  let built: { query: Query; ids: Ids } | null | undefined;
  const model = () => (built === undefined ? (built = facts.tree ? instantiate(facts) : null) : built);
  // What the model could not read: of the planner's copy when one was made, and names the schema lacks.
  const unsure = (): Partial<Route> => {
    const notes = [...(built?.query.unknowns ?? []), ...(options.existenceChecks === false ? facts.unknownRelations.map((r) => `relation ${r}, which the schema does not have`) : [])];
    return notes.length ? { unsure: notes } : {};
  };
  const planSelect = (q: Query | undefined): Route => {
    const b = model();
    if (!q || !b) return { class: 'coordinator', reason: 'the SELECT was not read', unsure: ['the SELECT of the statement'] };
    return routeOf(new CitusPlanner(new Layout(view), b.ids, options).plan(q), unsure());
  };

  if (facts.kind === 'insert' || facts.kind === 'update' || facts.kind === 'delete' || facts.kind === 'merge') {
    const w = writeChecks(facts, view, dist, options, () => {
      const b = model();
      return planSelect(b ? insertSelectSource(b.query, b.ids) : undefined);
    });
    if (w) return { ...w, ...(w.unsure ? {} : unsure()) };
    return { ...modifyRoute(facts, view, dist, model() ?? undefined), ...unsure() };
  }
  const b = model();
  if (!b) return { class: 'coordinator', reason: 'a statement the planner model does not read', unsure: [`a ${facts.statement}`] };
  return planSelect(b.query);
}

function instantiate(facts: QueryFacts): { query: Query; ids: Ids } {
  const tree = facts.tree!;
  const ids = new Ids(tree);
  return { query: new Instantiator(ids, tree.views).statement(tree), ids };
}

function routeOf(p: PlanOutcome, extra: Partial<Route>): Route {
  return {
    class: p.class,
    reason: p.reason,
    ...(p.error ? { error: p.error } : {}),
    ...(p.keyFilters?.length ? { keyFilters: p.keyFilters } : {}),
    ...(p.shardIndexes ? { shardIndexes: p.shardIndexes } : {}),
    ...(p.shardCount !== undefined ? { shardCount: p.shardCount } : {}),
    ...(p.subplans ? { subplans: p.subplans } : {}),
    ...(p.needsRepartitionGuc || p.error?.message === 'the query contains a join that requires repartitioning' ? { needsRepartitionGuc: true } : {}),
    ...extra,
  };
}

/**
 * PostgreSQL's own checks, before any planner: a relation the schema does
 * not have, a column no relation in scope has, a reference to a table the
 * FROM clause does not name, an ambiguous name.
 */
function existenceError(facts: QueryFacts): CitusError | undefined {
  if (facts.unknownRelations.length) {
    const rel = firstUnknownRelation(facts);
    return { message: `relation "${rel}" does not exist` };
  }
  const u = [...facts.unresolved].sort(byColumn).find((x) => x.reason === 'unknown-column' || x.reason === 'ambiguous' || x.reason === 'unknown-relation');
  if (!u) return undefined;
  const parts = u.column.split('.');
  const name = parts[parts.length - 1];
  if (SYSTEM_COLUMNS.has(name) || name === '*') return undefined;
  if (u.reason === 'ambiguous') return { message: `column reference "${u.column}" is ambiguous` };
  if (u.reason === 'unknown-relation') return parts.length > 1 ? { message: `missing FROM-clause entry for table "${parts[parts.length - 2]}"` } : undefined;
  return parts.length > 1 ? { message: `column ${u.column} does not exist` } : { message: `column "${u.column}" does not exist` };
}

/**
 * PostgreSQL's transformWithClause: a data-modifying CTE is allowed only in
 * the statement's own WITH, not in one of a subquery, of a CTE's query or
 * of an INSERT's SELECT (any level parsed with a parent parse state).
 */
function nestedModifyingCte(facts: QueryFacts): boolean {
  const tree = facts.tree;
  return !!tree && tree.levels.some((l) => l.id !== tree.root && l.ctes.some((c) => c.modifying));
}

function byColumn(a: UnresolvedColumn, b: UnresolvedColumn): number {
  return a.column < b.column ? -1 : a.column > b.column ? 1 : 0;
}

/** The first relation the statement names that does not exist, as written. */
function firstUnknownRelation(facts: QueryFacts): string {
  for (const l of facts.tree?.levels ?? []) for (const r of l.rels) if (r.kind === 'unknown' && r.name) return r.name;
  const key = facts.unknownRelations[0];
  return key.startsWith('public.') ? key.slice('public.'.length) : key;
}

/**
 * UPDATE / DELETE / MERGE (and INSERT into a table that is not sharded)
 * past Citus's checks: a modification of local tables runs on the
 * coordinator, of a reference table on every replica, of distributed tables
 * routed when every distributed relation prunes to one shard group
 * (PlanRouterQuery), else on every shard it keeps (multi-shard modify).
 */
function modifyRoute(facts: QueryFacts, view: DistributionView, dist: string[], built: { query: Query; ids: Ids } | undefined): Route {
  const tables = [...new Set([...facts.tablesRead, ...facts.tablesWritten])];
  const locals = tables.filter((t) => isLocal(view.role(t)));
  const refs = tables.filter((t) => view.role(t) === 'reference');
  const target = facts.write?.target;
  if (!dist.length) {
    if (locals.length && refs.length) return { class: 'coordinator', reason: 'local and reference tables join on the coordinator, which holds a replica of every reference table' };
    if (locals.length) return { class: 'coordinator', reason: 'only local tables: runs on the coordinator as plain PostgreSQL' };
    if (target && view.role(target) === 'reference') return { class: 'router', reason: 'a write to a reference table is one fast-path task, applied to its replica on every node with 2PC' };
    return { class: 'router', reason: 'only reference tables: one task on one replica' };
  }
  if (locals.length) {
    return { class: 'recursive', reason: `local table ${locals.join(', ')} is read into an intermediate result and joined with the distributed tables (citus.local_table_join_policy = auto)` };
  }
  if (!built) return { class: 'multi-shard', reason: 'a modification the planner model does not read', unsure: [`a ${facts.statement}`] };
  const layout = new Layout(view);
  const eq = new Equivalence(built.query, layout);
  const pruned = pruneRelations(built.query, layout, eq);
  const rels = tableRels(built.query);
  const r = routerShards(rels, pruned, layout);
  if (typeof r !== 'string') {
    const by = [...new Set(r.keyFilters.map((f) => `${f.table}.${f.column}`))];
    return {
      class: 'router',
      reason: by.length ? `equality filter on the distribution column ${by.join(', ')} prunes every distributed table to one shard` : 'single-shard tables in one colocation group: one task',
      ...(r.keyFilters.length ? { keyFilters: r.keyFilters } : {}),
      ...(r.index !== undefined ? { shardIndexes: [r.index] } : {}),
    };
  }
  // MultiShardUpdateDeleteSupported -> DeferErrorIfUnsupportedSubqueryPushdown: every distributed relation instance joined on its key.
  // With no CTE or subquery, recursive planning leaves the statement as it is, so the check meets its FROM items as written (a table joined with itself too).
  if (facts.kind !== 'merge' && allQueries(built.query).length === 1 && !eq.keysEqual(rels)) {
    return { class: 'error', reason: 'a multi-shard modification whose distributed relations are not all joined on their distribution columns', error: ERR.complexColocated };
  }
  const hash = rels.filter((x) => layout.hash(x.table));
  const tasks = taskShards(
    hash.map((x) => shardSet(x, pruned.get(x.id), layout)),
    'union',
  );
  const joined = dist.length > 1 ? ', joined on their distribution columns (colocated)' : '';
  return {
    class: 'multi-shard',
    reason: `no equality filter on the distribution column: runs on all shards in parallel${joined}`,
    ...(tasks.indexes ? { shardIndexes: tasks.indexes } : {}),
    ...(tasks.count !== undefined ? { shardCount: tasks.count } : {}),
  };
}
