/** Run one regression file on the model and compare each statement with what Citus printed. */
import { buildCatalog } from '../../../src/catalog/index.js';
import { CitusCluster, runScript } from '../../../src/simulate/citus/index.js';
import { isDataError, readRegressFile } from '../../support/citus-regress.js';
import { SETUP } from './files.js';

/** The suite's own settings (pg_regress_multi.pl). */
export const REGRESS_SETTINGS = { 'citus.shard_count': 4, 'citus.shard_replication_factor': 2 } as const;

/** The session's DateStyle and TimeZone: PostgreSQL's pg_regress sets PGDATESTYLE and PGTZ so. */
export const REGRESS_SESSION = { dateStyle: 'Postgres, MDY', timeZone: 'PST8PDT' } as const;

export interface FileFigures {
  /** Statements compared: run on the coordinator, found in the expected output. */
  readonly statements: number;
  /** Of those, the model gives the same outcome (ok or error). */
  readonly outcomeAgree: number;
  /** Of those, the model says it does not know (no prediction; never counted as agreeing). */
  readonly notModelled: number;
  /** Statements where Citus errors on the statement itself (not on the rows it meets). */
  readonly errors: number;
  /** Of those, the model gives Citus's exact ERROR message. */
  readonly exactErrors: number;
}

export interface Disagreement {
  readonly line: number;
  readonly sql: string;
  readonly expected: string;
  readonly got: string;
}

export function runRegressFile(dir: string, name: string): { figures: FileFigures; disagreements: Disagreement[] } {
  const file = readRegressFile(dir, name);
  const { catalog } = buildCatalog([]);
  const cluster = new CitusCluster(catalog, { citus: '13.2.2', settings: REGRESS_SETTINGS, session: REGRESS_SESSION });
  for (const setup of SETUP[name] ?? []) {
    runScript(cluster, readRegressFile(dir, setup).script);
    cluster.reconnect();
  }
  const sim = runScript(cluster, file.script);
  let statements = 0;
  let outcomeAgree = 0;
  let notModelled = 0;
  let errors = 0;
  let exactErrors = 0;
  const disagreements: Disagreement[] = [];
  for (const [i, ex] of file.statements.entries()) {
    if (!ex.onCoordinator || !ex.aligned) continue;
    statements++;
    const got = sim.steps[i];
    if (got.outcome === 'not-modelled') notModelled++;
    const same = got.outcome === ex.outcome;
    if (same) outcomeAgree++;
    const ruleError = ex.error && !isDataError(ex.error.message);
    if (ruleError) errors++;
    // the expected files went through normalize.sed, which removes trailing whitespace
    const exact = ruleError && got.error?.message.trimEnd() === ex.error!.message;
    if (exact) exactErrors++;
    if (!same || (ruleError && !exact)) {
      disagreements.push({
        line: ex.statement.location.line,
        sql: ex.statement.sql.replace(/\s+/g, ' ').slice(0, 160),
        expected: ex.error ? `ERROR: ${ex.error.message}` : 'ok',
        got: got.error ? `ERROR: ${got.error.message}` : got.outcome === 'not-modelled' ? `not modelled (${got.reason})` : got.outcome,
      });
    }
  }
  return { figures: { statements, outcomeAgree, notModelled, errors, exactErrors }, disagreements };
}
