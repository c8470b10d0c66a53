/**
 * Phase 1, preflight: stop before anything changes unless the database is
 * one this migration can run on (Citus installed and recent enough, workers
 * registered, the coordinator in the metadata when tables are distributed
 * concurrently, the tables there and not Citus tables yet).
 */
import { displayName, quoteLiteral } from '../ingest/pg/index.js';
import type { PlanContext } from './context.js';
import { dollarQuote, regclassLiteral } from './sql.js';

/** The checks, each a DO block that raises before anything changes. */
export function preflight(ctx: PlanContext): void {
  const want = `{${ctx.version.major},${ctx.version.minor}}`;
  const known = /^\d/.test(ctx.citus);
  const lines = [
    'DECLARE',
    '  v text;',
    'BEGIN',
    "  SELECT extversion INTO v FROM pg_extension WHERE extname = 'citus';",
    '  IF v IS NULL THEN',
    `    RAISE EXCEPTION 'shardwise: the citus extension is not installed in database %', current_database()`,
    `      USING HINT = 'Run CREATE EXTENSION citus; on the coordinator (citus must be in shared_preload_libraries).';`,
    '  END IF;',
  ];
  if (known) {
    lines.push(
      `  IF string_to_array(split_part(v, '-', 1), '.')::int[] < ${quoteLiteral(want)}::int[] THEN`,
      `    RAISE EXCEPTION 'shardwise: this migration was checked for Citus ${ctx.citus.replace(/'/g, "''")}; the database has Citus %', v`,
      `      USING HINT = 'Upgrade Citus, or generate the migration again with --citus set to this version.';`,
      '  END IF;',
    );
  }
  lines.push('END');
  ctx.step('preflight', `DO ${dollarQuote(lines.join('\n'), 'preflight')}`, `Stop before anything changes unless the citus extension${known ? ` (${ctx.citus} or later)` : ''} is installed.`, { citus: true });
  ctx.step(
    'preflight',
    `DO ${dollarQuote(
      [
        'BEGIN',
        '  IF NOT EXISTS (SELECT 1 FROM citus_get_active_worker_nodes()) THEN',
        "    RAISE EXCEPTION 'shardwise: no active worker node is registered with this coordinator'",
        "      USING HINT = 'Add the workers first: SELECT citus_add_node(''worker-host'', 5432);';",
        '  END IF;',
        'END',
      ].join('\n'),
      'preflight',
    )}`,
    'Shards are placed on the active workers: without one, every table would land on the coordinator.',
    { citus: true },
  );
  const concurrent = ctx.order.groups.flatMap((g) => g.members).filter((k) => ctx.isConcurrent(k));
  if (concurrent.length) {
    ctx.step(
      'preflight',
      `DO ${dollarQuote(
        [
          'BEGIN',
          '  IF NOT EXISTS (SELECT 1 FROM pg_dist_node WHERE groupid = 0) THEN',
          "    RAISE EXCEPTION 'shardwise: the coordinator is not in the Citus metadata (no pg_dist_node row with groupid 0), and create_distributed_table_concurrently needs it: it first makes each table a citus local table, which lives on the coordinator'",
          "      USING HINT = 'Add the coordinator first: SELECT citus_set_coordinator_host(''coordinator-host'', 5432);';",
          '  END IF;',
          'END',
        ].join('\n'),
        'preflight',
      )}`,
      `create_distributed_table_concurrently (used for ${concurrent.map(displayName).join(', ')}) first makes the table a citus local table, and Citus refuses that unless the coordinator is in the metadata ("operation is not allowed when coordinator is not added into metadata"): stop before anything changes rather than halfway.`,
      { citus: true },
    );
  }
  const targets = ctx.targets();
  if (!targets.length) return;
  const arr = `ARRAY[${targets.map(regclassLiteral).join(', ')}]`;
  ctx.step(
    'preflight',
    `DO ${dollarQuote(
      [
        'DECLARE',
        '  missing text;',
        '  done text;',
        'BEGIN',
        `  SELECT string_agg(t, ', ') INTO missing FROM unnest(${arr}) AS t WHERE to_regclass(t) IS NULL;`,
        '  IF missing IS NOT NULL THEN',
        "    RAISE EXCEPTION 'shardwise: the migration expects these tables, which this database does not have: %', missing;",
        '  END IF;',
        "  SELECT string_agg(logicalrelid::text, ', ' ORDER BY logicalrelid::text) INTO done FROM pg_dist_partition",
        `    WHERE logicalrelid = ANY (${arr}::regclass[]) AND NOT (partmethod = 'n' AND colocationid = 0);`,
        '  IF done IS NOT NULL THEN',
        "    RAISE EXCEPTION 'shardwise: already distributed or reference tables: %', done",
        "      USING HINT = 'This migration starts from plain PostgreSQL tables; has it run already?';",
        '  END IF;',
        'END',
      ].join('\n'),
      'preflight',
    )}`,
    `The ${targets.length} table${targets.length === 1 ? '' : 's'} the design changes must exist and must not be Citus tables yet (pg_dist_partition).`,
    { citus: true },
  );
}
