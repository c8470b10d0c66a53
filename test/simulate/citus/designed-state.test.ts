/**
 * The designed state built directly (CitusCluster.applyDesign) against the
 * oracle: the same distribution calls written as SQL and replayed statement
 * by statement through the model. On corpus schemas, with the advisor's
 * design, with a design Citus refuses many calls of (every table hash
 * distributed on its first column: foreign keys across groups, unique keys
 * without the column), and with reference tables beside plain ones (the
 * plain tables they are FK-connected to become citus local tables).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/catalog/index.js';
import type { Catalog } from '../../../src/catalog/model.js';
import { analyzeInputs } from '../../../src/cli/pipeline.js';
import type { Design, TableDesign } from '../../../src/design/model.js';
import { loadParser, readScript } from '../../../src/ingest/pg/index.js';
import { distributionCalls, type DistributionCall } from '../../../src/rules/MIG01.js';
import { CitusCluster } from '../../../src/simulate/citus/cluster.js';
import type { StepError } from '../../../src/simulate/citus/model.js';
import type { ClusterState } from '../../../src/simulate/citus/state.js';
import { corpusDir } from '../../support/corpus.js';

beforeAll(async () => {
  await loadParser();
});

const DATASETS = ['lago-api', 'pagila', 'adventureworks', 'benchbase-seats', 'openstreetmap-website'];

/** The replayed state: each call's SQL run as a statement (the oracle). */
function replay(catalog: Catalog, calls: readonly DistributionCall[], citus: string) {
  const cluster = new CitusCluster(catalog, { citus });
  const script = readScript('shardwise.plan.yaml', calls.map((c) => c.sql).join('\n'));
  expect(script.statements).toHaveLength(calls.length);
  const errors = script.statements.map((stmt) => cluster.execute(script, stmt).error);
  return { cluster, errors };
}

function direct(catalog: Catalog, calls: readonly DistributionCall[], citus: string) {
  const cluster = new CitusCluster(catalog, { citus });
  return { cluster, errors: cluster.applyDesign(calls) };
}

/** Everything Citus keeps of the run, and the tables as the catalog has them (keys, foreign keys, columns). */
function stateOf(cluster: CitusCluster) {
  const snapshot = (cluster as unknown as { state: ClusterState }).state.snapshot();
  const catalog = cluster.catalog();
  return {
    summary: cluster.summary(),
    citus: [...snapshot.citus].sort(([a], [b]) => (a < b ? -1 : 1)),
    groups: [...snapshot.groups].sort(([a], [b]) => a - b),
    oids: [...snapshot.oids].sort(([a], [b]) => (a < b ? -1 : 1)),
    nextOid: snapshot.nextOid,
    nextColocationId: snapshot.nextColocationId,
    referenceGroup: snapshot.referenceGroup,
    data: [...snapshot.data].sort(([a], [b]) => (a < b ? -1 : 1)),
    tables: catalog.tables,
    foreignKeys: Object.values(catalog.tables).flatMap((t) => t.foreignKeys.map((fk) => ({ table: t.key, ...fk }))),
  };
}

function compare(catalog: Catalog, design: Design): { calls: number; errors: number; kinds: Set<string> } {
  const calls = distributionCalls(catalog, design);
  const oracle = replay(catalog, calls, design.citus);
  const built = direct(catalog, calls, design.citus);
  const message = (e: StepError | undefined) => (e ? `${e.message}|${e.detail ?? ''}|${e.hint ?? ''}` : undefined);
  expect(built.errors.map(message)).toEqual(oracle.errors.map(message));
  expect(stateOf(built.cluster)).toEqual(stateOf(oracle.cluster));
  return {
    calls: calls.length,
    errors: built.errors.filter(Boolean).length,
    kinds: new Set(built.cluster.summary().tables.map((t) => t.kind)),
  };
}

/** Every table hash-distributed on its first column, each in the default group. */
function firstColumnDesign(catalog: Catalog, citus: string): Design {
  const tables: Record<string, TableDesign> = {};
  for (const t of Object.values(catalog.tables)) {
    if (t.partitionOf || !t.columns.length) continue;
    tables[t.key] = { kind: 'distributed', column: t.columns[0].name };
  }
  return { citus, shardCount: 32, tables };
}

/**
 * The tables other tables reference and that reference none themselves
 * reference tables, the rest left plain: the plain tables with a foreign
 * key to them become citus local tables.
 */
function referenceDesign(catalog: Catalog, citus: string): Design {
  const referenced = new Set(Object.values(catalog.tables).flatMap((t) => t.foreignKeys.map((fk) => fk.refTable)));
  const tables: Record<string, TableDesign> = {};
  for (const t of Object.values(catalog.tables)) {
    if (!t.partitionOf && referenced.has(t.key) && t.foreignKeys.every((fk) => fk.refTable === t.key)) tables[t.key] = { kind: 'reference' };
  }
  return { citus, shardCount: 32, tables };
}

describe('the designed state equals the replayed one', () => {
  const seen = { kinds: new Set<string>(), errors: 0 };
  const tally = (r: { errors: number; kinds: Set<string> }) => {
    seen.errors += r.errors;
    for (const k of r.kinds) seen.kinds.add(k);
  };
  for (const name of DATASETS) {
    it(name, async () => {
      const analysis = await analyzeInputs({ schema: [join(corpusDir(), name, 'schema.sql')], cwd: corpusDir() });
      const { catalog } = analysis;
      const advised = compare(catalog, analysis.advice.design);
      expect(advised.calls).toBeGreaterThan(0);
      tally(advised);
      tally(compare(catalog, firstColumnDesign(catalog, '14.0')));
      tally(compare(catalog, referenceDesign(catalog, '14.0')));
      // Older versions take other paths (no single-shard tables, collations).
      tally(compare(catalog, { ...analysis.advice.design, citus: '11.3' }));
    }, 120_000);
  }

  it('a refused call is undone, the plain tables it had converted included', async () => {
    const { catalog } = buildCatalog([
      {
        file: 'schema.sql',
        text: `CREATE TABLE plain (id int PRIMARY KEY);
CREATE TABLE other (id int PRIMARY KEY, plain_id int REFERENCES plain (id));
CREATE TABLE lookup (id int PRIMARY KEY, plain_id int REFERENCES plain (id) ON DELETE CASCADE);
CREATE TABLE codes (id int PRIMARY KEY);
CREATE TABLE uses (id int PRIMARY KEY, code_id int REFERENCES codes (id));`,
      },
    ]);
    const design: Design = { citus: '14.0', shardCount: 4, tables: { 'public.lookup': { kind: 'reference' }, 'public.codes': { kind: 'reference' } } };
    const r = compare(catalog, design);
    expect(r.errors).toBe(1);
    // lookup converts plain and other (new OIDs) before its ON DELETE CASCADE is refused: they stay plain, as they were
    expect(r.kinds).toEqual(new Set(['reference', 'citus-local', 'local']));
  });

  it('the designs took every path: refused calls, reference, distributed and citus local tables', () => {
    expect(seen.errors).toBeGreaterThan(0);
    for (const kind of ['reference', 'distributed', 'citus-local']) expect([...seen.kinds]).toContain(kind);
  });
});
