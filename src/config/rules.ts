/** The questions the commands ask of a resolved configuration. */
import { relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import type { Severity } from '../rules/finding.js';
import type { ResolvedConfig, RuleSetting, SelectorKind } from './model.js';

/** What a rule must say about itself to be configured. */
export interface ConfigurableRule {
  readonly id: string;
  readonly name: string;
  readonly group: string;
  /** Default severity. */
  readonly severity: Severity;
  /** Off unless a setting turns it on (default false). */
  readonly disabledByDefault?: boolean;
  /** JSON Schema of its options (rules/<ID>.yml `options`): options a config gives it are checked against it. */
  readonly options?: Readonly<Record<string, unknown>>;
}

export interface EffectiveRule {
  readonly enabled: boolean;
  readonly severity: Severity;
  readonly options: Readonly<Record<string, unknown>>;
  /** The settings that applied, in the order they did. */
  readonly from: readonly RuleSetting[];
}

const RANK: Record<SelectorKind, number> = { glob: 0, group: 1, exact: 2 };

/** Is the selector a glob (as opposed to an id, name or group)? */
export function isGlobSelector(selector: string): boolean {
  return /[*?[\]{}!]/.test(selector);
}

/** How a selector matches a rule, or undefined when it does not. */
export function matchSelector(selector: string, rule: ConfigurableRule): SelectorKind | undefined {
  if (isGlobSelector(selector)) {
    const m = picomatch(selector, { dot: true });
    return m(rule.id) || m(rule.name) ? 'glob' : undefined;
  }
  if (selector === rule.id || selector === rule.name) return 'exact';
  if (selector === rule.group) return 'group';
  return undefined;
}

/**
 * A rule's effective setting: the settings that match it applied by layer
 * (file < --config < flags), then by kind (glob < group < id/name), then in
 * the order written. Options merge key by key, later over earlier.
 */
export function resolveRule(config: ResolvedConfig, rule: ConfigurableRule): EffectiveRule {
  const matching = config.rules
    .map((s) => ({ s, kind: matchSelector(s.selector, rule) }))
    .filter((x): x is { s: RuleSetting; kind: SelectorKind } => x.kind !== undefined)
    .sort((a, b) => a.s.layer - b.s.layer || RANK[a.kind] - RANK[b.kind] || a.s.order - b.s.order);
  let enabled = !rule.disabledByDefault;
  let severity = rule.severity;
  let options: Record<string, unknown> = {};
  for (const { s } of matching) {
    if (s.level === 'off') enabled = false;
    else if (s.level === 'on') {
      enabled = true;
      severity = rule.severity;
    } else if (s.level !== undefined) {
      enabled = true;
      severity = s.level;
    }
    if (s.options) options = { ...options, ...s.options };
  }
  return { enabled, severity, options, from: matching.map((x) => x.s) };
}

/**
 * Is a file (relative to the working directory, or absolute) excluded? Each
 * glob is matched against the path relative to the directory of the file
 * that declared it.
 */
export function isExcluded(config: ResolvedConfig, file: string): boolean {
  const abs = resolve(config.cwd, file);
  return config.exclude.some((e) => {
    const rel = relative(e.base, abs).split(sep).join('/');
    if (rel.startsWith('../') || rel === '..') return false;
    return picomatch(e.pattern, { dot: true })(rel);
  });
}
