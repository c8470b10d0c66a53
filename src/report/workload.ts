/** The workload profile as a terminal table: one row per column, its join / equality-filter / group-by shares. */
import { Chalk } from 'chalk';
import { displayName } from '../ingest/pg/names.js';
import type { WorkloadProfile } from '../workload/profile.js';

export interface WorkloadReportOptions {
  /** ANSI colours (default true). */
  readonly color?: boolean;
  /** Show at most this many rows, the most used first (default: all, sorted by table and column). */
  readonly top?: number;
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
  return `${out.join('\n')}\n`;
}
