/**
 * The designed state: a design's distribution calls applied to the model
 * directly, each handed to the module that runs its UDF
 * (create-distributed-table.ts) with the arguments its SQL would bind,
 * without writing, parsing and routing a `SELECT create_..._table(...)`
 * per table and without keeping a copy of the state before each call.
 * The calls must not change the single-node catalog, and do not: they
 * only change Citus's metadata, so the foreign key graph is read from an
 * index made once. A call Citus refuses is undone as the statement would be
 * (utility-hook.ts): on the first refusal the state goes back to where it
 * started and the calls run again, each from a copy of the state before it.
 * Replaying the SQL (CitusCluster.execute) gives the same state; the test
 * compares the two.
 */
import type { Table } from '../../catalog/model.js';
import { CitusError } from './errors.js';
import { createDistributedTable, createReferenceTable } from './create-distributed-table.js';
import type { StepError } from './model.js';
import type { Arg } from './postgres-parse-func.js';
import type { ClusterState } from './state.js';

/** One call of a design: the UDF and its arguments by parameter name, as its SQL binds them (null for NULL). */
export interface DesignCall {
  readonly udf: 'create_distributed_table' | 'create_reference_table';
  readonly args: ReadonlyArray<readonly [string, string | null]>;
}

/** Run the calls in order; per call, the error Citus raises, or undefined. */
export function applyDesignCalls(s: ClusterState, calls: readonly DesignCall[]): Array<StepError | undefined> {
  const start = s.snapshot();
  s.referencing = referencingIndex(s.builder.peekTables());
  try {
    try {
      for (const call of calls) run(s, call);
      return calls.map(() => undefined);
    } catch (e) {
      if (!(e instanceof CitusError)) throw e;
    }
    s.restore(start);
    return calls.map((call) => {
      const saved = s.snapshot();
      s.notices = [];
      try {
        run(s, call);
        return undefined;
      } catch (e) {
        if (!(e instanceof CitusError)) throw e;
        s.restore(saved);
        return e.toStepError();
      }
    });
  } finally {
    s.referencing = undefined;
    s.notices = [];
  }
}

function run(s: ClusterState, call: DesignCall): void {
  const args = new Map<string, Arg>(call.args.map(([k, v]) => [k, v === null ? { null: true } : { null: false, text: v }]));
  if (call.udf === 'create_reference_table') {
    const t = args.get('table_name');
    if (t && !t.null) createReferenceTable(s, s.regclass(t.text));
  } else createDistributedTable(s, args, false);
}

/** Per table, the tables with a foreign key to it, in the catalog's order. */
function referencingIndex(tables: readonly Table[]): Map<string, Table[]> {
  const out = new Map<string, Table[]>();
  for (const t of tables) {
    for (const ref of new Set(t.foreignKeys.map((fk) => fk.refTable))) {
      const list = out.get(ref);
      if (list) list.push(t);
      else out.set(ref, [t]);
    }
  }
  return out;
}
