/**
 * Reading rules/<ID>.yml: parse, validate against schemas/rule.schema.json,
 * and point every problem at its file, line, path and bad value.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv';
import { newAjv, yamlLib } from '../ingest/libs.js';
import type { RuleDoc } from './model.js';
import { ruleDocUrl } from '../project.js';

/** The package's own folder (src/rules and dist/rules both sit two levels below it). */
export function packageRoot(): string {
  return fileURLToPath(new URL('../../', import.meta.url));
}

export function defaultRulesDir(): string {
  return join(packageRoot(), 'rules');
}

export function ruleSchemaPath(): string {
  return join(packageRoot(), 'schemas', 'rule.schema.json');
}

export interface RuleDocProblem {
  /** JSON pointer into the document, e.g. `/examples/invalid/0/findings/0/line`. */
  readonly path: string;
  /** 1-based line in the YAML, when known. */
  readonly line?: number;
  readonly message: string;
  /** The offending value, as JSON (absent for a missing property). */
  readonly value?: string;
}

export class RuleDocError extends Error {
  readonly file: string;
  readonly problems: readonly RuleDocProblem[];
  constructor(file: string, problems: RuleDocProblem[], message?: string) {
    super(
      message ??
      problems
        .map((p) => `${file}${p.line ? `:${p.line}` : ''}: ${p.path || '/'}: ${p.message}${p.value !== undefined ? ` (got ${p.value})` : ''}`)
        .join('\n'),
    );
    this.name = 'RuleDocError';
    this.file = file;
    this.problems = problems;
  }
}

/** A validator for rule documents; make one per run and reuse it for every file. */
export function ruleDocValidator(schema: object = JSON.parse(readFileSync(ruleSchemaPath(), 'utf8'))) {
  const validate = newAjv({ allErrors: true, strict: false, validateSchema: false }).compile(schema);
  return (value: unknown): ErrorObject[] => (validate(value) ? [] : [...(validate.errors ?? [])]);
}

/** Parse and validate one rule file. `file` names it in errors; `expectedId` is its file name's id. */
export function parseRuleDoc(
  file: string,
  text: string,
  validate: (value: unknown) => ErrorObject[] = ruleDocValidator(),
  expectedId?: string,
): RuleDoc {
  const { LineCounter, parseDocument, isNode } = yamlLib();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    throw new RuleDocError(
      file,
      doc.errors.map((e) => ({ path: '', line: lineCounter.linePos(e.pos[0]).line, message: `YAML: ${e.message.split('\n')[0]}` })),
    );
  }
  const value = doc.toJS() as unknown;
  const lineOf = (pointer: string): number | undefined => {
    const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    for (let n = parts.length; n >= 0; n--) {
      const node = doc.getIn(parts.slice(0, n).map((p) => (/^\d+$/.test(p) ? Number(p) : p)), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const errors = validate(value);
  const problems: RuleDocProblem[] = [];
  for (const e of errors) {
    if (e.keyword === 'if' || e.keyword === 'allOf') continue;
    const missing = e.keyword === 'required' ? `/${(e.params as { missingProperty: string }).missingProperty}` : '';
    const extra = e.keyword === 'additionalProperties' ? `/${(e.params as { additionalProperty: string }).additionalProperty}` : '';
    const path = e.instancePath + (missing || extra);
    const bad = missing ? undefined : e.keyword === 'additionalProperties' ? undefined : JSON.stringify(valueAt(value, e.instancePath));
    problems.push({
      path,
      line: lineOf(e.instancePath + extra),
      message: e.keyword === 'additionalProperties' ? 'unknown property' : e.message ?? e.keyword,
      ...(bad !== undefined ? { value: bad.length > 80 ? bad.slice(0, 77) + '...' : bad } : {}),
    });
  }
  if (!problems.length) {
    const rule = value as RuleDoc;
    if (expectedId !== undefined && rule.id !== expectedId) {
      problems.push({ path: '/id', line: lineOf('/id'), message: `must equal the file name's id '${expectedId}'`, value: JSON.stringify(rule.id) });
    }
    if (rule.name.split('.')[0] !== rule.group) {
      problems.push({ path: '/group', line: lineOf('/group'), message: `must equal the first part of name '${rule.name}'`, value: JSON.stringify(rule.group) });
    }
    rule.examples.invalid.forEach((ex, i) => {
      (ex.findings ?? []).forEach((f, j) => {
        if ((f.rule ?? rule.id) === rule.id && !(f.messageId in rule.messages)) {
          const p = `/examples/invalid/${i}/findings/${j}/messageId`;
          problems.push({ path: p, line: lineOf(p), message: `must be one of the rule's messages (${Object.keys(rule.messages).join(', ')})`, value: JSON.stringify(f.messageId) });
        }
      });
    });
  }
  if (problems.length) throw new RuleDocError(file, problems);
  return value as RuleDoc;
}

export function valueAt(value: unknown, pointer: string): unknown {
  let cur = value;
  for (const part of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

/** Every rules/<ID>.yml, sorted by id. Problems in several files are reported together. */
export function loadRuleDocs(dir: string = defaultRulesDir()): RuleDoc[] {
  const validate = ruleDocValidator();
  const files = readdirSync(dir).filter((f) => f.endsWith('.yml')).sort();
  const docs: RuleDoc[] = [];
  const errors: RuleDocError[] = [];
  for (const f of files) {
    try {
      docs.push(parseRuleDoc(`rules/${f}`, readFileSync(join(dir, f), 'utf8'), validate, f.replace(/\.yml$/, '')));
    } catch (e) {
      if (e instanceof RuleDocError) errors.push(e);
      else throw e;
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length) {
    throw new RuleDocError(errors.map((e) => e.file).join(', '), errors.flatMap((e) => [...e.problems]), errors.map((e) => e.message).join('\n'));
  }
  return docs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Stable documentation URL of a rule (text output and SARIF helpUri). */
export function ruleUrl(id: string): string {
  return ruleDocUrl(id);
}

/** Fill `{{name}}` placeholders; a placeholder without a value is an error in the rule. */
export function fillMessage(template: string, data: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_, name: string) => {
    if (!(name in data)) throw new Error(`message placeholder {{${name}}} has no value`);
    return String(data[name]);
  });
}
