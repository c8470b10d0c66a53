/**
 * The one gateway to libpg_query. Nothing else in the code base imports the
 * parser or the deparser: every other module uses this file's functions and
 * the AST types re-exported from `./ast.ts`.
 */
import {
  loadModule,
  parseSync,
  scanSync,
  normalizeSync,
  fingerprintSync,
  parsePlPgSQLSync,
  type ScanToken,
} from 'libpg-query';
import { createRequire } from 'node:module';
import type { Node, ParseResult } from '@pgsql/types';

const require = createRequire(import.meta.url);
/** The deparser (half a megabyte of JavaScript), loaded by the first run that writes SQL from a tree. */
let deparser: typeof import('pgsql-deparser') | undefined;

let loading: Promise<void> | undefined;

/**
 * Load the parser's wasm module. Idempotent; every entry point that parses
 * awaits this once before calling the synchronous functions below.
 */
export function loadParser(): Promise<void> {
  loading ??= loadModule();
  return loading;
}

export interface ParseFailure {
  readonly message: string;
  /** 0-based character offset into the parsed text, when the parser gave one. */
  readonly cursor?: number;
  /** The statement parsed, but its tree nests past the bound (a caller that walks it with a bound of its own may parse it unbounded). */
  readonly tooDeep?: true;
}

export type ParseOutcome =
  | { readonly ok: true; readonly result: ParseResult }
  | { readonly ok: false; readonly error: ParseFailure };

/**
 * The deepest parse tree handed on (objects and arrays, counted from the
 * statement list). The corpus's deepest statement is 66 levels; the bound
 * keeps every walk over a tree, recursive or not, far from the stack's end.
 */
export const MAX_TREE_DEPTH = 1000;

export interface ParseOptions {
  /** The deepest tree handed on; `Infinity` for a caller whose walk bounds its own depth. */
  readonly maxDepth?: number;
}

export function parseSql(sql: string, options: ParseOptions = {}): ParseOutcome {
  let result: ParseResult;
  try {
    result = parseSync(sql);
  } catch (e) {
    return { ok: false, error: toFailure(e) };
  }
  const maxDepth = options.maxDepth ?? MAX_TREE_DEPTH;
  if (maxDepth !== Infinity && deeperThan(result, maxDepth)) {
    return { ok: false, error: { message: `statement nested more than ${maxDepth} levels deep (parentheses, subqueries, expressions); shardwise reads statements nested up to that depth`, tooDeep: true } };
  }
  return { ok: true, result };
}

/**
 * The expression `text` parses to (a CHECK's, an index's WHERE, a default),
 * read as the first target of a SELECT; undefined when it does not parse.
 */
export function parseExpression(text: string): Node | undefined {
  const r = parseSql(`SELECT ${text}`);
  if (!r.ok) return undefined;
  const select = r.result.stmts?.[0]?.stmt;
  const target = select && 'SelectStmt' in select ? select.SelectStmt.targetList?.[0] : undefined;
  return target && 'ResTarget' in target ? target.ResTarget.val : undefined;
}

/** Is a JSON value nested deeper than `limit` levels? An iterative walk that stops at the first level past it. */
export function deeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (d > limit) return true;
    if (Array.isArray(v)) {
      for (const c of v) if (c !== null && typeof c === 'object') stack.push([c, d + 1]);
    } else if (v !== null && typeof v === 'object') {
      for (const k in v) {
        const c = (v as Record<string, unknown>)[k];
        if (c !== null && typeof c === 'object') stack.push([c, d + 1]);
      }
    }
  }
  return false;
}

export interface Token {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly name: string;
  /** 'NO_KEYWORD' for non-keywords. */
  readonly keyword: string;
}

export type ScanOutcome =
  | { readonly ok: true; readonly tokens: Token[] }
  | { readonly ok: false; readonly error: ParseFailure };

export function scanSql(sql: string): ScanOutcome {
  try {
    const r = scanSync(sql);
    return {
      ok: true,
      tokens: r.tokens.map((t: ScanToken) => ({
        start: t.start,
        end: t.end,
        text: t.text,
        name: t.tokenName,
        keyword: t.keywordName,
      })),
    };
  } catch (e) {
    return { ok: false, error: toFailure(e) };
  }
}

/** Constants replaced by $n, as pg_stat_statements shows queries. */
export function normalizeSql(sql: string): string | undefined {
  try {
    return normalizeSync(sql);
  } catch {
    return undefined;
  }
}

/** libpg_query's fingerprint (see PARSER-NOTES: never persist across parser majors). */
export function fingerprintSql(sql: string): string | undefined {
  try {
    return fingerprintSync(sql);
  } catch {
    return undefined;
  }
}

/** Parse the body of a PL/pgSQL function; undefined when it does not parse. */
export function parsePlpgsql(sql: string): unknown {
  try {
    const tree: unknown = parsePlPgSQLSync(sql);
    return deeperThan(tree, MAX_TREE_DEPTH) ? undefined : tree;
  } catch {
    return undefined;
  }
}

/** SQL text for an AST node (expressions, type names, whole statements). */
export function deparseNode(node: Node | Node[]): string {
  deparser ??= require('pgsql-deparser') as typeof import('pgsql-deparser');
  return deparser.deparseSync(node as never);
}

/**
 * An index's key elements as SQL (`version DESC`, `name COLLATE "C"
 * text_pattern_ops`), when one of them says more than its column or
 * expression (an order, NULLS FIRST/LAST, a collation, an operator class);
 * undefined when the columns and expressions are the whole definition.
 */
export function indexElementTexts(params: readonly Node[] | undefined): string[] | undefined {
  const elems = (params ?? []).map((p) => ('IndexElem' in p ? p.IndexElem : undefined));
  const plain = elems.every(
    (e) =>
      !e ||
      (!e.collation?.length && !e.opclass?.length && !e.opclassopts?.length && (e.ordering ?? 'SORTBY_DEFAULT') === 'SORTBY_DEFAULT' && (e.nulls_ordering ?? 'SORTBY_NULLS_DEFAULT') === 'SORTBY_NULLS_DEFAULT'),
  );
  return plain ? undefined : (params ?? []).map((p) => deparseNode(p));
}

/** The key elements (`indexElementTexts`) of a CREATE INDEX statement's text, as pg_get_indexdef gives it. */
export function indexDefinitionElements(sql: string): string[] | undefined {
  const parsed = parseSql(sql);
  const stmt = parsed.ok ? parsed.result.stmts?.[0]?.stmt : undefined;
  return stmt && 'IndexStmt' in stmt ? indexElementTexts(stmt.IndexStmt.indexParams) : undefined;
}

function toFailure(e: unknown): ParseFailure {
  if (e && typeof e === 'object') {
    const details = (e as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
    const message = details?.message ?? (e as Error).message ?? String(e);
    const cursor = typeof details?.cursorPosition === 'number' ? details.cursorPosition : undefined;
    return { message, cursor };
  }
  return { message: String(e) };
}
