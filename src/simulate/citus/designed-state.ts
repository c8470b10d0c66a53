/**
 * The designed state: a design's distribution calls applied to the model
 * directly, each handed to the module that runs its UDF
 * (create-distributed-table.ts) with the arguments its SQL would bind,
 * without writing, parsing and routing a `SELECT create_..._table(...)`
 * per table and without keeping a copy of the state before each call.
 * The calls must not change the single-node catalog, and do not: they
 * only change Citus's metadata (the tables' kinds, the colocation groups,
 * OIDs), so the foreign key graph is read from an index made once. A call
 * Citus refuses is undone as the statement would be (utility-hook.ts), from
 * a log of what it changed rather than a copy of the whole state per call:
 * on a large schema most calls of a design may be refused. Replaying the
 * SQL (CitusCluster.execute) gives the same state; the test compares the
 * two.
 */
import { CitusError } from './errors.js';
import { createDistributedTable, createReferenceTable } from './create-distributed-table.js';
import type { StepError } from './model.js';
import type { Arg } from './postgres-parse-func.js';
import { referencingIndex } from './foreign-key-relationship.js';
import type { ClusterState } from './state.js';

/** One call of a design: the UDF and its arguments by parameter name, as its SQL binds them (null for NULL). */
export interface DesignCall {
  readonly udf: 'create_distributed_table' | 'create_reference_table';
  readonly args: ReadonlyArray<readonly [string, string | null]>;
}

/** Run the calls in order; per call, the error Citus raises, or undefined. */
export function applyDesignCalls(s: ClusterState, calls: readonly DesignCall[]): Array<StepError | undefined> {
  const citus = new UndoMap(s.citus);
  const groups = new UndoMap(s.groups);
  const oids = new UndoMap(s.oids);
  s.citus = citus;
  s.groups = groups;
  s.oids = oids;
  s.referencing = referencingIndex(s.builder.peekTables());
  try {
    return calls.map((call) => {
      const scalars = { nextColocationId: s.nextColocationId, referenceGroup: s.referenceGroup, nextOid: s.nextOid, distributedSequences: new Set(s.distributedSequences) };
      // The one change made in place (markNotAutoConverted): an auto-converted table becomes the user's.
      const autoConverted = [...citus.values()].filter((i) => i.kind === 'citus-local' && i.autoConverted);
      for (const m of [citus, groups, oids]) m.mark();
      s.notices = [];
      try {
        run(s, call);
        return undefined;
      } catch (e) {
        if (!(e instanceof CitusError)) throw e;
        for (const m of [citus, groups, oids]) m.undo();
        Object.assign(s, scalars);
        for (const i of autoConverted) i.autoConverted = true;
        return e.toStepError();
      }
    });
  } finally {
    s.citus = new Map(citus);
    s.groups = new Map(groups);
    s.oids = new Map(oids);
    s.referencing = undefined;
    s.notices = [];
  }
}

/**
 * A map that can take back what was set and deleted since `mark()`: a
 * refused call is undone in the time it took, where a copy of the state
 * before every call costs the size of the state each time.
 */
class UndoMap<K, V> extends Map<K, V> {
  private log: Array<{ readonly key: K; readonly had: boolean; readonly value: V | undefined }> | undefined;

  mark(): void {
    this.log = [];
  }

  override set(key: K, value: V): this {
    this.log?.push({ key, had: super.has(key), value: super.get(key) });
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    this.log?.push({ key, had: super.has(key), value: super.get(key) });
    return super.delete(key);
  }

  override clear(): void {
    for (const key of [...this.keys()]) this.delete(key);
  }

  undo(): void {
    const log = this.log ?? [];
    this.log = undefined;
    for (let i = log.length - 1; i >= 0; i--) {
      const { key, had, value } = log[i];
      if (had) super.set(key, value as V);
      else super.delete(key);
    }
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
