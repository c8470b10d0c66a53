/** A fixed report built from hand-written findings: the input of every golden test. */
import { SourceText } from '../../src/ingest/pg/source.js';
import type { Finding } from '../../src/rules/finding.js';
import { buildReport, ruleDocUrl, type Report, type RuleMeta } from '../../src/report/model.js';

export const SOURCES: Record<string, string> = {
  'migrations/001_init.sql': [
    'CREATE TABLE users (id bigint PRIMARY KEY, email text);',
    'CREATE TABLE orders (',
    '  id bigserial PRIMARY KEY,',
    '\tuser_id bigint REFERENCES users(id),',
    "  note text DEFAULT 'café'",
    ');',
    '',
  ].join('\n'),
  'migrations/002 add, index.sql': [
    '-- shardwise-ignore FK09 -- legacy',
    'CREATE UNIQUE INDEX orders_email ON orders (email);',
    '',
  ].join('\n'),
  'migrations/003_clean.sql': 'SELECT 1;\n',
};

export const RULES: RuleMeta[] = [
  {
    id: 'FK01',
    name: 'foreign-key.reference-to-distributed',
    group: 'foreign-key',
    severity: 'error',
    summary: 'Reference a distributed table only from a colocated distributed table',
    help: 'Distribute the referencing table on the same column, or drop the foreign key.',
    helpUri: ruleDocUrl('FK01'),
  },
  {
    id: 'UQ01',
    name: 'unique.missing-distribution-column',
    group: 'unique',
    severity: 'warning',
    summary: 'Include the distribution column in every unique constraint',
    helpUri: ruleDocUrl('UQ01'),
  },
  {
    id: 'ID01',
    name: 'identity.bigserial',
    group: 'identity',
    severity: 'info',
    summary: 'Prefer bigint identity columns on distributed tables',
    helpUri: ruleDocUrl('ID01'),
  },
];

export const FINDINGS: Finding[] = [
  {
    ruleId: 'UQ01',
    ruleName: 'unique.missing-distribution-column',
    severity: 'warning',
    message: 'unique index orders_email lacks the distribution column user_id: Citus refuses it, 100% of writes check one shard only',
    location: { file: 'migrations/002 add, index.sql', line: 2, column: 1 },
    table: 'public.orders',
    help: 'Add user_id to the index:\nCREATE UNIQUE INDEX ... (user_id, email)',
  },
  {
    ruleId: 'FK01',
    ruleName: 'foreign-key.reference-to-distributed',
    severity: 'error',
    message: 'orders.user_id references users (distributed on id) but orders is not colocated | every insert fails',
    location: { file: 'migrations/001_init.sql', line: 4, column: 17 },
    table: 'public.orders',
    column: 'user_id',
    help: 'Distribute orders on user_id, colocated with users.',
    fix: {
      description: 'Colocate orders with users',
      sql: "SELECT create_distributed_table('orders', 'user_id',\n  colocate_with => 'users');",
    },
    url: ruleDocUrl('FK01'),
  },
  {
    ruleId: 'ID01',
    ruleName: 'identity.bigserial',
    severity: 'info',
    message: 'orders.id is a bigserial: its sequence lives on the coordinator',
    location: { file: 'migrations/001_init.sql', line: 3, column: 6 },
    table: 'public.orders',
    column: 'id',
  },
  {
    ruleId: 'ID01',
    ruleName: 'identity.bigserial',
    severity: 'info',
    message: "default 'café' on a 50% column, ok: fine",
    location: { file: 'migrations/001_init.sql', line: 5, column: 23 },
    table: 'public.orders',
    column: 'note',
  },
  {
    ruleId: 'unused-ignore',
    severity: 'warning',
    message: 'shardwise-ignore FK09 suppresses nothing: the next statement has no FK09 finding',
    location: { file: 'migrations/002 add, index.sql', line: 1, column: 20 },
  },
];

export function sampleReport(): Report {
  return buildReport({
    tool: { name: 'shardwise', version: '0.1.0', informationUri: 'https://github.com/shardwise/shardwise' },
    files: Object.keys(SOURCES),
    findings: FINDINGS,
    rules: RULES,
  });
}

export function sampleSources(): Map<string, SourceText> {
  return new Map(Object.entries(SOURCES).map(([f, t]) => [f, new SourceText(f, t)]));
}
