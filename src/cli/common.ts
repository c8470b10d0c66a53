/** Helpers every command shares: flags, color, reading the schema inputs. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readSchema } from '../catalog/index.js';
import type { Catalog } from '../catalog/model.js';
import { InputError, readSqlFile } from '../ingest/files.js';
import type { Script } from '../ingest/pg/script.js';
import { UsageError, type CliIO } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, with its errors turned into usage errors (exit 2) that name the command's usage. */
export function parseFlags<O extends Options>(argv: string[], options: O, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = (e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '');
    throw new UsageError(msg, usage.split('\n')[0]);
  }
}

/** Color when stdout is a terminal, unless NO_COLOR is set; FORCE_COLOR forces it. */
export function useColor(io: CliIO, stream: 'stdout' | 'stderr' = 'stdout'): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return !!io[stream].isTTY;
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, not '${value}'`);
}

export function positiveInt(value: string | undefined, flag: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${flag} must be a whole number from 1 to ${max}, not '${value}'`);
  return n;
}

/** Read and build the catalog from SCHEMA files; input errors become usage errors with their hint. */
export async function loadSchemaFiles(paths: string[], io: CliIO): Promise<{ catalog: Catalog; scripts: Script[] }> {
  if (!paths.length) throw new UsageError('no schema file given', 'pass a pg_dump --schema-only file or a db/structure.sql');
  const inputs = paths.map((p) => {
    try {
      return readSqlFile(p, io.cwd);
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message, e.hint);
      throw e;
    }
  });
  return readSchema(inputs.map((i) => ({ file: i.file, text: i.text })));
}

/** Stable JSON: keys in insertion order (our values are built sorted), two-space indent, final newline. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
