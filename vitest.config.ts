import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most test files wait on PostgreSQL, Citus and the commands they spawn: two files at a time
    // keep two cores busy (vitest's default leaves one core idle, so a two-core machine ran one).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // The commands a test runs (in-process with HOME, or spawned with the test's environment)
    // keep their schema cache here, not in the home directory of whoever runs the tests.
    env: { XDG_CACHE_HOME: join(tmpdir(), 'shardwise-test-cache') },
  },
});
