/** The run's real Citus cluster, for test files: skipped suites when Citus is not installed. */
import { describe, inject } from 'vitest';
import { createCitusDatabase, type CitusDatabase, type CitusTopology } from './citus.js';

export function citusTopology(): CitusTopology | null {
  return inject('citus');
}

/** `describe` that runs only when the run has a real Citus cluster. */
export const describeCitus: typeof describe.skip = ((...args: Parameters<typeof describe>) =>
  describe.skipIf(citusTopology() === null)(...args)) as typeof describe.skip;

/** A fresh database on every node of the cluster (see `createCitusDatabase`). */
export function createTestCitusDatabase(options: { prefix?: string; citus?: boolean } = {}): Promise<CitusDatabase> {
  const t = citusTopology();
  if (!t) throw new Error('no Citus cluster in this test run');
  return createCitusDatabase(t, options);
}
