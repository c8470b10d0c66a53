import { renderCatalogSummary } from '../../report/catalog-summary.js';
import { loadSchemaFiles, oneOf, parseFlags, toJson, useColor } from '../common.js';
import type { Command } from '../io.js';

const usage = `Usage: shardwise analyze SCHEMA... [options]

Read a schema dump (pg_dump --schema-only, Rails db/structure.sql) and report
what matters for distributing it with Citus.

Options:
  --format text|json   output format (default: text)
  --verbose            also list statements that were skipped
`;

export const analyze: Command = {
  name: 'analyze',
  summary: 'read a schema (and workload) and recommend a Citus design, with findings',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      {
        format: { type: 'string' },
        verbose: { type: 'boolean' },
      },
      usage,
    );
    const format = oneOf(values.format, ['text', 'json'] as const, '--format', 'text');
    const { catalog } = await loadSchemaFiles(positionals, io);
    const usable = Object.keys(catalog.tables).length > 0;
    if (format === 'json') {
      io.stdout.write(toJson({ catalog }));
    } else {
      io.stdout.write(renderCatalogSummary(catalog, { color: useColor(io) }));
      if (values.verbose) {
        for (const s of catalog.skipped) io.stdout.write(`${s.location.file}:${s.location.line}:${s.location.column}  skipped ${s.kind}: ${s.reason}\n`);
      }
    }
    if (!usable) {
      const errors = catalog.diagnostics.filter((d) => d.severity === 'error').length;
      io.stderr.write(`shardwise analyze: no table was read${errors ? ` (${errors} syntax error(s))` : ''}\nhint: pass a schema dump that contains CREATE TABLE statements\n`);
      return 2;
    }
    return 0;
  },
};
