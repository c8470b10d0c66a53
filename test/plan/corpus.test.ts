/**
 * Every corpus schema, with the design the advisor recommends for it (schema
 * only): the migration runs on the Citus model with every step ok, and then
 * its rollback too; the order keeps Citus's rules (reference tables before
 * distributed ones, a colocation anchor before the tables that name it, FKs
 * re-added after both of their tables are Citus tables).
 */
import { describe, expect, it } from 'vitest';
import { analyzeInputs } from '../../src/cli/pipeline.js';
import { readScript } from '../../src/ingest/pg/index.js';
import { planMigration, renderMigration, renderRollback } from '../../src/plan/index.js';
import { CitusCluster, runScript } from '../../src/simulate/citus/index.js';
import { corpusDatasets, repoRoot } from '../support/corpus.js';

const datasets = corpusDatasets();

describe('migrations for the corpus, on the Citus model', () => {
  it('covers the whole corpus', () => {
    expect(datasets.length).toBeGreaterThanOrEqual(29);
  });

  for (const d of datasets) {
    // gitlab takes about two minutes: the model replays its 6,800-step rollback one DDL statement at a time
    it(`${d.name}: every step of the migration and of its rollback is ok`, { timeout: 300_000 }, async () => {
      const { catalog, advice } = await analyzeInputs({ schema: [d.schemaPath], cwd: repoRoot });
      const m = planMigration(catalog, advice.design);
      const cluster = new CitusCluster(catalog, { citus: m.citus });

      const migration = readScript('migration.sql', renderMigration(m));
      expect(migration.statements.filter((s) => s.error).map((s) => s.error!.message)).toEqual([]);
      expect(migration.statements).toHaveLength(m.steps.length);
      const forward = runScript(cluster, migration);
      const errors = forward.steps.filter((s) => s.outcome === 'error').map((s) => `${s.sql.split('\n')[0]}: ${s.error?.message} ${s.error?.detail ?? ''}`);
      expect(errors).toEqual([]);

      // the tables end up as the design says (partitions follow their parent)
      const kinds = Object.fromEntries(forward.final.tables.map((t) => [t.table, t.kind]));
      for (const [key, td] of Object.entries(advice.design.tables)) {
        if (catalog.tables[key]?.partitionOf) continue;
        const expected = td.kind === 'local' ? ['local', 'citus-local'] : [td.kind];
        expect(expected, key).toContain(kinds[key]);
        if (td.kind === 'distributed') expect(cluster.distributionColumn(key), key).toBe(td.column);
      }

      // Citus's order: a table named in colocate_with is distributed before; FKs come back after distribution
      const done = new Set<string>();
      let lastDistribute = -1;
      m.steps.forEach((s, i) => {
        const cw = /colocate_with => '([^']*)'/.exec(s.sql)?.[1];
        if (cw && cw !== 'none') expect(done.has(cw), `${s.sql} before ${cw}`).toBe(true);
        const created = /^SELECT create_(?:distributed_table(?:_concurrently)?|reference_table)\('([^']*)'/.exec(s.sql)?.[1];
        if (created) {
          done.add(created);
          lastDistribute = i;
        }
      });
      m.steps.forEach((s, i) => {
        if (s.phase === 'restore') expect(i).toBeGreaterThan(lastDistribute);
      });

      const back = runScript(cluster, readScript('rollback.sql', renderRollback(m)));
      expect(back.steps.filter((s) => s.outcome === 'error').map((s) => `${s.sql.split('\n')[0]}: ${s.error?.message}`)).toEqual([]);
      // what the rollback could run leaves only the tables it says it cannot undo as Citus tables
      const stuck = new Set(m.rollback.steps.filter((s) => s.blocked && s.table).map((s) => s.table));
      for (const t of back.final.tables) {
        if (t.kind === 'local' || t.kind === 'citus-local' || catalog.tables[t.table]?.partitionOf) continue;
        expect(stuck.has(t.table), `${t.table} is still ${t.kind}`).toBe(true);
      }
    });
  }
});
