/** Run a migration script on a simulated Citus coordinator, statement by statement. */
import type { Catalog } from '../../catalog/model.js';
import type { Script } from '../../ingest/pg/index.js';
import { CitusCluster } from './cluster.js';
import type { SimulateOptions, Simulation, Step } from './model.js';
import { parseBool } from './variableset.js';

/**
 * Each statement's outcome under Citus's rules, in order. As psql without
 * ON_ERROR_STOP, a failed statement changes nothing and the next ones still run
 * (inside a transaction block they fail until COMMIT/ROLLBACK). After
 * `\set ON_ERROR_STOP on` psql exits at the first error: the statements after
 * it are not run, and `stopped` says where and how many.
 */
export function simulateScript(catalog: Catalog, script: Script, options: SimulateOptions = {}): Simulation {
  const cluster = new CitusCluster(catalog, options);
  return runScript(cluster, script);
}

/** Continue on an existing cluster (several scripts in a row; each is one psql run). */
export function runScript(cluster: CitusCluster, script: Script): Simulation {
  const steps: Step[] = [];
  const meta = [...script.metaCommands].sort((a, b) => a.startByte - b.startByte);
  let nextMeta = 0;
  let onErrorStop = false;
  for (const [i, stmt] of script.statements.entries()) {
    for (; nextMeta < meta.length && meta[nextMeta].startByte < stmt.startByte; nextMeta++) {
      const text = meta[nextMeta].text.trim();
      if (/^\\c(onnect)?(\s|$)/.test(text)) cluster.reconnect();
      onErrorStop = applyMeta(text, onErrorStop);
    }
    // A query also says how the planner would run it; one it would refuse fails.
    const { error, notices, route, notModelled } = cluster.execute(script, stmt);
    const step: Step = {
      index: steps.length + 1,
      sql: stmt.sql,
      location: stmt.location,
      outcome: error ? 'error' : notModelled ? 'not-modelled' : 'ok',
      ...(error ? { error } : {}),
      ...(notModelled && !error ? { reason: notModelled } : {}),
      notices,
      ...(route ? { class: route.route.class, shards: route.shards } : {}),
    };
    steps.push(step);
    if (error && onErrorStop) {
      cluster.endSession();
      return { citus: cluster.versionText, steps, final: cluster.summary(), stopped: { step: step.index, notRun: script.statements.length - i - 1 } };
    }
  }
  return { citus: cluster.versionText, steps, final: cluster.summary() };
}

/** psql's `\set` / `\unset` of ON_ERROR_STOP (a boolean variable: an empty value means on). */
function applyMeta(text: string, current: boolean): boolean {
  const m = /^\\(set|unset)\s+ON_ERROR_STOP(?:\s+(.*))?$/.exec(text.trim());
  if (!m) return current;
  if (m[1] === 'unset') return false;
  const value = (m[2] ?? '').trim().replace(/^'(.*)'$/, '$1');
  if (value === '') return true;
  return parseBool(value) ?? current; // psql rejects a value that is not a boolean and keeps the old one
}
