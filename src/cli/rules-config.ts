/**
 * The rules, run as the configuration says: each rule's enabled state,
 * severity and options resolved from .shardwise.yml / --config / flags, then
 * handed to the rules runner by exact id.
 */
import type { Catalog } from '../catalog/model.js';
import { loadConfig, type LoadConfigOptions } from '../config/load.js';
import { resolveRule } from '../config/rules.js';
import type { ResolvedConfig } from '../config/model.js';
import type { Design } from '../design/model.js';
import { toRuleMeta, type RuleMeta } from '../report/model.js';
import { loadRuleDocs } from '../rules/docs.js';
import type { Finding, Severity } from '../rules/finding.js';
import type { RuleDoc } from '../rules/model.js';
import { runRules } from '../rules/runner.js';

export interface ConfiguredRules {
  readonly docs: RuleDoc[];
  readonly meta: RuleMeta[];
  run(catalog: Catalog, design: Design): Finding[];
}

export function configuredRules(config: ResolvedConfig | undefined, docs: RuleDoc[] = loadRuleDocs()): ConfiguredRules {
  const disable: string[] = [];
  const severity: Record<string, Severity> = {};
  const ruleOptions: Record<string, Record<string, unknown>> = {};
  for (const doc of docs) {
    if (!config) continue;
    const eff = resolveRule(config, { id: doc.id, name: doc.name, group: doc.group, severity: doc.severity });
    if (!eff.enabled) disable.push(doc.id);
    else if (eff.severity !== doc.severity) severity[doc.id] = eff.severity;
    if (Object.keys(eff.options).length) ruleOptions[doc.id] = eff.options;
  }
  return {
    docs,
    meta: docs.map((d) => toRuleMeta(d)),
    run: (catalog, design) => runRules(catalog, design, { docs, disable, severity, ruleOptions }),
  };
}

/** The configuration, checked against the rules that exist (a selector naming none is a located error). */
export function loadRulesConfig(options: Omit<LoadConfigOptions, 'rules'>, docs: readonly RuleDoc[] = loadRuleDocs()): ResolvedConfig {
  return loadConfig({ ...options, rules: docs.map((d) => ({ id: d.id, name: d.name, group: d.group, severity: d.severity, options: d.options })) });
}
