/**
 * Reading one config file: YAML to a value, validated by ajv against
 * schemas/config.schema.json, every problem placed at the YAML line:column
 * of the offending key or value (the `yaml` package's node ranges) with a hint.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv';
import { newAjv } from '../ingest/libs.js';
import { locateNode, readYaml } from '../ingest/yaml.js';
import { ConfigError, type ConfigFile, type ConfigProblem } from './model.js';
import { optionProblems } from './options.js';
import { isGlobSelector, matchSelector, type ConfigurableRule } from './rules.js';
import { schemaUrl } from '../project.js';

/** Path of the published config schema in the package. */
export const CONFIG_SCHEMA_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas', 'config.schema.json');
export const CONFIG_SCHEMA_ID = schemaUrl('config.schema.json');

export function readConfigSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(CONFIG_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
}

export type Validator = (value: unknown) => readonly ErrorObject[];

/** A validator for config values (one ajv instance per call: no shared state). */
export function configValidator(schema: Record<string, unknown> = readConfigSchema()): Validator {
  const validate = newAjv({ allErrors: true, strict: true, verbose: true, validateSchema: false }).compile(schema);
  return (value) => (validate(value) ? [] : (validate.errors ?? []));
}

export interface ParsedConfig {
  readonly config: ConfigFile;
  /** 1-based position of a key (or, for a path that ends at a value, of that value). */
  readonly positionOf: (path: readonly (string | number)[], prefer?: 'key' | 'value') => { line: number; column: number };
}

/**
 * Parse and validate a config file's text. `file` is how problems name it.
 * With `rules` (the rules there are), a selector under `rules:` that matches
 * none of them is a problem too. Throws ConfigError with every problem found.
 */
export function parseConfigText(text: string, file: string, validate: Validator = configValidator(), rules?: readonly ConfigurableRule[]): ParsedConfig {
  const read = readYaml(text, 'configuration file');
  if (!read.ok) throw new ConfigError(read.problems.map((p) => ({ file, ...p })));
  const { doc, value, at } = read;
  const positionOf = (path: readonly (string | number)[], prefer: 'key' | 'value' = 'value') => {
    const { key, value: node } = locateNode(doc, path);
    const target = prefer === 'key' ? (key ?? node) : (node ?? key);
    return target?.range ? at(target.range[0]) : { line: 1, column: 1 };
  };
  const errors = validate(value);
  const problems = errors.length > 0 ? describeErrors(errors, value, file, positionOf) : [];
  if (rules) problems.push(...selectorProblems(value, rules, file, positionOf));
  if (rules && !errors.length) problems.push(...optionProblems(value, rules, file, positionOf));
  if (problems.length > 0) throw new ConfigError(problems.sort((a, b) => a.line - b.line || a.column - b.column));
  return { config: value as ConfigFile, positionOf };
}

/** The selector syntax schemas/config.schema.json allows (other keys are reported by the schema). */
const SELECTOR = /^[A-Za-z0-9_.*?\-[\]{},!]+$/;

/** Keys under `rules:` that match no rule: a typo that would otherwise silently configure nothing. */
export function selectorProblems(
  value: unknown,
  rules: readonly ConfigurableRule[],
  file: string,
  positionOf: (path: readonly (string | number)[], prefer?: 'key' | 'value') => { line: number; column: number },
): ConfigProblem[] {
  const section = value !== null && typeof value === 'object' ? (value as Record<string, unknown>).rules : undefined;
  if (section === null || typeof section !== 'object' || Array.isArray(section)) return [];
  const out: ConfigProblem[] = [];
  for (const selector of Object.keys(section)) {
    if (!SELECTOR.test(selector) || rules.some((r) => matchSelector(selector, r) !== undefined)) continue;
    const near = nearSelectors(selector, rules);
    out.push({
      file,
      ...positionOf(['rules', selector], 'key'),
      message: `${pathLabel(['rules', selector])}: ${JSON.stringify(selector)} ${isGlobSelector(selector) ? 'matches no rule id or name' : 'is no rule id, name or group'}`,
      hint: `${near.length ? `near matches: ${near.join(', ')}; ` : ''}\`shardwise rules\` lists every rule`,
    });
  }
  return out;
}

/** Up to three selectors close to one that matches nothing: a glob over an id family, then ids, names and groups by edit distance. */
export function nearSelectors(selector: string, rules: readonly ConfigurableRule[]): string[] {
  const out: string[] = [];
  const word = selector.replace(/[*?[\]{}!,]/g, '').toLowerCase();
  // `FKX`, `fk`, `FK1*`: the family of ids it starts like; `foreign-key.typo`: its group's names.
  const families = [...new Set(rules.map((r) => /^[A-Za-z]+/.exec(r.id)?.[0]).filter((f): f is string => !!f))];
  const family = families.filter((f) => word.startsWith(f.toLowerCase())).sort((a, b) => b.length - a.length)[0];
  const group = rules.map((r) => r.group).find((g) => word.startsWith(`${g.toLowerCase()}.`));
  const glob = group ? `${group}.*` : family ? `${family}*` : undefined;
  if (glob && glob !== selector) out.push(`"${glob}"`);
  const candidates = [...new Set(rules.flatMap((r) => [r.id, r.name, r.group]))];
  const limit = Math.max(2, Math.min(4, Math.floor(word.length / 5)));
  const scored = candidates
    .map((c) => {
      const lc = c.toLowerCase();
      // `uniq` for `unique`: an abbreviation counts as one edit
      return { c, d: word.length >= 3 && lc.startsWith(word) && lc !== word ? Math.min(1, distance(word, lc)) : distance(word, lc) };
    })
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : a.c > b.c ? 1 : 0));
  for (const x of scored) {
    if (out.length >= 3) break;
    out.push(x.c);
  }
  return out;
}

/** `/rules/FK~1x` -> ['rules', 'FK/x'] */
function pointerPath(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** ['rules', 'foreign-key.*'] -> rules["foreign-key.*"] */
export function pathLabel(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number' || /^\d+$/.test(String(seg))) out += `[${seg}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || '(top level)';
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let cur = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function show(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v} (${show(v)})`;
}

function describeErrors(
  errors: readonly ErrorObject[],
  root: unknown,
  file: string,
  positionOf: ParsedConfig['positionOf'],
): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    // `if` only says which branch failed; the branch's own error says why.
    if (e.keyword === 'if' || e.keyword === 'propertyNames') continue;
    const path = pointerPath(e.instancePath);
    const value = valueAt(root, path);
    const label = pathLabel(path);
    const schema = (e.parentSchema ?? {}) as { description?: string; properties?: Record<string, unknown> };
    let problem: Omit<ConfigProblem, 'file' | 'line' | 'column'>;
    let pos = positionOf(path);
    const propertyName = (e as ErrorObject & { propertyName?: string }).propertyName;
    if (propertyName !== undefined) {
      pos = positionOf([...path, propertyName], 'key');
      problem = {
        message: `${pathLabel([...path, propertyName])}: ${JSON.stringify(propertyName)} is not a rule id, name, group or glob`,
        hint: 'use letters, digits, `.`, `-`, `_` and glob characters (* ? [ ] { } , !)',
      };
    } else if (e.keyword === 'additionalProperties') {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys(schema.properties ?? {});
      pos = positionOf([...path, extra], 'key');
      const near = closest(extra, allowed);
      problem = {
        message: `unknown key ${JSON.stringify(extra)}${path.length ? ` in ${label}` : ''}`,
        hint: near ? `did you mean "${near}"?` : `allowed keys: ${allowed.join(', ')}`,
      };
    } else if (e.keyword === 'enum') {
      const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      const near = typeof value === 'string' ? closest(value, allowed) : undefined;
      problem = {
        message: `${label}: ${show(value)} is not allowed`,
        hint: `${near ? `did you mean "${near}"? ` : ''}use one of: ${allowed.join(', ')}`,
      };
    } else if (e.keyword === 'type') {
      const expected = String((e.params as { type: string | string[] }).type);
      problem = {
        message: `${label}: expected ${expected === 'object' ? 'a mapping' : expected === 'array' ? 'a list' : `a ${expected}`}, got ${typeName(value)}`,
        hint: schema.description,
      };
    } else if (e.keyword === 'pattern' || e.keyword === 'minLength') {
      problem = { message: `${label}: ${show(value)} is not valid here`, hint: schema.description };
    } else if (e.keyword === 'minProperties') {
      problem = { message: `${label}: an empty mapping sets nothing`, hint: 'give `severity` and/or `options`, or write the level directly' };
    } else {
      problem = { message: `${label}: ${e.message ?? 'is not valid'}`, hint: schema.description };
    }
    const key = `${pos.line}:${pos.column}:${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ file, ...pos, ...problem });
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** The allowed word closest to a typo: same but for case, a prefix of it, or at most 2 edits away. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const lw = word.toLowerCase();
    const d = lc === lw ? 0 : lw.length >= 3 && lc.startsWith(lw) ? 1 : distance(lw, lc);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}
