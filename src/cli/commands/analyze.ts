import type { Command } from '../io.js';

export const analyze: Command = {
  name: 'analyze',
  summary: 'read a schema (and workload) and recommend a Citus design, with findings',
  usage: 'Usage: shardwise analyze SCHEMA... [--format text|json]',
  async run() {
    return 0;
  },
};
