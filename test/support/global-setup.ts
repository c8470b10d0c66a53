/**
 * One throwaway PostgreSQL for the whole test run (unless SHARDWISE_TEST_PG
 * names one), and a real Citus cluster (a coordinator and two workers) when
 * Citus is installed. Tests reach them through `test/support/db.ts` and
 * `test/support/citus-db.ts`.
 */
import type { TestProject } from 'vitest/node';
import { startCluster, type Cluster } from './cluster.js';
import { citusInstalled, citusLibrary, startCitusCluster, type CitusCluster, type CitusTopology } from './citus.js';

let cluster: Cluster | undefined;
let citus: CitusCluster | undefined;

export async function setup(project: TestProject): Promise<void> {
  let url = process.env.SHARDWISE_TEST_PG;
  let logDir = process.env.SHARDWISE_TEST_PG_LOGDIR ?? '';
  const citusWanted = process.env.SHARDWISE_TEST_CITUS !== 'off';
  const [plain, real] = await Promise.all([
    url ? undefined : startCluster(),
    citusWanted && citusInstalled() ? startCitusCluster(2) : undefined,
  ]);
  if (plain) {
    cluster = plain;
    url = plain.url;
    logDir = plain.logDir;
  }
  citus = real;
  let topology: CitusTopology | null = null;
  if (citus) {
    topology = { coordinatorPort: citus.coordinator.port, workerPorts: citus.workers.map((w) => w.port) };
  } else if (process.env.CI === 'true' && citusWanted) {
    throw new Error(`Citus is not installed (no ${citusLibrary()}): under CI the real-Citus suites must run; bash .ci/citus.sh builds and installs it`);
  } else if (!citusWanted) {
    console.log('SHARDWISE_TEST_CITUS=off: the real-Citus suites are skipped');
  } else {
    console.log(`Citus is not installed (no ${citusLibrary()}): the real-Citus suites are skipped; bash .ci/citus.sh builds and installs it`);
  }
  project.provide('pgUrl', url!);
  project.provide('pgLogDir', logDir);
  project.provide('citus', topology);
}

export async function teardown(): Promise<void> {
  cluster?.stop();
  citus?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
    pgLogDir: string;
    citus: CitusTopology | null;
  }
}
