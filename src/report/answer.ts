/**
 * `analyze` for people, the answer first: the design in a few lines, how the
 * workload would route, the findings counted by rule, what `shardwise
 * migrate` rewrites and the decisions left to a person; the last lines say
 * both counts. Everything else is one flag away (`--explain TABLE`,
 * `--verbose`, `--format json|html`). Pure: (analysis results) -> string.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Advice, ColocationGroup } from '../advisor/index.js';
import { NOT_UNDERSTOOD } from '../catalog/skips.js';
import type { Catalog } from '../catalog/model.js';
import { displayName } from '../ingest/pg/names.js';
import type { RouteClass } from '../simulate/routing/classify.js';
import { decisionLines, findingsByRule, closingLines } from './answer-findings.js';
import { catalogHeadline } from './catalog-summary.js';
import type { Report } from './model.js';
import { listSome, oneLine } from './some.js';
import type { Triage } from './triage.js';

export interface AnswerInput {
  readonly catalog: Catalog;
  readonly advice: Advice;
  readonly report: Report;
  readonly triage: Triage;
  /** What the schema was read from when it has no files (a live database). */
  readonly source?: string;
  /** Workload queries whose names could not all be resolved. */
  readonly unresolvedQueries?: number;
  /** Where --write-plan wrote the design. */
  readonly planWritten?: string;
}

export interface AnswerOptions {
  readonly color: boolean;
}

/** Tables named per list before the rest are counted. */
const NAMES = 6;
/** Colocation groups shown before the rest are counted. */
const GROUPS = 8;
/** Queries not on one shard shown before the rest are counted. */
const QUERIES = 3;

const SHORT_CLASS: Record<RouteClass, string> = {
  router: 'single shard',
  'multi-shard': 'multi-shard',
  repartition: 'repartition join',
  recursive: 'recursive planning',
  coordinator: 'coordinator only',
  error: 'Citus error',
};

const pct = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)}%`;
const tables = (n: number) => `${n} table${n === 1 ? '' : 's'}`;

/**
 * The schema's statements left out: those shardwise does not understand
 * (say so), apart from those it read and has no use for (comments, index
 * partitions attached), which are no cause for concern.
 */
function skippedLines(catalog: Catalog, c: ChalkInstance): string[] {
  const unknown = catalog.skipped.filter((s) => s.reason === NOT_UNDERSTOOD).length;
  const aside = catalog.skipped.length - unknown;
  const out: string[] = [];
  if (unknown) out.push(c.dim(`${unknown} statement(s) not understood and skipped (--verbose lists them)`));
  if (aside) out.push(c.dim(`${aside} statement(s) read and left aside: they change nothing a distribution depends on (--verbose lists them with why)`));
  return out;
}

export function renderAnswer(input: AnswerInput, options: AnswerOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const out: string[] = [catalogHeadline(input.catalog, { color: options.color, source: input.source })];
  out.push(...skippedLines(input.catalog, c));
  out.push('', ...designLines(input.advice, c));
  if (input.planWritten) out.splice(out.length - 1, 0, `  written to ${input.planWritten}: review it, then run shardwise migrate and shardwise simulate with --plan ${input.planWritten}`);
  out.push(...workloadLines(input, c));
  out.push(...findingsByRule(input.report, c));
  out.push(
    'More, one flag away:',
    `  ${'--explain TABLE'.padEnd(18)} why TABLE got its kind and key: every candidate column, its score, the runner-up`,
    `  ${'--verbose'.padEnd(18)} everything as text: every table, each table's reasons, every finding with its code and fix`,
    `  ${'--format json|html'.padEnd(18)} everything as a report`,
  );
  out.push('', ...decisionLines(input.triage, c), ...closingLines(input.triage, input.report, c));
  return out.join('\n') + '\n';
}

function designLines(advice: Advice, c: ChalkInstance): string[] {
  const { design } = advice;
  const all = Object.values(advice.tables);
  const of = (kind: string) => all.filter((t) => t.kind === kind).map((t) => displayName(t.table));
  const distributed = of('distributed').length;
  const groups = advice.groups.length;
  const out = [
    c.bold('Design') +
      ` for Citus ${design.citus}, ${design.shardCount} shards: ${distributed} distributed (${groups} colocation group${groups === 1 ? '' : 's'}), ${of('reference').length} reference, ${of('local').length} local`,
  ];
  // the largest groups first: they are the design; a table alone on a key of its own comes last
  const bySize = [...advice.groups].sort((a, b) => b.tables.length - a.tables.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const g of bySize.slice(0, GROUPS)) out.push(...groupLines(g, advice));
  if (groups > GROUPS) out.push(`  and ${groups - GROUPS} more colocation groups (--verbose lists them)`);
  const refs = of('reference');
  if (refs.length) out.push(`  ${'reference'.padEnd(10)} ${tables(refs.length)}: ${listSome(refs, NAMES)}`);
  const locals = of('local');
  if (locals.length) out.push(`  ${'local'.padEnd(10)} ${tables(locals.length)}: ${listSome(locals, NAMES)}`);
  for (const note of advice.notes) out.push(c.yellow(`  note: ${note}`));
  out.push('');
  return out;
}

function groupLines(g: ColocationGroup, advice: Advice): string[] {
  // The key column by the number of tables that have it under that name.
  const byColumn = new Map<string, number>();
  for (const t of g.tables) {
    const col = advice.tables[t].column ?? g.column;
    byColumn.set(col, (byColumn.get(col) ?? 0) + 1);
  }
  const columns = [...byColumn].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  const named = columns.length === 1 ? `key column ${columns[0][0]}` : `key columns ${listSome(columns.map(([col, n]) => `${col} (${n})`), 4)}`;
  const members = [g.anchor, ...g.tables.filter((t) => t !== g.anchor)].map(displayName);
  const out = [`  colocated on ${displayName(g.anchor)}.${g.column} (${g.type}): ${tables(g.tables.length)}, ${named}`, `    ${listSome(members, NAMES)}`];
  const backfilled = g.tables.filter((t) => advice.tables[t].backfill).map(displayName);
  if (backfilled.length) out.push(`    the key is added and backfilled in ${tables(backfilled.length)}: ${listSome(backfilled, NAMES)}`);
  if (g.widened.length) out.push(`    the key is widened to bigint in ${tables(g.widened.length)}: ${listSome(g.widened.map(displayName), NAMES)}`);
  return out;
}

function workloadLines(input: AnswerInput, c: ChalkInstance): string[] {
  const s = input.advice.summary;
  if (!s.queries) return [];
  const shares = (Object.keys(SHORT_CLASS) as RouteClass[]).filter((k) => s.shares[k] > 0).map((k) => `${SHORT_CLASS[k]} ${pct(s.shares[k])}`);
  const out = [c.bold('Workload') + ` under this design (${s.queries} queries, weighted): ${shares.join(', ')}`];
  if (input.unresolvedQueries) out.push(`  ${input.unresolvedQueries} of them name tables or columns not found in the schema (--verbose lists them)`);
  const off = s.routing.filter((r) => r.class !== 'router');
  for (const r of off.slice(0, QUERIES)) out.push(`  ${c.dim(`[${r.class}]`)} ${oneLine(`${r.label ? `${r.label}: ` : ''}${r.sql}`, 110)}`);
  if (off.length > QUERIES) out.push(`  and ${off.length - QUERIES} more not on one shard (--verbose lists them with the reason)`);
  out.push('');
  return out;
}
