/**
 * `shardwise verify --db URL`: a real (staging) Citus cluster after the
 * migration, against the design file (table kinds, distribution columns,
 * colocation, shard counts) and against shardwise's routing of the workload
 * (EXPLAIN on the cluster, read-only). Exit 1 on drift.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { displayPath, InputError } from '../../ingest/files.js';
import { maskUrl } from '../../ingest/live/index.js';
import { renderVerifyText } from '../../report/verify.js';
import { verifyCluster } from '../../verify/index.js';
import { bareDb, liveSource, LIVE_FLAGS, oneOf, parseFlags, toJson } from '../common.js';
import { UsageError, type Command } from '../io.js';

const USAGE = `Usage: shardwise verify --db [URL] [--plan shardwise.plan.yaml] [--workload F]... [--format text|json]

For the staging Citus cluster after the migration. Reads Citus's metadata
(pg_dist_partition, colocation, shards) and compares every table with the
design: kind, distribution column, colocation group, shard count, tables in
one and not the other. Then EXPLAINs each workload statement on the cluster
(never ANALYZE; parameters bound through PREPARE with a value of each
parameter's type) and holds the real routing against shardwise's prediction
on the same statement; every disagreement is listed.

Everything runs in one read-only transaction with statement and lock
timeouts; nothing is executed and nothing is written.

Options:
  --db [URL]               the coordinator: postgres://user@host:port/dbname (without a URL, or with
                           --db='': PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD, ~/.pgpass as libpq reads them)
  --plan FILE              the design file (default shardwise.plan.yaml)
  --workload FILE          queries: pg_stat_statements CSV/JSON, server log, or .sql (repeatable;
                           default: the cluster's own pg_stat_statements, when installed)
  --statement-timeout MS   cancel any one query after MS milliseconds (default 30000; 0: none)
  --lock-timeout MS        give up waiting for a lock after MS milliseconds (default 2000; 0: none)
  --format FORMAT          text or json (default text)

Exit codes: 0 no drift, 1 drift (a table differs from the design, or a
statement routes otherwise than predicted), 2 bad input or no connection.`;

export const verify: Command = {
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      bareDb(argv),
      { ...LIVE_FLAGS, plan: { type: 'string' }, workload: { type: 'string', multiple: true }, format: { type: 'string' } },
      USAGE,
    );
    if (positionals.length) throw new UsageError(`unexpected argument '${maskUrl(positionals[0])}'`, 'verify reads the schema from the cluster: shardwise verify --db URL --plan shardwise.plan.yaml');
    const format = oneOf(values.format, ['text', 'json'] as const, '--format', 'text');
    const live = liveSource(values, io);
    if (!live) throw new UsageError('missing --db: the coordinator of the cluster to verify', 'e.g. shardwise verify --db postgres://user@coordinator:5432/app --plan shardwise.plan.yaml');
    const planPath = resolve(io.cwd, values.plan ?? 'shardwise.plan.yaml');
    if (!existsSync(planPath)) throw new UsageError(`${displayPath(planPath, io.cwd)}: no such file`, 'pass the design the cluster was migrated to: --plan shardwise.plan.yaml');
    for (const w of values.workload ?? []) {
      if (!existsSync(resolve(io.cwd, w))) throw new UsageError(`${w}: no such file`, 'pass a pg_stat_statements export, a server log or a .sql file of queries');
    }
    let report;
    try {
      report = await verifyCluster({
        ...(live.url ? { url: live.url } : {}),
        env: live.env,
        limits: live.limits,
        design: { path: planPath, display: displayPath(planPath, io.cwd) },
        workload: values.workload ?? [],
        cwd: io.cwd,
      });
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(maskUrl(e.message), e.hint);
      throw e;
    }
    io.stdout.write(format === 'json' ? toJson(report) : renderVerifyText(report));
    return report.drift ? 1 : 0;
  },
};
