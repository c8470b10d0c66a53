/**
 * Every command, sorted by name: what `shardwise --help` lists, and how to
 * load the code that runs it. A command's module (and what it imports: the
 * SQL parser, the advisor, the Citus model) is loaded only when that command
 * runs, so `--version`, `--help` and `rules` start without them.
 */
import { setFlagsFromString } from 'node:v8';
import type { CommandEntry } from '../io.js';

/**
 * A command that reads SQL starts the parser (a wasm module that compiles
 * off the main thread) before its own modules load, so that the two
 * overlap; the command awaits the same load when it first parses. A
 * failure is the command's to report, at that await.
 */
function startParser(quick = false): void {
  // A short run (lint: the schema usually comes from the cache, a few statements are parsed)
  // spends more on optimising the parser's wasm than on running it: baseline code only.
  // Parsing a large schema with it is about 30% slower, so the other commands keep the default.
  if (quick) setFlagsFromString('--liftoff-only');
  import('../../ingest/pg/parser.js').then((p) => p.loadParser()).catch(() => undefined);
}

export const commands: readonly CommandEntry[] = [
  {
    name: 'analyze',
    summary: 'read a schema (and workload) and recommend a Citus design, with findings',
    load: async () => {
      startParser();
      return (await import('./analyze.js')).analyze;
    },
  },
  {
    name: 'collect',
    summary: 'read-only snapshot of a live database: schema, statistics, pg_stat_statements',
    load: async () => (await import('./collect.js')).collect,
  },
  {
    name: 'lint',
    summary: 'check new migrations against the distributed design (CI, pull requests)',
    load: async () => {
      startParser(true);
      return (await import('./lint.js')).lint;
    },
  },
  {
    name: 'migrate',
    summary: 'write the ordered migration onto Citus and its rollback, checked on the Citus model',
    load: async () => {
      startParser();
      return (await import('./migrate.js')).migrate;
    },
  },
  {
    name: 'rules',
    summary: 'list the rules, or show one with its rationale and examples',
    load: async () => (await import('./rules.js')).rules,
  },
  {
    name: 'simulate',
    summary: 'the design on a simulated cluster (placement, routing), or a migration step by step with the errors Citus gives',
    load: async () => {
      startParser();
      return (await import('./simulate.js')).simulate;
    },
  },
  {
    name: 'verify',
    summary: 'a real Citus cluster after the migration against the design and the predicted routing (EXPLAIN, read-only)',
    load: async () => (await import('./verify.js')).verify,
  },
];
