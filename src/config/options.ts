/**
 * Rule options in a config file, checked against each rule's options schema
 * (rules/<ID>.yml `options`) when the file is read, so that a wrong shape is
 * an error at its YAML line:column with what the rule accepts, never a
 * failure later in the run.
 */
import type { ErrorObject } from 'ajv';
import { newAjv } from '../ingest/libs.js';
import type { ConfigProblem } from './model.js';
import { matchSelector, type ConfigurableRule } from './rules.js';

type PositionOf = (path: readonly (string | number)[], prefer?: 'key' | 'value') => { line: number; column: number };

function pointerPath(pointer: string): string[] {
  return pointer ? pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')) : [];
}

function label(path: readonly string[]): string {
  return path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : /^[A-Za-z_][\w-]*$/.test(p) ? `${i ? '.' : ''}${p}` : `[${JSON.stringify(p)}]`)).join('');
}

function shown(v: unknown): string {
  const s = v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** What a rule's options schema accepts, in a line: its keys and their types. */
function accepted(schema: Readonly<Record<string, unknown>>): string {
  const props = (schema.properties ?? {}) as Record<string, { type?: unknown; description?: string }>;
  const keys = Object.entries(props).map(([k, p]) => `${k}${p.type ? ` (${String(p.type)})` : ''}`);
  return keys.length ? `options it takes: ${keys.join(', ')}` : 'it takes no options: remove `options`';
}

function describe(e: ErrorObject, value: unknown): string {
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown option ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)}`;
    case 'type':
      return `expected ${String((e.params as { type: string }).type)}, got ${shown(value)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${shown(value)} ${e.message ?? 'is out of range'}`;
    case 'enum':
      return `${shown(value)} is not one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${shown(value)}: ${e.message ?? e.keyword}`;
  }
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let cur = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/**
 * Problems with the `options` of each entry under `rules:`, for every rule
 * the entry's selector matches (a glob's options go to each rule it
 * matches). One problem per place and message.
 */
export function optionProblems(value: unknown, rules: readonly ConfigurableRule[], file: string, positionOf: PositionOf): ConfigProblem[] {
  const section = value !== null && typeof value === 'object' ? (value as Record<string, unknown>).rules : undefined;
  if (section === null || typeof section !== 'object' || Array.isArray(section)) return [];
  const ajv = newAjv({ allErrors: true, strict: false, validateSchema: false });
  const out = new Map<string, ConfigProblem & { ids: string[] }>();
  for (const [selector, setting] of Object.entries(section as Record<string, unknown>)) {
    if (setting === null || typeof setting !== 'object' || Array.isArray(setting)) continue;
    const options = (setting as Record<string, unknown>).options;
    if (options === undefined || options === null || typeof options !== 'object' || Array.isArray(options)) continue;
    for (const rule of rules) {
      if (!rule.options || matchSelector(selector, rule) === undefined) continue;
      const validate = ajv.compile(rule.options);
      if (validate(structuredClone(options))) continue;
      for (const e of validate.errors ?? []) {
        const inner = pointerPath(e.instancePath);
        const extra = e.keyword === 'additionalProperties' ? [(e.params as { additionalProperty: string }).additionalProperty] : [];
        const path = ['rules', selector, 'options', ...inner, ...extra];
        const pos = positionOf(path, extra.length ? 'key' : 'value');
        const message = `${label(['rules', selector, 'options', ...inner])}: ${describe(e, valueAt(options, inner))}`;
        const key = `${pos.line}:${pos.column}:${message}`;
        const seen = out.get(key);
        if (seen) {
          seen.ids.push(rule.id);
          continue;
        }
        out.set(key, { file, ...pos, message, hint: `${rule.id} (${rule.name}): ${accepted(rule.options)}`, ids: [rule.id] });
      }
    }
  }
  return [...out.values()].map(({ ids, ...p }) => ({ ...p, message: ids.length > 1 ? `${p.message} (for ${ids.join(', ')})` : p.message }));
}
