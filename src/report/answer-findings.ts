/**
 * The findings part of `analyze`'s answer: counted by rule with a few
 * examples each (as ESLint and Squawk summarise), what `shardwise migrate`
 * rewrites by kind, each decision left to a person with its choice and its
 * consequence, and the closing count. Pure: (report, triage) -> lines.
 */
import type { ChalkInstance } from 'chalk';
import { displayName } from '../ingest/pg/names.js';
import { SEVERITY_ORDER, type Finding, type Severity } from '../rules/finding.js';
import { plural, type Report } from './model.js';
import { oneLine } from './some.js';
import type { Triage, TriagedFinding } from './triage.js';

/** Examples per rule; one when there are many rules. */
const EXAMPLES = 3;
const MANY_RULES = 12;
/** Decisions listed before the rest are counted. */
const DECISIONS = 10;
/** Where a decision's examples start. */
const PAD = ' '.repeat(16);
/** Characters of a message or a choice on one line. */
const WIDTH = 160;

const where = (f: { location: { file: string; line: number; column: number } }) => `${f.location.file}:${f.location.line}:${f.location.column}`;

/** The Citus consequence a message states, without the verbatim Citus error that closes many of them. */
function consequence(message: string): string {
  const quoted = message.indexOf(' (Citus: ');
  const text = quoted > 0 ? message.slice(0, quoted) : message.replace(/\s*\([^()]*\)\.?$/, '');
  return text.replace(/\.$/, '');
}

/** A message on one line after its location, the whole line about `WIDTH` wide. */
const after = (at: string, text: string) => oneLine(text, Math.max(60, WIDTH - at.length));

export function findingsByRule(report: Report, c: ChalkInstance): string[] {
  const s = report.summary;
  if (!s.findings) return [c.green(`No findings in ${plural(s.files, 'file')}.`), ''];
  const byRule = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const list = byRule.get(f.ruleId);
    if (list) list.push(f);
    else byRule.set(f.ruleId, [f]);
  }
  const worst = (list: Finding[]) => Math.max(...list.map((f) => SEVERITY_ORDER[f.severity]));
  const rules = [...byRule].sort(([a, x], [b, y]) => worst(y) - worst(x) || y.length - x.length || (a < b ? -1 : a > b ? 1 : 0));
  const examples = rules.length > MANY_RULES ? 1 : EXAMPLES;
  const paint: Record<Severity, (t: string) => string> = { error: (t) => c.red(t), warning: (t) => c.yellow(t), info: (t) => c.blue(t) };
  const out = [c.bold('Findings') + `: ${s.findings} (${plural(s.error, 'error')}, ${plural(s.warning, 'warning')}, ${s.info} info), by rule`];
  const idWidth = Math.max(...rules.map(([id]) => id.length));
  for (const [id, list] of rules) {
    const severity = list.find((f) => SEVERITY_ORDER[f.severity] === worst(list))!.severity;
    const summary = report.rules.find((r) => r.id === id)?.summary ?? list[0].ruleName ?? id;
    out.push(`  ${c.bold(id.padEnd(idWidth))}  ${String(list.length).padStart(5)}  ${paint[severity](severity.padEnd(7))}  ${summary}`);
    const pad = ' '.repeat(idWidth + 4);
    for (const f of list.slice(0, examples)) out.push(`${pad}${c.dim(where(f))}  ${after(pad + where(f), consequence(f.message))}`);
    if (list.length > examples) out.push(`${pad}and ${list.length - examples} more`);
  }
  out.push('');
  return out;
}

/** What `shardwise migrate` rewrites, by rule, then the decisions left to a person, each with its choice and consequence. */
export function decisionLines(t: Triage, c: ChalkInstance): string[] {
  if (!t.migrate && !t.person) return [];
  const out: string[] = [];
  const rewritten = t.byRule.filter((r) => r.migrate).sort((a, b) => b.migrate - a.migrate || (a.ruleId < b.ruleId ? -1 : 1));
  if (rewritten.length) {
    out.push(c.bold('Rewritten by shardwise migrate') + `: ${t.migrate}`);
    for (const r of rewritten) out.push(`  ${r.ruleId.padEnd(6)} ${String(r.migrate).padStart(5)}  ${r.how ?? ''}`);
    out.push('');
  }
  const sorted = decisionGroups(t);
  if (sorted.length) {
    out.push(c.bold('Decisions left to a person') + `: ${t.person}`);
    for (const list of sorted.slice(0, DECISIONS)) {
      const f = list[0];
      out.push(`  ${c.bold(f.ruleId.padEnd(6))} ${String(list.length).padStart(5)}  decide: ${(list.length === 1 ? f.how : f.choice).replace(/\s+/g, ' ').trim()}`);
      for (const x of list.slice(0, EXAMPLES)) {
        // The table the finding is on, unless its message names it already.
        const about = x.table && !x.message.includes(displayName(x.table)) ? `${displayName(x.table)}: ` : '';
        out.push(`${PAD}${c.dim(where(x))}  ${after(PAD + where(x), about + consequence(x.message))}`);
      }
      if (list.length > EXAMPLES) out.push(`${PAD}and ${list.length - EXAMPLES} more`);
    }
    if (sorted.length > DECISIONS) out.push(`  and ${sorted.length - DECISIONS} more decisions (--verbose lists every finding)`);
    out.push('');
  }
  return out;
}

/** Decisions with the same rule and the same choice are made once: grouped, the groups that take in the most findings first. */
function decisionGroups(t: Triage): TriagedFinding[][] {
  const groups = new Map<string, TriagedFinding[]>();
  for (const f of t.findings) {
    if (f.disposition !== 'person') continue;
    const key = `${f.ruleId}\u0000${f.choice}`;
    const list = groups.get(key);
    if (list) list.push(f);
    else groups.set(key, [f]);
  }
  return [...groups.values()].sort((a, b) => b.length - a.length);
}

/** Whether the decisions section lists every decision and every finding they take in. */
function listed(t: Triage): boolean {
  const groups = decisionGroups(t);
  return groups.length <= DECISIONS && groups.every((g) => g.length <= EXAMPLES);
}

/** The last lines: how many findings migrate rewrites, and which decisions remain. */
export function closingLines(t: Triage, report: Report, c: ChalkInstance): string[] {
  const total = t.migrate + t.person;
  if (!total) return [`No error or warning${report.summary.findings ? ` among the ${report.summary.findings} findings` : ''}: shardwise migrate has nothing to rewrite and no decision remains.`];
  const rewritten = t.byRule.filter((r) => r.migrate).sort((a, b) => b.migrate - a.migrate || (a.ruleId < b.ruleId ? -1 : 1));
  const decided = t.byRule.filter((r) => r.person);
  return [
    c.bold(`shardwise migrate rewrites ${t.migrate} of ${total} errors and warnings`) + (rewritten.length ? ` (${rewritten.map((r) => `${r.ruleId} ${r.migrate}`).join(', ')})` : '') + '.',
    t.person
      ? c.bold(`${plural(t.person, 'decision')} remain${t.person === 1 ? 's' : ''}`) + `: ${decided.map((r) => `${r.ruleId} ${r.person}`).join(', ')} (${listed(t) ? 'listed above' : 'the largest listed above; --verbose shows every finding'}).`
      : c.bold('No decision remains') + ': the migration handles every error and warning.',
  ];
}
