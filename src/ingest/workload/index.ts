/**
 * Workload input: statements from pg_stat_statements exports, PostgreSQL
 * server logs (stderr, csvlog, jsonlog) and .sql files, grouped into queries
 * (same fingerprint and relations) with weights, plus the transactions logs show.
 */
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { displayPath, InputError, readSqlFile } from '../files.js';
import { fsError } from '../write.js';
import { loadParser } from '../pg/index.js';
import { WorkloadBuilder } from './builder.js';
import { readCsvLogInto } from './csv-log.js';
import { detectFormat, type Detected } from './detect.js';
import { readJsonLogInto } from './json-log.js';
import { readHead } from './lines.js';
import type { WorkloadFormat, WorkloadInput } from './model.js';
import { readPgssCsvInto, readPgssJsonInto } from './pgss.js';
import { readSqlWorkloadInto } from './sql-file.js';
import { readStderrLogInto } from './stderr-log.js';

export type * from './model.js';
export { WorkloadBuilder, type StatementRecord } from './builder.js';
export { detectFormat } from './detect.js';
export { compilePrefix, detectPrefix, KNOWN_PREFIXES } from './stderr-log.js';
export { shapeKey, parseParameters, bindParameters } from './text.js';
export { parseSqlWorkload, type SqlFileEntry, type SqlFileProcedure, type SqlWorkloadFile } from './sql-file.js';

export interface WorkloadOptions {
  /** The server's log_line_prefix, for stderr logs whose prefix is not one of the usual ones. */
  readonly logLinePrefix?: string;
  /** Read every file as this format instead of detecting it. */
  readonly format?: WorkloadFormat;
}

/** Read workload files (format detected per file) into one grouped workload. */
export async function readWorkload(paths: string[], cwd: string, options: WorkloadOptions = {}): Promise<WorkloadInput> {
  await loadParser();
  const builder = new WorkloadBuilder();
  for (const path of paths) await readInto(builder, path, cwd, options);
  return builder.build();
}

async function readInto(builder: WorkloadBuilder, path: string, cwd: string, options: WorkloadOptions, expect?: WorkloadFormat[]): Promise<void> {
  const absolute = isAbsolute(path) ? path : resolve(cwd, path);
  const file = displayPath(path, cwd);
  let stat;
  try {
    stat = statSync(absolute);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(`${file}: no such file`, { file, hint: 'check the path' });
    throw fsError(e, file, 'read it');
  }
  if (stat.isDirectory()) throw new InputError(`${file}: is a directory, expected a workload file`, { file, hint: 'name a workload file (docs/workload.md)' });
  const detected: Detected = options.format ? { format: options.format, jsonArray: (await readHead(absolute, 4096)).toString('utf8').trimStart().startsWith('[') } : detectFormat(file, await readHead(absolute));
  if (expect && !expect.includes(detected.format)) {
    throw new InputError(`${file}:1:1: read as ${detected.format}, expected ${expect.join(' or ')}`, { file, hint: 'check that this is the file you meant' });
  }
  builder.addFile(file);
  switch (detected.format) {
    case 'pgss-csv':
      await readPgssCsvInto(builder, file, absolute);
      break;
    case 'pgss-json':
      await readPgssJsonInto(builder, file, absolute, detected.jsonArray ?? false);
      break;
    case 'stderr-log':
      await readStderrLogInto(builder, file, absolute, options);
      break;
    case 'csvlog':
      await readCsvLogInto(builder, file, absolute);
      break;
    case 'jsonlog':
      await readJsonLogInto(builder, file, absolute);
      break;
    case 'sql':
      readSqlWorkloadInto(builder, file, readSqlFile(path, cwd).text);
      break;
  }
  builder.fileDone({ file, format: detected.format });
}

async function readOne(path: string, cwd: string, options: WorkloadOptions, expect: WorkloadFormat[]): Promise<WorkloadInput> {
  await loadParser();
  const builder = new WorkloadBuilder();
  await readInto(builder, path, cwd, options, expect);
  return builder.build();
}

/** A pg_stat_statements export: CSV with header, JSON array or JSON lines. */
export function readPgStatStatements(path: string, cwd: string): Promise<WorkloadInput> {
  return readOne(path, cwd, {}, ['pgss-csv', 'pgss-json']);
}

/** A PostgreSQL server log: stderr (prefix detected or given), csvlog or jsonlog. */
export function readServerLog(path: string, cwd: string, options: { logLinePrefix?: string } = {}): Promise<WorkloadInput> {
  return readOne(path, cwd, options, ['stderr-log', 'csvlog', 'jsonlog']);
}

/** A .sql file of queries with optional weight / procedure comments. */
export function readSqlWorkload(path: string, cwd: string): Promise<WorkloadInput> {
  return readOne(path, cwd, {}, ['sql']);
}
