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
import type { Diagnostic, Location } from '../../catalog/model.js';
import { readScript } from '../pg/index.js';
import type { WorkloadBuilder } from './builder.js';

/** What a .sql workload holds, in file order: plain data, read without a builder. */
export interface SqlWorkloadFile {
  readonly entries: SqlFileEntry[];
  /** `-- procedure:` blocks: each is one transaction of the mix. */
  readonly procedures: SqlFileProcedure[];
}

/** A statement with what its annotations say, a statement that does not parse, or a problem with an annotation. */
export type SqlFileEntry =
  | { readonly kind: 'statement'; readonly sql: string; readonly location: Location; readonly weight: number; readonly label?: string }
  | { readonly kind: 'syntax-error'; readonly diagnostic: Diagnostic }
  | { readonly kind: 'problem'; readonly diagnostic: Diagnostic };

export interface SqlFileProcedure {
  readonly label: string;
  readonly weight?: number;
  /** Its statements, as indexes into `entries`, in file order. */
  readonly statements: number[];
}

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

/** Reads a .sql workload: its statements with their weights and labels, and its procedures. */
export function parseSqlWorkload(file: string, text: string): SqlWorkloadFile {
  const script = readScript(file, text);
  const source = script.source;
  const entries: SqlFileEntry[] = [];
  const procedures: SqlFileProcedure[] = [];
  const weightOf = (t: string, line: number): number | undefined => {
    const w = parseWeight(t, file, line);
    if (w.problem) entries.push({ kind: 'problem', diagnostic: w.problem });
    return w.weight;
  };
  let group: Group = {};
  // `-- procedure:` groups: each is one transaction of the mix
  let proc: { label: string; weight?: number; statements: number[] } | undefined;
  const endProcedure = () => {
    if (proc) procedures.push(proc);
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
        group = { label: m[1], weight: m[2] !== undefined ? weightOf(m[2], line) : undefined };
        endProcedure();
        proc = { label: m[1], ...(group.weight !== undefined ? { weight: group.weight } : {}), statements: [] };
      } else if ((m = START_QUERY.exec(c))) {
        endProcedure();
        group = { label: m[2] ?? `query${m[1]}` };
      } else if (END_QUERY.test(c)) {
        endProcedure();
        group = {};
      } else if ((m = WEIGHT.exec(c))) {
        nextWeight = weightOf(m[1], line);
      } else if ((m = NAMED_WEIGHT.exec(c))) {
        endProcedure();
        group = { label: m[1], weight: weightOf(m[2], line) };
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
      entries.push({
        kind: 'syntax-error',
        diagnostic: {
          code: 'syntax-error',
          severity: 'error',
          message: stmt.error?.overBound ? stmt.error.message : `query does not parse: ${stmt.error?.message ?? 'no statement'}`,
          location: stmt.error?.location ?? stmt.location,
          hint: 'the statement is left out of the workload',
        },
      });
      continue;
    }
    const label = nextLabel ?? group.label ?? paragraph;
    proc?.statements.push(entries.length);
    entries.push({ kind: 'statement', sql: stmt.sql, location: stmt.location, weight: nextWeight ?? group.weight ?? 1, ...(label !== undefined ? { label } : {}) });
  }
  endProcedure();
  return { entries, procedures };
}

/** A .sql workload into the builder: the file is one session; each procedure, one transaction of the mix. */
export function readSqlWorkloadInto(builder: WorkloadBuilder, file: string, text: string): void {
  const { entries, procedures } = parseSqlWorkload(file, text);
  const session = `${file}\u0000sql`;
  const ids: Array<string | undefined> = [];
  entries.forEach((e, i) => {
    if (e.kind === 'statement') {
      ids[i] = builder.add({ sql: e.sql, location: e.location, weight: e.weight, calls: 1, ...(e.label !== undefined ? { label: e.label } : {}) }, session);
      return;
    }
    if (e.kind === 'syntax-error') builder.countStatement(file);
    builder.report(e.diagnostic);
  });
  for (const p of procedures) {
    builder.procedure(
      p.label,
      p.weight,
      p.statements.map((i) => ids[i]).filter((id): id is string => id !== undefined),
    );
  }
  builder.dropOpen(session);
}

function parseWeight(text: string, file: string, line: number): { readonly weight?: number; readonly problem?: Diagnostic } {
  if (/^(n\/a|none|-)$/i.test(text)) return { weight: 0 };
  const n = Number(text);
  if (/^\d+(\.\d+)?$/.test(text) && Number.isFinite(n)) return { weight: n };
  return {
    problem: {
      code: 'input-error',
      severity: 'warning',
      message: `weight "${text}" not understood: expected a number, or n/a for a statement outside the mix`,
      location: { file, line, column: 1 },
    },
  };
}
