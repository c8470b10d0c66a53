/** Run a migration script on a simulated Citus coordinator, statement by statement. */
import type { Catalog } from '../../catalog/model.js';
import type { Script } from '../../ingest/pg/index.js';
import { CitusCluster } from './cluster.js';
import type { SimulateOptions, Simulation, Step } from './model.js';
import { routeStatement } from './route.js';

/**
 * Each statement's outcome under Citus's rules, in order. As psql without
 * ON_ERROR_STOP, a failed statement changes nothing and the next ones still run
 * (inside a transaction block they fail until COMMIT/ROLLBACK).
 */
export function simulateScript(catalog: Catalog, script: Script, options: SimulateOptions = {}): Simulation {
  const cluster = new CitusCluster(catalog, options);
  return runScript(cluster, script);
}

/** Continue on an existing cluster (several scripts in a row). */
export function runScript(cluster: CitusCluster, script: Script): Simulation {
  const steps: Step[] = [];
  for (const stmt of script.statements) {
    const out = cluster.execute(script, stmt);
    // A query: how the planner would run it; one it would refuse fails here.
    const routed = out.error ? undefined : routeStatement(cluster, stmt);
    const error = out.error ?? (routed?.route.class === 'error' ? routed.route.error : undefined);
    const step: Step = {
      index: steps.length + 1,
      sql: stmt.sql,
      location: stmt.location,
      outcome: error ? 'error' : 'ok',
      ...(error ? { error } : {}),
      notices: out.notices,
      ...(routed ? { class: routed.route.class, shards: routed.shards } : {}),
    };
    steps.push(step);
  }
  return { citus: cluster.versionText, steps, final: cluster.summary() };
}
