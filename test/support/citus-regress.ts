/**
 * Citus's own regression suite as an oracle. Its `src/test/regress/sql/X.sql`
 * files are run by pg_regress with `psql -a`, and `expected/X.out` holds what
 * Citus printed: every input line echoed (blank lines are not), followed by
 * each statement's output. Aligning the two gives, for every statement of the
 * script, the outcome Citus gave: ok, or its ERROR with DETAIL and HINT.
 *
 * The files come from the unmodified Citus source tarball beside the
 * repository (`../shared/citus/`, or SHARDWISE_CITUS_TARBALL), extracted once
 * per machine into the temporary directory.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeAs, parseSql, readScript, type Script, type Statement } from '../../src/ingest/pg/index.js';
import { interpolatePsqlVariables } from './psql-vars.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function citusTarball(): string | undefined {
  const p = process.env.SHARDWISE_CITUS_TARBALL ?? resolve(repoRoot, '..', 'shared', 'citus', 'citus-13.2.2.tar.gz');
  return existsSync(p) ? p : undefined;
}

/** The extracted `src/test/regress` directory (sql/ and expected/), or undefined without the tarball. */
export function regressDir(): string | undefined {
  const tarball = citusTarball();
  if (!tarball) return undefined;
  const sum = createHash('sha256').update(readFileSync(tarball)).digest('hex').slice(0, 16);
  const root = join(tmpdir(), `shardwise-citus-regress-${sum}`);
  const find = () => {
    const top = readdirSync(root).find((d) => existsSync(join(root, d, 'src', 'test', 'regress', 'sql')));
    return top ? join(root, top, 'src', 'test', 'regress') : undefined;
  };
  if (existsSync(root)) {
    const dir = find();
    if (dir) return dir;
  }
  const partial = `${root}.${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', partial, '--wildcards', '*/src/test/regress/sql/*', '*/src/test/regress/expected/*'], { stdio: 'ignore' });
  try {
    renameSync(partial, root);
  } catch {
    rmSync(partial, { recursive: true, force: true }); // another process got there first
  }
  return find();
}

export interface ExpectedError {
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
}

export interface ExpectedStatement {
  readonly statement: Statement;
  /** Where the statement ran: the coordinator, or elsewhere (`\c` to a worker): such statements are not compared. */
  readonly onCoordinator: boolean;
  /** Whether its echo and output were found in the .out file. */
  readonly aligned: boolean;
  readonly outcome: 'ok' | 'error';
  readonly error?: ExpectedError;
  /** The output lines psql printed for it (results, NOTICEs, WARNINGs, ERRORs). */
  readonly output: readonly string[];
}

export interface RegressFile {
  readonly name: string;
  readonly script: Script;
  readonly statements: readonly ExpectedStatement[];
}

/**
 * The variables pg_regress_multi.pl gives psql (`--variable=...`): the
 * coordinator on 57636, workers on the ports after it, the proxy and
 * follower ports, the user and hosts. psql echoes a line as written and runs
 * it with the variables in place.
 */
const REGRESS_VARIABLES: Readonly<Record<string, string>> = {
  master_port: '57636',
  worker_1_port: '57637',
  worker_2_port: '57638',
  worker_2_proxy_port: '9060',
  follower_master_port: '9070',
  follower_worker_1_port: '9071',
  follower_worker_2_port: '9072',
  default_user: 'postgres',
  SHOW_CONTEXT: 'always',
  abs_srcdir: '/citus/src/test/regress',
  master_host: 'localhost',
  worker_1_host: 'localhost',
  worker_2_host: 'localhost',
  public_worker_1_host: 'localhost',
  public_worker_2_host: 'localhost',
  dev_null: '/dev/null',
  temp_dir: '/tmp/',
  psql: 'psql',
};

/** A query's output column names, as psql's \gset names its variables: the alias, else the column's or function's name. */
function columnsOf(query: string): string[] {
  const parsed = parseSql(query);
  // SHOW x \gset sets x
  const show = parsed.ok ? nodeAs(parsed.result.stmts?.[0]?.stmt, 'VariableShowStmt')?.name : undefined;
  if (show) return [show];
  const select = parsed.ok ? nodeAs(parsed.result.stmts?.[0]?.stmt, 'SelectStmt') : undefined;
  return (select?.targetList ?? []).flatMap((t) => {
    const r = nodeAs(t, 'ResTarget');
    if (r?.name) return [r.name];
    const fields = nodeAs(r?.val, 'ColumnRef')?.fields ?? [];
    const col = nodeAs(fields[fields.length - 1], 'String')?.sval;
    const fn = nodeAs(r?.val, 'FuncCall')?.funcname;
    const fname = fn ? nodeAs(fn[fn.length - 1], 'String')?.sval : undefined;
    return col ? [col] : fname ? [fname] : [];
  });
}

/** How far ahead of the last echoed line the next one is looked for. */
const WINDOW = 400;

/**
 * `name` is the file's base name (`multi_foreign_key`). The first expected
 * output is used (`X.out`; alternatives `X_0.out`, ... are for other
 * PostgreSQL versions).
 */
export function readRegressFile(dir: string, name: string): RegressFile {
  const sqlText = readFileSync(join(dir, 'sql', `${name}.sql`), 'utf8');
  const outText = readFileSync(join(dir, 'expected', `${name}.out`), 'utf8');
  // \gset values come from the database: a number stands in for them (ids, ports, counts)
  const script = readScript(`${name}.sql`, interpolatePsqlVariables(sqlText, REGRESS_VARIABLES, { columnsOf, gsetValue: '1', gsetStatement: 'SELECT 1;' }));
  const sqlLines = sqlText.split('\n');
  const outLines = outText.split('\n');

  // Align each non-blank input line with its echo in the output.
  const echoAt = new Map<number, number>(); // 1-based sql line -> 0-based out line
  let p = 0;
  for (let i = 0; i < sqlLines.length; i++) {
    const line = sqlLines[i];
    if (line.trim() === '') continue;
    const limit = Math.min(outLines.length, p + WINDOW);
    for (let j = p; j < limit; j++) {
      if (outLines[j] === line) {
        echoAt.set(i + 1, j);
        p = j + 1;
        break;
      }
    }
  }
  const alignedLines = [...echoAt.keys()].sort((a, b) => a - b);
  const nextAligned = (line: number): number | undefined => {
    let lo = 0;
    let hi = alignedLines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (alignedLines[mid] > line) hi = mid;
      else lo = mid + 1;
    }
    return alignedLines[lo];
  };

  const meta = [...script.metaCommands].sort((a, b) => a.startByte - b.startByte);
  let m = 0;
  let onCoordinator = true;
  const statements: ExpectedStatement[] = [];
  for (const stmt of script.statements) {
    for (; m < meta.length && meta[m].startByte < stmt.startByte; m++) onCoordinator = connectTarget(meta[m].text, onCoordinator);
    const first = stmt.location.line;
    const last = script.source.lineOfByte(terminator(script.source, Math.max(stmt.startByte, stmt.endByte)));
    const start = echoAt.get(last);
    let output: string[] = [];
    let aligned = start !== undefined && echoAt.has(first);
    if (start !== undefined) {
      const next = nextAligned(last);
      const end = next === undefined ? outLines.length : echoAt.get(next)!;
      if (end < start) aligned = false;
      else output = outLines.slice(start + 1, end);
    }
    const error = errorIn(output);
    statements.push({ statement: stmt, onCoordinator, aligned, outcome: error ? 'error' : 'ok', ...(error ? { error } : {}), output });
  }
  return { name, script, statements };
}

/** The statement's semicolon when only white space separates it from the statement's end (psql echoes the line it is on before the output). */
function terminator(source: Script['source'], end: number): number {
  const b = source.bytes;
  let i = source.toText(end);
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++;
  return i < b.length && b[i] === 0x3b ? source.toFile(i) : end;
}

/** psql `\c [db [user [host [port]]]]`: a port other than the coordinator's moves the session to another node. */
function connectTarget(text: string, current: boolean): boolean {
  const mm = /^\\(?:c|connect)\b(.*)$/.exec(text.trim());
  if (!mm) return current;
  const args = mm[1].trim().split(/\s+/).filter(Boolean);
  const port = args[3];
  if (port === undefined || port === '-') return current;
  return /master_port|coordinator_port/.test(port);
}

function errorIn(output: readonly string[]): ExpectedError | undefined {
  const i = output.findIndex((l) => l.startsWith('ERROR:  '));
  if (i === -1) return undefined;
  const message = output[i].slice('ERROR:  '.length);
  let detail: string | undefined;
  let hint: string | undefined;
  for (let k = i + 1; k < output.length; k++) {
    const l = output[k];
    if (l.startsWith('DETAIL:  ')) detail = l.slice(9);
    else if (l.startsWith('HINT:  ')) hint = l.slice(7);
    else if (!l.startsWith('CONTEXT:  ') && !l.startsWith(' ') && !l.startsWith('\t')) break;
  }
  return { message, ...(detail !== undefined ? { detail } : {}), ...(hint !== undefined ? { hint } : {}) };
}

/**
 * Errors that come from the rows a statement meets (PostgreSQL's constraint
 * checks on data, bad input values, arithmetic) rather than from Citus's or
 * PostgreSQL's rules about the statement itself. The model does not hold
 * rows, so these are counted apart.
 */
const DATA_ERRORS = [
  /^duplicate key value violates unique constraint/,
  /^insert or update on table .* violates foreign key constraint/,
  /^update or delete on table .* violates foreign key constraint/,
  /violates check constraint/,
  /violates not-null constraint/,
  /violates exclusion constraint/,
  /^null value in column/,
  /^division by zero/,
  /^invalid input syntax/,
  /^value too long for type/,
  /out of range/,
  /^could not create unique index/,
  /^new row for relation .* violates/,
  /^canceling statement due to/,
  /^could not find a partition/,
  /^no partition of relation .* found for row/,
  /^cannot insert .* into column .* that is not/,
  /^more than one row returned by a subquery/,
  /^relation .* contains null values/,
  /^column .* of relation .* contains null values/,
];

export function isDataError(message: string): boolean {
  return DATA_ERRORS.some((re) => re.test(message));
}
