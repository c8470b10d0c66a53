/**
 * bin/shardwise.js over the sources instead of the build in dist/, for tests
 * that need a real process (`node --import tsx test/support/cli-entry.ts
 * <command> ...`, run from the repository root). Like bin/shardwise.js it
 * never calls process.exit: the process ends when nothing is left open, so a
 * connection left open keeps it alive, which is what such tests look for.
 */
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
