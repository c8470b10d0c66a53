/**
 * The global design search. For each key class (a set of columns linked by
 * foreign keys, naming and joins), build the design that distributes the
 * class's tables on it, brings along the tables that reach it through
 * foreign keys (backfill), and makes small shared tables reference tables;
 * score it against the workload with Citus's routing rules and against the
 * schema's foreign keys; keep the best; then improve table by table.
 */
import type { Assignment, Choice } from './choice.js';
import { referencesDistributed, replicaWorthy } from './build.js';
import { relSize, type SearchContext } from './context.js';
import { scoreAssignment } from './objective.js';
import { groupId, usableKey } from './members.js';
import { WorkloadRouting } from './routing.js';

// The design types live in choice.ts (routing.ts reads them too); the advisor's entry takes them from here.
export { withChoice, type Assignment, type Choice, type DesignLookup } from './choice.js';
export { makeContext, type SearchContext } from './context.js';
export { designFor, quickClassScore } from './build.js';
export { fkSupported, scoreAssignment, type Score } from './objective.js';

export function improve(ctx: SearchContext, assign: Assignment, maxPasses = 2, only?: ReadonlySet<string>): Assignment {
  let current = new Map(assign);
  // A move changes one table: only the query shapes whose routing looked at it are classified again.
  const routing = new WorkloadRouting(ctx, current);
  let score = scoreAssignment(ctx, current, routing.value()).total;
  for (let pass = 0; pass < maxPasses; pass++) {
    let improved = false;
    for (const table of [...current.keys()].sort()) {
      if (only && !only.has(table)) continue;
      const c = current.get(table)!;
      if (c.kind !== 'distributed' || c.backfill) continue;
      const alternatives: Choice[] = [];
      for (const cand of (ctx.candidates.get(table) ?? []).slice(0, 4)) {
        if (cand.excluded || cand.column === c.column || cand.score <= 0 || !usableKey(ctx, table, cand.column)) continue;
        const cls = ctx.graph.classOf[`${table}.${cand.column}`];
        const group = cls ? groupId(ctx, cls, table, cand.column) : `own:${table}`;
        alternatives.push({ kind: 'distributed', column: cand.column, group, reasons: [] });
      }
      if (relSize(ctx, table) <= 0.25 && replicaWorthy(ctx, table) && !referencesDistributed(ctx, table, current)) alternatives.push({ kind: 'reference', reasons: [] });
      for (const alt of alternatives) {
        const trial = new Map(current);
        trial.set(table, alt);
        const rerouted = routing.reroute(trial, table);
        const s = scoreAssignment(ctx, trial, routing.value(rerouted)).total;
        if (s > score + 1e-9) {
          current = trial;
          score = s;
          improved = true;
          routing.commit(rerouted);
        }
      }
    }
    if (!improved) break;
  }
  return current;
}

/**
 * The tables local search tries moves on when the schema is large: the ones
 * the weighted workload touches most, else the ones most foreign keys point
 * at (ties by name, so the choice is deterministic).
 */
export function busiestTables(ctx: SearchContext, n: number): Set<string> {
  const weight = new Map<string, number>();
  for (let i = 0; i < ctx.queryShare.length; i++) {
    for (const t of ctx.shapes.shapes[ctx.shapes.shapeOf[i]].tables) weight.set(t, (weight.get(t) ?? 0) + ctx.queryShare[i]);
  }
  if (!weight.size) for (const [t, refs] of ctx.referrers) weight.set(t, refs.length);
  return new Set(
    [...weight.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, n)
      .map(([t]) => t),
  );
}

