/**
 * A .sql file of queries, one statement per `;`, with optional annotations in
 * `--` comments on the lines above a statement:
 *
 *   -- procedure: NewOrder  weight: 45      every statement until the next header: label NewOrder, weight 45
 *   -- Q1  weight: 1                         the same, shorter (a name, then weight)
 *   -- start query 7 ... template query7.tpl / -- end query 7    (dsqgen output) label query7
 *   -- weight: 12                            the next statement only
 *   -- name: GetAuthor :one / -- label: X   the next statement's label (sqlc style / plain)
 *   -- app/models/x.rb :: method  params: ...   the next statement's label (`file :: function`)
 *
 * `weight: n/a` (a procedure outside the measured mix) gives weight 0. Without
 * an annotation a statement weighs 1 and its label is the first line of the
 * comment block above it that is not an annotation, if any (not the file's
 * opening comment); it carries on to the next statements of the paragraph.
 * BEGIN ... COMMIT blocks in the file are transactions; `SET search_path`
 * applies to the statements after it (the file is one session).
 */
import type { WorkloadBuilder } from './builder.js';
import { readScript } from '../pg/index.js';

interface Group {
  readonly label?: string;
  readonly weight?: number;
}

const PROCEDURE = /^procedure:\s*(\S+)(?:\s+weight:\s*(\S+))?/i;
const START_QUERY = /^start query (\d+)\b(?:.*?\btemplate (\S+?)(?:\.tpl)?(?:\s|$))?/i;
const END_QUERY = /^end query\b/i;
const NAMED_WEIGHT = /^(\S+)\s+weight:\s*(\S+)\s*$/i;
const WEIGHT = /^weight:\s*(\S+)/i;
const NAME = /^(?:name|label):\s*(\S.*?)\s*$/i;
const FUNCTION = /^(\S+\.\w+ :: .+?)(?:\s{2,}.*)?$/;

export function readSqlWorkloadInto(builder: WorkloadBuilder, file: string, text: string): void {
  const script = readScript(file, text);
  const source = script.source;
  const session = `${file}\u0000sql`;
  let group: Group = {};
  // `-- procedure:` groups: each is one transaction of the mix
  let proc: { label: string; weight?: number; queries: string[] } | undefined;
  const endProcedure = () => {
    if (proc) builder.procedure(proc.label, proc.weight, proc.queries);
    proc = undefined;
  };
  let paragraph: string | undefined; // label from a comment block, until a blank line
  let prevEnd = 0;
  for (const stmt of script.statements) {
    let nextWeight: number | undefined;
    let nextLabel: string | undefined;
    // the lines between the previous statement and this one
    const firstLine = source.lineOfByte(prevEnd);
    const lastLine = stmt.location.line - 1;
    // the comment block right above: its first line that is not an annotation (weight, name, procedure, ...)
    let block: string[] = [];
    let blockStart = 0;
    let blockText: string | undefined;
    for (let line = firstLine; line <= lastLine; line++) {
      let t = source.lineText(line);
      if (line === firstLine && prevEnd > 0) t = source.slice(prevEnd, source.lineStartByte(line + 1)).replace(/\n$/, '');
      t = t.trim();
      if (line === firstLine && prevEnd > 0 && /^;?\s*$/.test(t)) continue; // the rest of the previous statement's line
      if (!t.startsWith('--')) {
        if (!t) {
          block = [];
          blockText = undefined;
          paragraph = undefined;
        }
        continue;
      }
      const c = t.replace(/^-+\s*/, '');
      if (!block.length) blockStart = line;
      block.push(c);
      let m: RegExpExecArray | null;
      if ((m = PROCEDURE.exec(c))) {
        group = { label: m[1], weight: m[2] !== undefined ? weightOf(builder, m[2], file, line) : undefined };
        endProcedure();
        proc = { label: m[1], ...(group.weight !== undefined ? { weight: group.weight } : {}), queries: [] };
      } else if ((m = START_QUERY.exec(c))) {
        endProcedure();
        group = { label: m[2] ?? `query${m[1]}` };
      } else if (END_QUERY.test(c)) {
        endProcedure();
        group = {};
      } else if ((m = WEIGHT.exec(c))) {
        nextWeight = weightOf(builder, m[1], file, line);
      } else if ((m = NAMED_WEIGHT.exec(c))) {
        endProcedure();
        group = { label: m[1], weight: weightOf(builder, m[2], file, line) };
      } else if ((m = NAME.exec(c))) {
        nextLabel = m[1].split(/\s+/)[0];
      } else if ((m = FUNCTION.exec(c))) {
        nextLabel = m[1];
      } else if (blockText === undefined && c) {
        blockText = c;
      }
    }
    // Annotation lines never become a label themselves: a `-- weight: 7` block labels nothing.
    if (blockText !== undefined && blockStart > 1 && group.label === undefined) paragraph = blockText.slice(0, 120);
    prevEnd = stmt.endByte;
    if (stmt.error || !stmt.node) {
      builder.countStatement(file);
      builder.report({
        code: 'syntax-error',
        severity: 'error',
        message: `query does not parse: ${stmt.error?.message ?? 'no statement'}`,
        location: stmt.error?.location ?? stmt.location,
        hint: 'the statement is left out of the workload',
      });
      continue;
    }
    const label = nextLabel ?? group.label ?? paragraph;
    const weight = nextWeight ?? group.weight ?? 1;
    builder.add({ sql: stmt.sql, location: stmt.location, weight, calls: 1, ...(label !== undefined ? { label } : {}) }, session);
    const id = builder.lastQueryId();
    if (proc && id !== undefined) proc.queries.push(id);
  }
  endProcedure();
  builder.dropOpen(session);
}

function weightOf(builder: WorkloadBuilder, text: string, file: string, line: number): number | undefined {
  if (/^(n\/a|none|-)$/i.test(text)) return 0;
  const n = Number(text);
  if (/^\d+(\.\d+)?$/.test(text) && Number.isFinite(n)) return n;
  builder.report({
    code: 'input-error',
    severity: 'warning',
    message: `weight "${text}" not understood: expected a number, or n/a for a statement outside the mix`,
    location: { file, line, column: 1 },
  });
  return undefined;
}
