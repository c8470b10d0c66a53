/** Markdown documentation of the rules, generated from their documents (docs/rules/). */
import { ruleUrl } from './docs.js';
import type { RuleDoc, RuleExample } from './model.js';

const GENERATED = '<!-- Generated from rules/{{id}}.yml by scripts/gen-rule-docs.ts. Do not edit. -->';

export function renderRuleDoc(doc: RuleDoc): string {
  const out: string[] = [];
  out.push(GENERATED.replace('{{id}}', doc.id), '');
  out.push(`# ${doc.id} \`${doc.name}\``, '');
  out.push(`**${doc.summary}.**`, '');
  out.push(`| group | severity | URL |`, `|---|---|---|`, `| ${doc.group} | ${doc.severity} | ${ruleUrl(doc.id)} |`, '');
  out.push('## Why', '', doc.rationale.trim(), '');
  out.push('## What to do', '', doc.help.trim(), '');
  out.push('## Messages', '');
  for (const [id, text] of Object.entries(doc.messages)) out.push(`- \`${id}\`: ${text.trim()}`);
  out.push('');
  const props = (doc.options as { properties?: Record<string, { description?: string; default?: unknown; type?: string }> }).properties ?? {};
  out.push('## Options', '');
  if (!Object.keys(props).length) out.push('None.', '');
  else {
    out.push('| option | type | default | description |', '|---|---|---|---|');
    for (const [name, p] of Object.entries(props)) {
      out.push(`| \`${name}\` | ${p.type ?? ''} | \`${JSON.stringify(p.default)}\` | ${p.description ?? ''} |`);
    }
    out.push('');
  }
  out.push('## Examples', '');
  for (const ex of doc.examples.invalid) out.push(...renderExample(doc, ex, 'Flagged'));
  for (const ex of doc.examples.valid) out.push(...renderExample(doc, ex, 'Accepted'));
  if (doc.links.length) {
    out.push('## Links', '');
    for (const l of doc.links) out.push(`- [${l.title}](${l.url})`);
    out.push('');
  }
  return out.join('\n').replace(/\n+$/, '\n');
}

function renderExample(doc: RuleDoc, ex: RuleExample, verdict: string): string[] {
  const out = [`### ${verdict}: ${ex.title}`, ''];
  out.push('```sql', ex.schema.replace(/\n+$/, ''), '```', '');
  const design: string[] = [];
  if (ex.citus) design.push(`citus: "${ex.citus}"`);
  if (ex.shard_count) design.push(`shard_count: ${ex.shard_count}`);
  const names = Object.keys(ex.design);
  design.push(names.length ? 'tables:' : 'tables: {}');
  for (const name of names) {
    const flow = Object.entries(ex.design[name]).map(([k, v]) => `${k}: ${v}`).join(', ');
    design.push(`  ${name}: { ${flow} }`);
  }
  out.push('Design:', '', '```yaml', ...design, '```', '');
  if (ex.options) out.push('Options:', '', '```json', JSON.stringify(ex.options), '```', '');
  out.push(...onCitus(ex));
  for (const f of ex.findings ?? []) {
    const rule = f.rule ?? doc.id;
    out.push(
      `- line ${f.line}: **${rule}** \`${f.messageId}\` on \`${f.table}${f.column ? `.${f.column}` : ''}\`` +
        (rule !== doc.id ? ` (another rule)` : ''),
    );
    if (f.fix) out.push('', '  Fix:', '', '  ```sql', ...f.fix.trim().split('\n').map((l) => `  ${l}`), '  ```', '');
  }
  if (ex.findings?.length) out.push('');
  return out;
}

/** What a real Citus cluster says to the example's design (checked by test/citus/rules.test.ts). */
function onCitus(ex: RuleExample): string[] {
  const c = ex.on_citus;
  if (c === undefined) return [];
  if (c === 'ok') return ['On a real Citus cluster the design is accepted: what the rule warns of comes later.', ''];
  const lead = c.then ? `On a real Citus cluster, with the design applied, then \`${c.then.trim()}\`${c.on_worker ? ' on a worker' : ''}:` : 'On a real Citus cluster:';
  return [lead, '', '```', `ERROR:  ${c.error}`, ...(c.detail ? [`DETAIL:  ${c.detail}`] : []), '```', ''];
}

/** A finding that no rules/<ID>.yml describes (a problem of the input or of a suppression comment). */
export interface BuiltinFinding {
  readonly id: string;
  readonly severity: string;
  readonly summary: string;
  readonly help?: string;
}

export function renderRuleIndex(docs: readonly RuleDoc[], builtins: readonly BuiltinFinding[] = []): string {
  const out = ['<!-- Generated from rules/*.yml by scripts/gen-rule-docs.ts. Do not edit. -->', '', '# Rules', ''];
  out.push('Each rule has a page here; `shardwise rules <ID>` shows the same text offline.', '');
  const groups = [...new Set(docs.map((d) => d.group))].sort();
  for (const g of groups) {
    out.push(`## ${g}`, '', '| id | name | severity | summary |', '|---|---|---|---|');
    for (const d of docs.filter((x) => x.group === g)) out.push(`| [${d.id}](${d.id}.md) | \`${d.name}\` | ${d.severity} | ${d.summary} |`);
    out.push('');
  }
  if (builtins.length) {
    out.push('## Findings without a rule file', '', 'Problems of the input or of a suppression comment, and statements shardwise cannot check, reported whatever rules are enabled.', '');
    for (const b of [...builtins].sort((x, y) => (x.id < y.id ? -1 : 1))) {
      out.push(`### ${b.id}`, '', `Severity: ${b.severity}. ${b.summary}.`, '');
      if (b.help) out.push(b.help, '');
    }
  }
  return out.join('\n').replace(/\n+$/, '\n');
}

/** Every generated file, relative to docs/rules/. */
export function renderRuleDocs(docs: readonly RuleDoc[], builtins: readonly BuiltinFinding[] = []): Record<string, string> {
  const files: Record<string, string> = { 'README.md': renderRuleIndex(docs, builtins) };
  for (const d of docs) files[`${d.id}.md`] = renderRuleDoc(d);
  return files;
}
