/**
 * `analyze --explain TABLE`: why one table got its kind and key, with every
 * candidate the advisor scored, the parts of each score and the runner-up,
 * its colocation group, and the findings on it counted by rule.
 * Pure: (advice, findings, table) -> string.
 */
import { Chalk } from 'chalk';
import type { Advice, TableAdvice } from '../advisor/index.js';
import { displayName } from '../ingest/pg/names.js';
import type { Finding } from '../rules/finding.js';
import { renderCandidate } from './advice.js';
import { listSome, oneLine } from './some.js';

/** Findings on the table listed before the rest are counted. */
const FINDINGS = 5;

/** The table a name given on the command line means: its catalog key or its displayed name, then either ignoring case. */
export function findTableAdvice(advice: Advice, name: string): TableAdvice | undefined {
  const all = Object.values(advice.tables);
  const exact = all.find((t) => t.table === name || displayName(t.table) === name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  const folded = all.filter((t) => t.table.toLowerCase() === lower || displayName(t.table).toLowerCase() === lower);
  return folded.length === 1 ? folded[0] : undefined;
}

/** Tables whose name contains the one given (ignoring case), for the hint of a name that matched none. */
export function similarTables(advice: Advice, name: string, max = 5): string {
  const fold = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const wanted = fold(name);
  const names = Object.values(advice.tables).map((t) => displayName(t.table));
  const near = wanted ? names.filter((n) => fold(n).includes(wanted) || wanted.includes(fold(n))).sort() : [];
  return listSome(near.length ? near : names.sort(), max);
}

export function renderExplain(advice: Advice, findings: readonly Finding[], t: TableAdvice, options: { readonly color: boolean }): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const name = displayName(t.table);
  const kind = t.kind === 'distributed' ? `distributed on ${t.column}` : t.kind;
  const size = t.rows !== undefined ? `, ${t.rows} rows${t.rowsEstimated ? ' (estimated)' : ''}` : '';
  const out = [c.bold(name) + `: ${kind}${size}`];
  if (t.rowsReason) out.push(`  size inferred from the schema: ${t.rowsReason}`);
  const group = advice.groups.find((g) => g.tables.includes(t.table));
  if (group) {
    const others = group.tables.filter((x) => x !== t.table).map(displayName);
    out.push(
      others.length
        ? `  colocated on ${displayName(group.anchor)}.${group.column} (${group.type}) with ${others.length} other table(s): ${listSome(others, 6)}`
        : `  alone in its colocation group on ${displayName(group.anchor)}.${group.column} (${group.type})`,
    );
  }
  if (t.backfill) out.push(`  the key is added and backfilled from ${displayName(t.backfill.from)} through (${t.backfill.join.join(', ')})`);
  out.push('', c.bold('Why'));
  for (const r of t.reasons) out.push(`  - ${r}`);
  out.push('');
  if (t.candidates.length) {
    out.push(c.bold('Candidates') + ` (${t.candidates.length}; score = usage x cardinality x spread x type; * the one chosen)`);
    for (const cand of t.candidates) out.push(`  ${renderCandidate(cand, t.kind === 'distributed' && cand.column === t.column)}`);
    const runnerUp = t.candidates.find((cand) => !(t.kind === 'distributed' && cand.column === t.column) && !cand.excluded);
    if (runnerUp) out.push(`  runner-up: ${runnerUp.column} (score ${runnerUp.score.toFixed(4)})`);
  } else out.push('No candidate column was scored for this table.');
  out.push('');
  const mine = findings.filter((f) => f.table === t.table);
  if (mine.length) {
    const byRule = new Map<string, number>();
    for (const f of mine) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
    const counts = [...byRule].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, n]) => `${id} ${n}`);
    out.push(c.bold(`Findings on ${name}`) + `: ${mine.length} (${counts.join(', ')}); --verbose shows each with its fix`);
    for (const f of mine.slice(0, FINDINGS)) out.push(`  ${f.ruleId.padEnd(6)} ${c.dim(`${f.location.file}:${f.location.line}:${f.location.column}`)}  ${oneLine(f.message, 140)}`);
    if (mine.length > FINDINGS) out.push(`  and ${mine.length - FINDINGS} more`);
  } else out.push(`No finding on ${name}.`);
  return out.join('\n') + '\n';
}
