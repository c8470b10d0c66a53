/**
 * Scaffold a rule: rules/<ID>.yml, src/rules/<ID>.ts and its registry entry.
 * Usage: npx tsx scripts/new-rule.ts <ID> <dotted.name> [--severity error|warning|info]
 * Then write the check, the messages and the examples, and run
 * `npx tsx scripts/gen-rule-docs.ts` and `npx vitest run test/rules`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/rules/docs.js';

export function addToRegistry(source: string, id: string): string {
  const block = (start: string, end: string, line: string, text: string): string => {
    const a = text.indexOf(start);
    const b = text.indexOf(end);
    if (a === -1 || b === -1 || b < a) throw new Error(`registry markers ${start} / ${end} not found`);
    const head = text.slice(0, a + start.length);
    const body = text.slice(a + start.length, b);
    const indent = /\n([ \t]*)$/.exec(body)?.[1] ?? '';
    const lines = body.split('\n').map((l) => l.trim()).filter(Boolean);
    if (lines.includes(line)) throw new Error(`${id} is already in the registry`);
    lines.push(line);
    lines.sort();
    return head + '\n' + lines.map((l) => indent + l).join('\n') + '\n' + indent + text.slice(b);
  };
  let out = block('// registry:imports:start', '// registry:imports:end', `import ${id} from './${id}.js';`, source);
  out = block('// registry:entries:start', '// registry:entries:end', `${id},`, out);
  return out;
}

function main(argv: string[]): number {
  const [id, name] = argv.filter((a) => !a.startsWith('--'));
  const sevIdx = argv.indexOf('--severity');
  const severity = sevIdx !== -1 ? argv[sevIdx + 1] : 'warning';
  if (!id || !/^[A-Z]{2,4}[0-9]{2}$/.test(id) || !name || !/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/.test(name)) {
    process.stderr.write('usage: npx tsx scripts/new-rule.ts <ID like FK09> <dotted.name like foreign-key.something> [--severity error|warning|info]\n');
    return 2;
  }
  if (!['error', 'warning', 'info'].includes(severity)) {
    process.stderr.write(`--severity must be error, warning or info (got '${severity}')\n`);
    return 2;
  }
  const root = packageRoot();
  const yml = join(root, 'rules', `${id}.yml`);
  const ts = join(root, 'src', 'rules', `${id}.ts`);
  const reg = join(root, 'src', 'rules', 'registry.ts');
  for (const p of [yml, ts]) {
    if (existsSync(p)) {
      process.stderr.write(`${p} already exists\n`);
      return 2;
    }
  }
  const group = name.split('.')[0];
  writeFileSync(
    yml,
    `id: ${id}
name: ${name}
group: ${group}
severity: ${severity}
summary: TODO say what to do, in one imperative line
rationale: |
  TODO what breaks in Citus, why, in which versions, with Citus's exact error text.
messages:
  default: >-
    TODO the Citus consequence for {{table}}.
help: >-
  TODO the change to make.
links: []
options:
  type: object
  properties: {}
  additionalProperties: false
examples:
  valid:
    - title: TODO
      schema: |
        CREATE TABLE t (id bigint PRIMARY KEY);
      design:
        t: { kind: distributed, column: id }
  invalid:
    - title: TODO
      schema: |
        CREATE TABLE t (id bigint PRIMARY KEY);
      design:
        t: { kind: distributed, column: id }
      findings:
        - messageId: default
          table: t
          line: 1
`,
  );
  writeFileSync(
    ts,
    `/** ${id}: TODO one line. */
import { defineRule } from './model.js';
import { displayName } from './helpers.js';

export default defineRule({
  id: '${id}',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (facts.kind !== 'distributed') continue;
      void displayName(key);
      // ctx.report({ messageId: 'default', data: { table: displayName(key) }, at: facts.table.location, table: key });
    }
  },
});
`,
  );
  writeFileSync(reg, addToRegistry(readFileSync(reg, 'utf8'), id));
  process.stdout.write(`created rules/${id}.yml, src/rules/${id}.ts and the registry entry\n`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2));
