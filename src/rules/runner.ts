/**
 * runRules: every selected rule over prepared facts, messages filled from the
 * rule documents, findings sorted. A rule that throws becomes an
 * `internal-error` finding; the other rules still run.
 */
import type { Ajv } from 'ajv';
import { newAjv } from '../ingest/libs.js';
import type { Catalog } from '../catalog/model.js';
import type { Design } from '../design/model.js';
import { compareFindings, type Finding, type Severity } from './finding.js';
import { compareVersions } from '../design/version.js';
import { designCitusVersion, prepareFacts } from './facts.js';
import { fillMessage, loadRuleDocs, ruleUrl, valueAt } from './docs.js';
import { ISSUES } from '../project.js';
import type { Report, RuleContext, RuleDoc, RuleFacts, RuleModule } from './model.js';
import { registry } from './registry.js';

export interface RunRulesOptions {
  /**
   * Selectors of rules to turn off: an id (`FK01`), a name
   * (`foreign-key.distributed-to-local`), a group (`foreign-key`) or a glob
   * over ids and names (`FK*`, `foreign-key.*`).
   */
  readonly disable?: readonly string[];
  /** Selectors of rules to turn back on; they win over `disable`. */
  readonly enable?: readonly string[];
  /** Selector -> severity, or 'off'. A more specific selector (id > name > group > glob) wins. */
  readonly severity?: Readonly<Record<string, Severity | 'off'>>;
  /** Rule id or name -> options object, validated against the rule's options schema. */
  readonly ruleOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * Rule id -> options the calling command sets itself (lint's
   * `migrations`), valid by construction: laid over the rule's options
   * without a schema check.
   */
  readonly commandOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Rule documents already loaded (default: read rules/*.yml). */
  readonly docs?: readonly RuleDoc[];
  /** Rule checks (default: the registry). */
  readonly rules?: readonly RuleModule[];
}

/** A selector, an option or a rule option value that names nothing or is invalid: the user's to fix. */
export class RuleOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleOptionsError';
  }
}

/** One report of one rule, with what the finding was made from (tests and reporters read messageId). */
export interface RuleResult {
  readonly finding: Finding;
  readonly messageId: string;
  readonly data: Readonly<Record<string, string | number>>;
}

export function runRules(catalog: Catalog, design: Design, options: RunRulesOptions = {}): Finding[] {
  return runRulesDetailed(catalog, design, options).map((r) => r.finding);
}

export function runRulesDetailed(catalog: Catalog, design: Design, options: RunRulesOptions = {}): RuleResult[] {
  const docs = options.docs ?? loadRuleDocs();
  const rules = options.rules ?? registry;
  const byId = new Map(docs.map((d) => [d.id, d]));
  const plan = resolveSelection(docs, options);
  const facts = prepareFacts(catalog, design);
  const out: RuleResult[] = [];
  for (const rule of [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const doc = byId.get(rule.id);
    const p = plan.get(rule.id);
    if (!doc) {
      out.push(internalError(rule.id, `rule ${rule.id} has no document rules/${rule.id}.yml`, catalog));
      continue;
    }
    if (!p || p.severity === 'off') continue;
    out.push(...checkRule(rule, doc, facts, { severity: p.severity, options: p.options }));
  }
  return sortResults(out);
}

export function sortResults(results: RuleResult[]): RuleResult[] {
  return results.sort((a, b) => compareFindings(a.finding, b.finding) || cmp(a.finding.table ?? '', b.finding.table ?? '') || cmp(a.finding.column ?? '', b.finding.column ?? ''));
}

/** Run one rule alone over prepared facts. Never throws: a failure is an internal-error finding. */
export function checkRule(
  rule: RuleModule,
  doc: RuleDoc,
  facts: RuleFacts,
  settings: { severity?: Severity; options?: Readonly<Record<string, unknown>> } = {},
): RuleResult[] {
  const reports: Report[] = [];
  const severity = settings.severity ?? doc.severity;
  try {
    const options = settings.options ?? applyOptionDefaults(doc, {});
    const ctx: RuleContext = {
      ...facts,
      options,
      report: (r) => void reports.push(r),
      kindOf: (t) => facts.tables[t]?.kind ?? 'local',
      factsOf: (t) => facts.tables[t],
      colocated: (a, b) => {
        const ga = facts.tables[a]?.colocationGroup;
        return ga !== undefined && ga === facts.tables[b]?.colocationGroup;
      },
      atLeast: (v) => compareVersions(facts.citus, designCitusVersion(v)) >= 0,
    };
    rule.check(ctx);
    return reports.map((r) => {
      const template = doc.messages[r.messageId];
      if (template === undefined) throw new Error(`rule ${rule.id} reported unknown messageId '${r.messageId}'`);
      const data = r.data ?? {};
      const finding: Finding = {
        ruleId: doc.id,
        ruleName: doc.name,
        severity,
        message: fillMessage(template, data),
        location: r.at,
        ...(r.table !== undefined ? { table: r.table } : {}),
        ...(r.column !== undefined ? { column: r.column } : {}),
        help: doc.help.trim(),
        ...(r.fix ? { fix: { description: fillMessage(r.fix.description ?? doc.help.trim(), data), ...(r.fix.sql ? { sql: r.fix.sql } : {}) } } : {}),
        url: ruleUrl(doc.id),
      };
      return { finding, messageId: r.messageId, data };
    });
  } catch (e) {
    return [internalError(rule.id, (e as Error)?.message ?? String(e), facts.catalog)];
  }
}

function internalError(ruleId: string, message: string, catalog: Catalog): RuleResult {
  const file = catalog.files[0] ?? '';
  return {
    finding: {
      ruleId: 'internal-error',
      severity: 'error',
      message: `rule ${ruleId} failed: ${message}`,
      location: { file, line: 1, column: 1 },
      help: `This is a bug in shardwise; the other rules still ran. Please report it at ${ISSUES} with the schema that triggers it.`,
    },
    messageId: 'internal-error',
    data: { rule: ruleId },
  };
}

interface Planned {
  readonly severity: Severity | 'off';
  readonly options: Readonly<Record<string, unknown>>;
}

/** How specific a selector is for a rule: 4 id, 3 name, 2 group, 1 glob, 0 no match. */
export function selectorMatch(selector: string, doc: Pick<RuleDoc, 'id' | 'name' | 'group'>): number {
  if (selector === doc.id) return 4;
  if (selector === doc.name) return 3;
  if (selector === doc.group) return 2;
  if (/[*?]/.test(selector)) {
    const re = new RegExp(
      '^' + selector.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$',
    );
    if (re.test(doc.id) || re.test(doc.name)) return 1;
  }
  return 0;
}

function resolveSelection(docs: readonly RuleDoc[], options: RunRulesOptions): Map<string, Planned> {
  const check = (selector: string, what: string) => {
    if (!docs.some((d) => selectorMatch(selector, d) > 0)) {
      throw new RuleOptionsError(`${what} '${selector}' matches no rule (use an id like FK01, a name, a group or a glob)`);
    }
  };
  for (const s of options.disable ?? []) check(s, 'disable');
  for (const s of options.enable ?? []) check(s, 'enable');
  for (const s of Object.keys(options.severity ?? {})) check(s, 'severity');
  for (const s of Object.keys(options.ruleOptions ?? {})) {
    if (!docs.some((d) => d.id === s || d.name === s)) throw new RuleOptionsError(`options for '${s}': no rule has that id or name`);
  }
  const plan = new Map<string, Planned>();
  // One validator for every rule's options: compiling ajv's meta-schema once per rule was most of a run's time.
  let ajv: Ajv | undefined;
  for (const doc of docs) {
    const disabled = (options.disable ?? []).some((s) => selectorMatch(s, doc) > 0);
    const enabled = (options.enable ?? []).some((s) => selectorMatch(s, doc) > 0);
    let severity: Severity | 'off' = disabled && !enabled ? 'off' : doc.severity;
    let best = 0;
    for (const [s, sev] of Object.entries(options.severity ?? {}).sort(([a], [b]) => cmp(a, b))) {
      const m = selectorMatch(s, doc);
      if (m > best) {
        best = m;
        severity = sev;
      }
    }
    const given = options.ruleOptions?.[doc.id] ?? options.ruleOptions?.[doc.name] ?? {};
    // No options given: the defaults the build recorded, without compiling the options' schema.
    const filled = !Object.keys(given).length && doc.defaults ? (structuredClone(doc.defaults) as Record<string, unknown>) : applyOptionDefaults(doc, given, (ajv ??= optionsValidator()));
    plan.set(doc.id, { severity, options: { ...filled, ...options.commandOptions?.[doc.id] } });
  }
  return plan;
}

/** An ajv instance for rule options (defaults filled in); make one per run and share it. */
export function optionsValidator(): Ajv {
  return newAjv({ useDefaults: true, allErrors: true, strict: false, validateSchema: false });
}

/** Validate a rule's options against its schema and fill in defaults. */
export function applyOptionDefaults(doc: RuleDoc, given: Readonly<Record<string, unknown>>, ajv: Ajv = optionsValidator()): Record<string, unknown> {
  const validate = ajv.compile(doc.options);
  const value = structuredClone(given) as Record<string, unknown>;
  if (!validate(value)) {
    const msg = (validate.errors ?? [])
      .map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} (got ${JSON.stringify(valueAt(value, e.instancePath))})`)
      .join('; ');
    throw new RuleOptionsError(`options for ${doc.id} (${doc.name}) are invalid: ${msg}`);
  }
  return value;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
