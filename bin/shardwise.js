#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

// A reader that stops early (`shardwise analyze ... | head`) closes the pipe:
// that ends the run quietly, as it does for other command-line tools.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
