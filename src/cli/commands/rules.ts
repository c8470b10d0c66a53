import { ruleDocUrl as ruleUrl } from '../../project.js';
import { readRuleCatalogue } from '../../rules/catalogue.js';
import type { RuleDoc } from '../../rules/model.js';
import { UsageError, type Command } from '../io.js';

const USAGE = `Usage: shardwise rules [ID|NAME] [--format text|json]

Without an argument, lists every rule: id, name, severity, summary.
With a rule id or name, shows that rule: rationale, remedy, messages and examples.`;

export const rules: Command = {
  usage: USAGE,
  async run(argv, io) {
    let format = 'text';
    const positional: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      if (a === '--format' || a.startsWith('--format=')) {
        format = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i] ?? '';
        if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json (got '${format}')`);
      } else if (a.startsWith('-')) {
        throw new UsageError(`unknown option '${a}'`, "run 'shardwise rules --help'");
      } else positional.push(a);
    }
    if (positional.length > 1) throw new UsageError(`expected at most one rule, got ${positional.length}`, "run 'shardwise rules --help'");
    const docs = readRuleCatalogue() ?? (await readRuleFiles());
    const wanted = positional[0];
    if (wanted === undefined) {
      if (format === 'json') {
        io.stdout.write(JSON.stringify(docs.map((d) => ({ id: d.id, name: d.name, group: d.group, severity: d.severity, summary: d.summary, url: ruleUrl(d.id) })), null, 2) + '\n');
      } else {
        const w = Math.max(...docs.map((d) => d.name.length));
        for (const d of docs) io.stdout.write(`${d.id}  ${d.name.padEnd(w)}  ${d.severity.padEnd(7)}  ${d.summary}\n`);
      }
      return 0;
    }
    const doc = docs.find((d) => d.id === wanted.toUpperCase() || d.name === wanted);
    if (!doc) throw new UsageError(`no rule '${wanted}'`, "run 'shardwise rules' for the list");
    if (format === 'json') {
      io.stdout.write(JSON.stringify({ ...doc, url: ruleUrl(doc.id) }, null, 2) + '\n');
      return 0;
    }
    const out: string[] = [
      `${doc.id} ${doc.name} (${doc.severity}, group ${doc.group})`,
      doc.summary,
      ruleUrl(doc.id),
      '',
      'Why:',
      indent(doc.rationale.trim()),
      '',
      'What to do:',
      indent(doc.help.trim()),
      '',
      'Messages:',
      ...Object.entries(doc.messages).map(([id, text]) => indent(`${id}: ${text.trim()}`)),
    ];
    for (const [verdict, list] of [['Flagged', doc.examples.invalid], ['Accepted', doc.examples.valid]] as const) {
      for (const ex of list) {
        out.push('', `${verdict}: ${ex.title}`, indent(ex.schema.trimEnd()));
        const design = Object.entries(ex.design)
          .map(([t, d]) => `${t}: ${d.kind}${d.column ? ` on ${d.column}` : ''}${d.colocate_with ? ` colocated with ${d.colocate_with}` : ''}${d.shard_count ? ` (${d.shard_count} shards)` : ''}`)
          .join('; ');
        out.push(indent(`design: ${design || 'every table local'}${ex.citus ? `; Citus ${ex.citus}` : ''}`));
        for (const f of ex.findings ?? []) {
          out.push(indent(`-> line ${f.line}: ${f.rule ?? doc.id} ${f.messageId} on ${f.table}${f.column ? `.${f.column}` : ''}`));
          if (f.fix) out.push(indent(f.fix.trim(), '     fix: ', '          '));
        }
      }
    }
    io.stdout.write(out.join('\n') + '\n');
    return 0;
  },
};

/** Without a catalogue that matches them (a checkout not built since the rules changed): parse and validate the YAML. */
async function readRuleFiles(): Promise<RuleDoc[]> {
  const { loadRuleDocs, RuleDocError } = await import('../../rules/docs.js');
  try {
    return loadRuleDocs();
  } catch (e) {
    if (e instanceof RuleDocError) throw new UsageError(`invalid rule document:\n${e.message}`);
    throw e;
  }
}

function indent(text: string, first = '    ', rest = first): string {
  return text
    .split('\n')
    .map((l, i) => (l ? (i ? rest : first) + l : ''))
    .join('\n');
}
