import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The commands a test runs (in-process with HOME, or spawned with the test's environment)
    // keep their schema cache here, not in the home directory of whoever runs the tests.
    env: { XDG_CACHE_HOME: join(tmpdir(), 'shardwise-test-cache') },
  },
});
