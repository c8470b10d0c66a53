/**
 * A migration written by the plan stage, and its rollback, run on the Citus
 * model before anyone runs them: what `migrate` checks before it writes and
 * what `simulate` reports for a design.
 */
import type { Catalog } from '../../catalog/model.js';
import type { Design } from '../../design/model.js';
import { readScript, type Script } from '../../ingest/pg/index.js';
import { renderMigration, renderRollback, type Migration, type MigrationStep } from '../../plan/index.js';
import { CitusCluster } from './cluster.js';
import { tableDataFromSchema } from './data.js';
import type { Step, TableData } from './model.js';
import { runScript } from './simulate.js';

/**
 * The migration and its rollback as SQL, both run on the Citus model (the
 * rollback after the migration); each failing step with Citus's error.
 */
export function checkMigration(catalog: Catalog, scripts: Script[], design: Design, m: Migration): { migration: string; rollback: string; failures: string[] } {
  const migration = renderMigration(m);
  const rollback = renderRollback(m);
  const cluster = migrationModel(catalog, scripts, design, m);
  const forward = runScript(cluster, readScript('migration.sql', migration));
  const back = runScript(cluster, readScript('rollback.sql', rollback));
  const failures = [
    ...failed(forward.steps, m.steps, 'migration'),
    ...failed(
      back.steps,
      m.rollback.steps.filter((x) => !x.blocked),
      'rollback',
    ),
  ];
  return { migration, rollback, failures };
}

/** The Citus model a migration is checked on: the schema, with what its own data tells. */
export function migrationModel(catalog: Catalog, scripts: readonly Script[], design: Design, m: Migration): CitusCluster {
  return new CitusCluster(catalog, { citus: m.citus, data: dataFacts(tableDataFromSchema(catalog, scripts), design) });
}

/**
 * What the schema's own data tells the model, minus the tables whose
 * distribution column the migration adds: the model cannot see the fill
 * procedure run, and the SET NOT NULL step after it is the check there.
 */
function dataFacts(data: Record<string, TableData>, design: Design): Record<string, TableData> {
  return Object.fromEntries(Object.entries(data).filter(([k]) => !design.tables[k]?.backfill));
}

/** A failed step, as the user needs it: which step of which script, its SQL, and Citus's error. */
function failed(sim: Step[], steps: MigrationStep[], script: string): string[] {
  const out: string[] = [];
  sim.forEach((s, i) => {
    if (s.outcome === 'ok' || !s.error) return;
    const step = steps[i];
    const head = step ? `${script} step ${i + 1} (${step.phase}${step.table ? `, ${step.table}` : ''})` : `${script} statement ${i + 1}`;
    const lines = [`${head}: ${s.sql.split('\n')[0]}${s.sql.includes('\n') ? ' ...' : ''}`, `ERROR:  ${s.error.message}`];
    if (s.error.detail !== undefined) lines.push(`DETAIL:  ${s.error.detail}`);
    if (s.error.hint !== undefined) lines.push(`HINT:  ${s.error.hint}`);
    out.push(lines.join('\n'));
  });
  return out;
}
