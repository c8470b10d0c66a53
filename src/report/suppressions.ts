/**
 * Suppression comments, as Squawk and ESLint have them:
 *
 *   -- shardwise-ignore FK01, UQ01 -- reason     the next statement (or the one the comment is inside)
 *   -- shardwise-ignore-file [FK01 ...]          the whole file (no rule: every rule)
 *
 * `/* ... *\/` comments work the same. Comments come from the pre-pass that
 * splits statements, so `--` inside a string or a `$$` body is never read as one. An
 * ignore that suppresses nothing, or names a rule that does not exist, is
 * itself a finding (`unused-ignore`, `unknown-ignore`).
 */
import type { Script, Location } from '../ingest/pg/index.js';
import { compareFindings, type Finding } from '../rules/finding.js';
import { ruleDocUrl } from './model.js';

export type SuppressionKind = 'statement' | 'file';

export interface SuppressedRule {
  /** As written: a rule id (FK01) or dotted name. */
  readonly rule: string;
  /** Where the rule is named in the comment. */
  readonly location: Location;
}

export interface Suppression {
  readonly kind: SuppressionKind;
  readonly file: string;
  /** The rules named; empty means every rule. */
  readonly rules: readonly SuppressedRule[];
  /** The text after the second `--`, if any. */
  readonly reason?: string;
  /** Where the comment starts. */
  readonly location: Location;
  /** For `statement`: the statement it applies to; absent when none follows. */
  readonly target?: { readonly start: Location; readonly end: Location };
}

export interface ParsedDirective {
  readonly kind: SuppressionKind;
  /** Rules with their character offset in the comment text. */
  readonly rules: ReadonlyArray<{ readonly rule: string; readonly offset: number }>;
  readonly reason?: string;
}

const DIRECTIVE_WORD = 'shardwise-ignore';
const DIRECTIVE = /^(--|\/\*)\s*shardwise-ignore(-file)?(?=$|[\s,]|\*\/)/;

/** Read one comment's text (with its `--` or `/* *\/`); undefined when it is not a directive. */
export function parseDirective(comment: string): ParsedDirective | undefined {
  const m = DIRECTIVE.exec(comment);
  if (!m) return undefined;
  const kind: SuppressionKind = m[2] ? 'file' : 'statement';
  let body = comment.slice(m[0].length);
  if (m[1] === '/*') body = body.replace(/\*\/\s*$/, '');
  let reason: string | undefined;
  const dash = body.indexOf('--');
  if (dash !== -1) {
    reason = body.slice(dash + 2).trim() || undefined;
    body = body.slice(0, dash);
  }
  const rules: Array<{ rule: string; offset: number }> = [];
  const re = /[^\s,]+/g;
  for (let t = re.exec(body); t; t = re.exec(body)) rules.push({ rule: t[0], offset: m[0].length + t.index });
  return { kind, rules, ...(reason !== undefined ? { reason } : {}) };
}

/**
 * The suppressions of a script, from the comments `readScript` found.
 */
export function parseSuppressions(script: Script): Suppression[] {
  const { source } = script;
  // Most files hold no directive: no need to read their comments.
  if (!source.bytes.includes(DIRECTIVE_WORD)) return [];
  const out: Suppression[] = [];
  for (const r of script.comments) {
    const c = { start: source.toFile(r.start), end: source.toFile(r.end), text: source.bytes.toString('utf8', r.start, r.end) };
    const d = parseDirective(c.text);
    if (!d) continue;
    const at = (charOffset: number) => source.locate(c.start + Buffer.byteLength(c.text.slice(0, charOffset), 'utf8'));
    let target: Suppression['target'];
    if (d.kind === 'statement') {
      const stmt =
        script.statements.find((s) => s.startByte <= c.start && c.start < s.endByte) ??
        script.statements.find((s) => s.startByte >= c.end);
      if (stmt) target = { start: source.locate(stmt.startByte), end: source.locate(stmt.endByte) };
    }
    out.push({
      kind: d.kind,
      file: source.file,
      rules: d.rules.map((r) => ({ rule: r.rule, location: at(r.offset) })),
      ...(d.reason !== undefined ? { reason: d.reason } : {}),
      location: source.locate(c.start),
      ...(target ? { target } : {}),
    });
  }
  return out;
}

/** Findings about suppressions themselves are never suppressed. */
const SELF = new Set(['unused-ignore', 'unknown-ignore']);
/** Findings a comment may name besides the rules. */
const BUILTIN_IDS = ['syntax-error', 'internal-error', 'not-modelled'];

export interface SuppressionOutcome {
  /** The findings that remain, sorted. */
  readonly findings: Finding[];
  /** New findings about the comments: `unused-ignore`, `unknown-ignore`, sorted. */
  readonly extra: Finding[];
  /** The findings a comment silenced, sorted. */
  readonly suppressed: Finding[];
}

/**
 * Drop the findings a suppression covers; report ignores that cover nothing
 * or name no known rule. `knownRuleIds` holds every rule id (and, to allow
 * them in comments, dotted names).
 */
export function applySuppressions(
  findings: readonly Finding[],
  suppressions: readonly Suppression[],
  knownRuleIds: Iterable<string>,
): SuppressionOutcome {
  const known = new Set([...knownRuleIds, ...BUILTIN_IDS]);
  // used[i][j]: suppression i's rule j (or j = -1 for "every rule") silenced something.
  const used = suppressions.map(() => new Set<number>());
  const kept: Finding[] = [];
  const suppressed: Finding[] = [];

  for (const f of findings) {
    let hit = false;
    if (!SELF.has(f.ruleId)) {
      suppressions.forEach((s, i) => {
        if (s.file !== f.location.file || !covers(s, f.location)) return;
        if (s.rules.length === 0) {
          used[i].add(-1);
          hit = true;
          return;
        }
        s.rules.forEach((r, j) => {
          if (known.has(r.rule) && (r.rule === f.ruleId || r.rule === f.ruleName)) {
            used[i].add(j);
            hit = true;
          }
        });
      });
    }
    (hit ? suppressed : kept).push(f);
  }

  const extra: Finding[] = [];
  suppressions.forEach((s, i) => {
    const directive = s.kind === 'file' ? 'shardwise-ignore-file' : 'shardwise-ignore';
    const scope = s.kind === 'file' ? 'this file has' : 'the next statement has';
    if (s.kind === 'statement' && !s.target) {
      extra.push(unused(s.location, `${directive} has no statement after it, so it suppresses nothing`));
      return;
    }
    if (s.rules.length === 0) {
      if (!used[i].has(-1)) extra.push(unused(s.location, `${directive} suppresses nothing: ${scope} no finding`));
      return;
    }
    s.rules.forEach((r, j) => {
      if (!known.has(r.rule)) {
        extra.push({
          ruleId: 'unknown-ignore',
          ruleName: 'shardwise.unknown-ignore',
          severity: 'warning',
          message: `${directive} names ${r.rule}, which is not a shardwise rule, so it suppresses nothing`,
          location: r.location,
          help: 'Use a rule id (FK01) or dotted name that `shardwise rules` lists, or remove it from the comment.',
          url: ruleDocUrl('unknown-ignore'),
        });
      } else if (!used[i].has(j)) {
        extra.push(unused(r.location, `${directive} ${r.rule} suppresses nothing: ${scope} no ${r.rule} finding`));
      }
    });
  });

  return { findings: kept.sort(compareFindings), extra: extra.sort(compareFindings), suppressed: suppressed.sort(compareFindings) };
}

function covers(s: Suppression, at: Location): boolean {
  if (s.kind === 'file') return true;
  if (!s.target) return false;
  return !before(at, s.target.start) && !before(s.target.end, at);
}

function before(a: Location, b: Location): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

function unused(location: Location, message: string): Finding {
  return {
    ruleId: 'unused-ignore',
    ruleName: 'shardwise.unused-ignore',
    severity: 'warning',
    message,
    location,
    help: 'Delete the comment (or the rule from it), or move it directly above the statement the finding is on.',
    url: ruleDocUrl('unused-ignore'),
  };
}
