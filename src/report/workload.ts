/**
 * The workload profile as a terminal table: one row per column, its join /
 * equality-filter / group-by shares; then the queries whose relations or
 * columns could not be resolved (their uses count nowhere in the table).
 */
import { Chalk } from 'chalk';
import { displayName } from '../ingest/pg/names.js';
import type { UnresolvedColumn } from '../workload/model.js';
import type { UnresolvedQuery, WorkloadProfile } from '../workload/profile.js';

export interface WorkloadReportOptions {
  /** ANSI colours (default true). */
  readonly color?: boolean;
  /** Show at most this many rows, the most used first (default: all, sorted by table and column). */
  readonly top?: number;
  /** List at most this many queries with unresolved names (default 10); the rest are counted. */
  readonly unresolved?: number;
}

const REASONS: Record<UnresolvedColumn['reason'], string> = {
  'unknown-column': 'no such column',
  'unknown-relation': 'relation not known',
  ambiguous: 'ambiguous',
  'view-column': "view's query not known",
  'function-column': "function's columns not known",
};

/** Names listed per reason before the rest are counted. */
const MAX_NAMES = 6;

function names(list: string[]): string {
  return list.length > MAX_NAMES ? `${list.slice(0, MAX_NAMES).join(', ')} and ${list.length - MAX_NAMES} more` : list.join(', ');
}

function unresolvedLine(q: UnresolvedQuery): string {
  const where = q.location ? `${q.location.file}:${q.location.line}:${q.location.column}` : '-';
  const what: string[] = [];
  if (q.relations.length) what.push(`unknown relation${q.relations.length === 1 ? '' : 's'} ${names(q.relations)}`);
  const byReason = new Map<string, string[]>();
  for (const c of q.columns) {
    const list = byReason.get(c.reason) ?? [];
    list.push(c.column);
    byReason.set(c.reason, list);
  }
  for (const [reason, cols] of [...byReason].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    what.push(`column${cols.length === 1 ? '' : 's'} ${names(cols)} (${REASONS[reason as UnresolvedColumn['reason']]})`);
  }
  return `  ${where}  ${q.id}${q.label !== undefined ? ` [${q.label}]` : ''}: ${what.join('; ')}`;
}

function pct(x: number): string {
  return x === 0 ? '-' : `${(x * 100).toFixed(1)}%`;
}

export function renderWorkloadProfile(profile: WorkloadProfile, options: WorkloadReportOptions = {}): string {
  const c = new Chalk({ level: options.color === false ? 0 : 1 });
  let rows = profile.columns;
  if (options.top !== undefined) {
    const score = (r: (typeof rows)[number]): number => r.join + r.equality + r.group;
    rows = [...rows].sort((a, b) => score(b) - score(a) || (a.table < b.table ? -1 : a.table > b.table ? 1 : a.column < b.column ? -1 : 1)).slice(0, options.top);
  }
  const header = ['column', 'join', 'filter =', 'group-by'];
  const body = rows.map((r) => [`${displayName(r.table)}.${r.column}`, pct(r.join), pct(r.equality), pct(r.group)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  out.push(c.bold(line(header)));
  for (const b of body) out.push(line(b));
  out.push(c.dim(`${profile.queries} queries, total weight ${Number(profile.totalWeight.toFixed(6))}`));
  if (profile.assumedSchema !== undefined) {
    out.push(c.dim(`unqualified names resolved in schema ${profile.assumedSchema}: every table is there and no SET search_path said otherwise`));
  }
  const unresolved = profile.unresolved;
  if (unresolved.length) {
    const limit = options.unresolved ?? 10;
    out.push('');
    out.push(c.bold(`not resolved (${unresolved.length} of ${profile.queries} ${profile.queries === 1 ? 'query' : 'queries'}): their uses of these names count nowhere above`));
    for (const q of unresolved.slice(0, limit)) out.push(unresolvedLine(q));
    if (unresolved.length > limit) out.push(c.dim(`  and ${unresolved.length - limit} more (all of them in --format json)`));
  }
  return `${out.join('\n')}\n`;
}
