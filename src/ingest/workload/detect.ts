/**
 * Which kind of workload file this is, from its first 64 KB (the extension is
 * only a tie-breaker for SQL).
 */
import { InputError } from '../files.js';
import type { WorkloadFormat } from './model.js';
import { compilePrefix, KNOWN_PREFIXES } from './stderr-log.js';

export interface Detected {
  readonly format: WorkloadFormat;
  /** For JSON: a top-level array rather than JSON lines. */
  readonly jsonArray?: boolean;
}

const EXPECTED =
  'expected a pg_stat_statements export (CSV with a header line, a JSON array or JSON lines, with "query" and "calls"), ' +
  'a PostgreSQL server log (stderr, csvlog or jsonlog) or a .sql file of queries';

const SEVERITY_LINE = /(?:^|\s|\]:?\s?|:)(?:LOG|ERROR|WARNING|FATAL|PANIC|DETAIL|STATEMENT|NOTICE|INFO|DEBUG[1-5]?):  /;
const CSVLOG_LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [A-Za-z0-9+:\-/_]+)?,/;
const SQL_START =
  /^(?:select|with|insert|update|delete|merge|values|table|begin|start|commit|rollback|end|abort|savepoint|release|create|alter|drop|truncate|set|reset|show|explain|analyze|vacuum|copy|prepare|execute|deallocate|declare|fetch|move|close|lock|grant|revoke|comment|do|call|refresh|listen|notify|unlisten|discard|cluster|reindex|checkpoint|load|security|import)\b|^\(/i;

const HINT = 'docs/workload.md shows how to export each format (pg_stat_statements with \\copy ... WITH CSV HEADER)';

/** 1-based line and column (in characters) of a byte offset of the head. */
function positionOf(head: Buffer, offset: number): { line: number; column: number } {
  const before = head.subarray(0, Math.max(0, offset)).toString('utf8');
  const nl = before.lastIndexOf('\n');
  return { line: (before.match(/\n/g)?.length ?? 0) + 1, column: [...before.slice(nl + 1)].length + 1 };
}

export function detectFormat(file: string, head: Buffer): Detected {
  if (head.length === 0) {
    if (file.toLowerCase().endsWith('.sql')) return { format: 'sql' };
    throw new InputError(`${file}:1:1: empty file; ${EXPECTED}`, { file, hint: HINT });
  }
  if (head[0] === 0x1f && head[1] === 0x8b) {
    throw new InputError(`${file}:1:1: gzip-compressed file; ${EXPECTED}`, { file, hint: `decompress it first: gunzip -k ${file}` });
  }
  if (head.subarray(0, 5).toString('latin1') === 'PGDMP') {
    throw new InputError(`${file}:1:1: pg_dump custom-format (binary) archive, not a workload; ${EXPECTED}`, { file, hint: 'a schema dump goes first on the command line; --workload takes the queries' });
  }
  if (head.includes(0)) {
    const at = positionOf(head, head.indexOf(0));
    throw new InputError(`${file}:${at.line}:${at.column}: binary file (a NUL byte); ${EXPECTED}`, { file, hint: HINT });
  }
  let text = head.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // the last line may be cut by the 64 KB window
  const lines = text.split('\n');
  if (head.length >= 65536 && lines.length > 1) lines.pop();
  const trimmed = text.trimStart();

  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    const isArray = trimmed.startsWith('[');
    const firstLine = lines.find((l) => l.trim()) ?? '';
    if (!isArray && /"error_severity"\s*:/.test(firstLine) && /"message"\s*:/.test(firstLine)) return { format: 'jsonlog' };
    if (/"query"\s*:/.test(trimmed) && /"calls"\s*:/.test(trimmed)) return { format: 'pgss-json', jsonArray: isArray };
    if (/"error_severity"\s*:/.test(trimmed)) return { format: 'jsonlog' };
    const at = positionOf(head, head.indexOf(trimmed[0].charCodeAt(0)));
    throw new InputError(`${file}:${at.line}:${at.column}: JSON without "query" and "calls" fields (pg_stat_statements) or "error_severity" and "message" (jsonlog); ${EXPECTED}`, {
      file,
      hint: HINT,
    });
  }

  const first = lines.find((l) => l.trim()) ?? '';
  if (isPgssHeader(first)) return { format: 'pgss-csv' };
  if (CSVLOG_LINE.test(first)) return { format: 'csvlog' };

  const sample = lines.slice(0, 200);
  const logLines = sample.filter((l) => SEVERITY_LINE.test(l)).length;
  if (logLines > 0) {
    // a log if a known prefix fits, or if most lines look like log lines
    const fits = KNOWN_PREFIXES.some((p) => sample.some((l) => compilePrefix(p).regex.test(l)));
    const firstLines = sample.filter((l) => l.length && l[0] !== '\t').length;
    if (fits || logLines * 2 >= firstLines) return { format: 'stderr-log' };
  }

  if (looksLikeSql(text) || (file.toLowerCase().endsWith('.sql') && !/[^\s]/.test(stripComments(text)))) return { format: 'sql' };
  if (/(^|,)\s*"?query"?\s*(,|$)/i.test(first)) {
    throw new InputError(`${file}:${lines.indexOf(first) + 1}:1: CSV header has "query" but no "calls" column; ${EXPECTED}`, {
      file,
      hint: 'export pg_stat_statements with: \\copy (SELECT userid, dbid, query, calls, total_exec_time, rows FROM pg_stat_statements) TO \'pgss.csv\' WITH CSV HEADER',
    });
  }
  const firstLine = lines.indexOf(first) + 1;
  throw new InputError(`${file}:${Math.max(1, firstLine)}:1: unrecognised workload format; ${EXPECTED}`, { file, hint: HINT });
}

function isPgssHeader(line: string): boolean {
  const cols = line.split(',').map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());
  return cols.includes('query') && cols.includes('calls');
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');
}

function looksLikeSql(text: string): boolean {
  const body = stripComments(text).replace(/^\s*\\[^\n]*\n/gm, '').trimStart();
  return SQL_START.test(body);
}
