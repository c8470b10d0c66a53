/**
 * Every command, sorted by name: what `shardwise --help` lists, and how to
 * load the code that runs it. A command's module (and what it imports: the
 * SQL parser, the advisor, the Citus model) is loaded only when that command
 * runs, so `--version`, `--help` and `rules` start without them.
 */
import type { CommandEntry } from '../io.js';

export const commands: readonly CommandEntry[] = [
  {
    name: 'analyze',
    summary: 'read a schema (and workload) and recommend a Citus design, with findings',
    load: async () => (await import('./analyze.js')).analyze,
  },
  {
    name: 'collect',
    summary: 'read-only snapshot of a live database: schema, statistics, pg_stat_statements',
    load: async () => (await import('./collect.js')).collect,
  },
  {
    name: 'lint',
    summary: 'check new migrations against the distributed design (CI, pull requests)',
    load: async () => (await import('./lint.js')).lint,
  },
  {
    name: 'migrate',
    summary: 'write the ordered migration onto Citus and its rollback, checked on the Citus model',
    load: async () => (await import('./migrate.js')).migrate,
  },
  {
    name: 'rules',
    summary: 'list the rules, or show one with its rationale and examples',
    load: async () => (await import('./rules.js')).rules,
  },
  {
    name: 'simulate',
    summary: 'the design on a simulated cluster (placement, routing), or a migration step by step with the errors Citus gives',
    load: async () => (await import('./simulate.js')).simulate,
  },
  {
    name: 'verify',
    summary: 'a real Citus cluster after the migration against the design and the predicted routing (EXPLAIN, read-only)',
    load: async () => (await import('./verify.js')).verify,
  },
];
