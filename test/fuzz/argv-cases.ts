/**
 * Cases whose command line is what is broken: missing, mistyped and
 * conflicting arguments; output paths that are directories, missing, links
 * to inputs; connection URLs that carry a password.
 */
import { ANCHOR, type Scenario } from './scenario.js';
import type { Rng } from './rng.js';
import type { Seeds } from './seeds.js';

const PLAN = 'shardwise.plan.yaml';

function baseFiles(seeds: Seeds): Record<string, Buffer> {
  return {
    [ANCHOR]: Buffer.from(seeds.anchor.text),
    [PLAN]: Buffer.from(seeds.files['shardwise.plan.yaml']),
    'pgss.csv': Buffer.from(seeds.files['pgss.csv']),
    'pg_stats.csv': Buffer.from(seeds.files['pg_stats.csv']),
    'V1__create_payments.sql': Buffer.from(seeds.files['V1__create_payments.sql']),
    'warehouse.csv': Buffer.from(seeds.files['warehouse.csv']),
  };
}

const VALID: readonly string[][] = [
  ['analyze', ANCHOR, '--workload', 'pgss.csv', '--stats', 'pg_stats.csv'],
  ['analyze', ANCHOR, '--format', 'json', '--shards', '8', '--citus', '12.1'],
  ['analyze', ANCHOR, '--write-plan', '--plan-out', 'out.yaml'],
  ['migrate', ANCHOR, '--plan', PLAN, '-o', 'out.sql', '--rollback', 'rollback.sql'],
  ['migrate', ANCHOR, '--batch-size', '100', '--concurrently'],
  ['simulate', ANCHOR, '--plan', PLAN, '--workload', 'pgss.csv', '--data', 'warehouse.csv'],
  ['lint', '--schema', ANCHOR, '--plan', PLAN, '--fail-on', 'warning', 'V1__create_payments.sql'],
  ['rules'],
  ['collect', '-o', 'snap'],
];

const BAD_PATHS = ['missing.sql', 'nodir/x.sql', '*.nomatch', 'dir', '', '-', 'x'.repeat(5000), 'a\u0000b.sql', '~/x.sql', 'dir/', '../../../../../../../../etc', '\u202e.sql', 'schema.sql/x'];
const BAD_FLAGS = [
  ['--bogus'],
  ['-x'],
  ['--format', 'xml'],
  ['--shards', '0'],
  ['--shards', 'abc'],
  ['--shards', '1e3'],
  ['--citus', '9.0'],
  ['--citus', 'latest'],
  ['--fail-on', 'maybe'],
  ['--batch-size', '-1'],
  ['--plan'],
  ['--workload'],
  ['--statement-timeout', '5'],
  ['--sample', '10'],
  ['--'],
  ['--help'],
  ['--format=json', '--format=text'],
  ['--db', 'postgres://127.0.0.1:1/x'],
  ['--config', 'missing.yml'],
  ['--plan', 'dir'],
];

export const argvScenario: Scenario = (seeds, rng) => {
  const argv = [...rng.pick(VALID)];
  const op = rng.int(5);
  if (op === 0 && argv.length > 1) argv.splice(rng.range(1, argv.length - 1), 1);
  else if (op === 1) {
    const paths = argv.map((a, i) => (i > 0 && !a.startsWith('-') ? i : -1)).filter((i) => i > 0);
    if (paths.length) argv[rng.pick(paths)] = rng.pick(BAD_PATHS);
    else argv.push(rng.pick(BAD_PATHS));
  } else if (op === 2) argv.splice(rng.range(1, argv.length), 0, ...rng.pick(BAD_FLAGS));
  else if (op === 3) argv[0] = rng.pick(['analyse', 'ANALYZE', '', '-', 'migrate\u0000', 'help', '--version', 'verify']);
  else {
    const i = rng.range(1, Math.max(1, argv.length - 1));
    if (argv[i]) argv.push(argv[i]);
  }
  return { argv, files: baseFiles(seeds), dirs: ['dir'], mutators: [`argv-${op}`], outputs: ['out.yaml', 'out.sql', 'rollback.sql', 'shardwise.plan.yaml', 'snap'] };
};

/** Output paths that must end in a one-line error, never a write over something that is not the command's own. */
export const outputScenario: Scenario = (seeds, rng) => {
  const files = { ...baseFiles(seeds), '.shardwise.yml': Buffer.from(seeds.files['shardwise.yml']), 'dir/keep.txt': Buffer.from('keep me\n') };
  const links: Array<{ path: string; target: string; kind: 'symlink' | 'hard' }> = [
    { path: 'soft.sql', target: ANCHOR, kind: 'symlink' },
    { path: 'hard.sql', target: ANCHOR, kind: 'hard' },
    { path: 'hard-config.yml', target: '.shardwise.yml', kind: 'hard' },
    { path: 'soft-plan.yaml', target: PLAN, kind: 'symlink' },
  ];
  const target = rng.pick(['dir', 'dir/', 'nodir/out.sql', 'soft.sql', 'hard.sql', ANCHOR, '.shardwise.yml', 'hard-config.yml', PLAN, 'soft-plan.yaml', 'schema.sql/out', 'pgss.csv', '', 'new.sql', 'dir/keep.txt']);
  const force = rng.chance(0.5) ? ['--force'] : [];
  const argv = rng.pick<string[]>([
    ['migrate', ANCHOR, '-o', target],
    ['migrate', ANCHOR, '--plan', PLAN, '--rollback', target],
    ['migrate', 'hard.sql', '-o', target],
    ['migrate', ANCHOR, '-o', target, '--rollback', target],
    ['analyze', ANCHOR, '--workload', 'pgss.csv', '--write-plan', '--plan-out', target, ...force],
    ['analyze', 'soft.sql', '--write-plan', '--plan-out', target, ...force],
    ['collect', '--db', 'postgres://127.0.0.1:1/x', '-o', target],
  ]);
  // Only a new file is the command's to write, and with analyze --force the plan file named
  // (through a link, the file it leads to) when it is none of the run's inputs or configuration.
  const forced = argv[0] === 'analyze' && force.length ? [target, ...links.filter((l) => l.kind === 'symlink' && l.path === target).map((l) => l.target)] : [];
  const outputs = ['new.sql', 'out.sql', ...forced];
  return { argv, files, links, dirs: ['dir'], mutators: [`output:${target}`], outputs };
};

function secretOf(rng: Rng): string {
  return `Pw${rng.next().toString(36)}Zq`;
}

/** Connection strings with a password, broken in the ways users break them. */
export const dbScenario: Scenario = (seeds, rng) => {
  const secret = secretOf(rng);
  const pw = rng.pick([`${secret}`, `a/${secret}`, `${secret}#x`, `${secret}?y`, `${secret}@z`, `:${secret}`, `${secret}%zz`, `${secret} `, `${secret}/`]);
  const url = rng.pick([
    `postgres://user:${pw}@127.0.0.1:1/db`,
    `postgresql://user:${pw}@[::1:1/db`,
    `postgres://user:${pw}@127.0.0.1:99999/db`,
    `mysql://user:${pw}@127.0.0.1/db`,
    `http://user:${pw}@127.0.0.1/db`,
    `postgres://user:${pw}@127.0.0.1:1/db?sslmode=bogus`,
    `postgres://user:${pw}@127.0.0.1:1/db?bogus=1`,
    `host=127.0.0.1 port=1 password=${pw} dbname=db`,
    `host=127.0.0.1 port=1 password='${pw}' bogus=1`,
    `user:${pw}@127.0.0.1/db`,
    `postgres:/user:${pw}@127.0.0.1/db`,
    `postgres://user:${pw}@127.0.0.1:1/db\u0000`,
  ]);
  const argv = rng.pick<string[]>([
    ['analyze', '--db', url],
    ['collect', '--db', url, '-o', 'snap'],
    ['simulate', '--db', url],
    ['analyze', ANCHOR, '--db', url],
    ['collect', '--db', url],
    ['collect', `--db=${url}`, '--bogus', '-o', 'snap'],
  ]);
  return { argv, files: baseFiles(seeds), mutators: ['db-url'], secret, outputs: ['snap'] };
};
