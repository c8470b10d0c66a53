/**
 * One throwaway PostgreSQL for the whole test run (unless SHARDWISE_TEST_PG
 * names one). Tests reach it through `test/support/db.ts`.
 */
import type { TestProject } from 'vitest/node';
import { startCluster, type Cluster } from './cluster.js';

let cluster: Cluster | undefined;

export async function setup(project: TestProject): Promise<void> {
  let url = process.env.SHARDWISE_TEST_PG;
  let logDir = process.env.SHARDWISE_TEST_PG_LOGDIR ?? '';
  if (!url) {
    cluster = await startCluster();
    url = cluster.url;
    logDir = cluster.logDir;
  }
  project.provide('pgUrl', url);
  project.provide('pgLogDir', logDir);
}

export async function teardown(): Promise<void> {
  cluster?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
    pgLogDir: string;
  }
}
