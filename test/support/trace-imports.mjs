/**
 * `node --import ./test/support/trace-imports.mjs ...` with
 * SHARDWISE_TRACE_IMPORTS=FILE: every module the process loads, one URL a
 * line in FILE (ES modules as the loader loads them, CommonJS modules from
 * the require cache at exit). Lets a test assert the module graph of a run.
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';

const out = process.env.SHARDWISE_TRACE_IMPORTS;

if (isMainThread && out) {
  register(import.meta.url);
  process.on('exit', () => {
    const cache = createRequire(import.meta.url).cache;
    const lines = Object.keys(cache).map((p) => pathToFileURL(p).href);
    if (lines.length) appendFileSync(out, lines.join('\n') + '\n');
  });
}

export async function load(url, context, next) {
  if (out) appendFileSync(out, url + '\n');
  return next(url, context);
}
