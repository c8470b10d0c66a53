/**
 * A statement with its table names swapped, as Citus sends a query to a
 * shard: every name the caller resolves to a table becomes a placeholder
 * that the caller fills with a shard name, and a reference without an alias
 * gets its own name as alias, so `ads.id` still binds (Citus deparses shard
 * queries the same way). Which names are tables (not CTEs, not views) is the
 * caller's to say, by where they are written.
 */
import type { Node } from '@pgsql/types';
import { deparseNode, parseSql } from './parser.js';
import { quoteIdent } from './names.js';

export interface RelationTemplate {
  /** Deparsed statement on one line, with `__sw_rel_<n>__` where relation n stood. */
  readonly sql: string;
  /** The relations replaced, as resolved by the caller, in placeholder order. */
  readonly relations: string[];
}

/**
 * The statement's text with each table the resolver knows replaced by a
 * placeholder; undefined when the statement does not parse or deparse.
 * `resolve(schema, name, location)` returns the relation's key, or undefined
 * to keep it; `location` is the byte offset of the name in `sql`.
 */
export function relationTemplate(
  sql: string,
  resolve: (schema: string | undefined, name: string, location: number | undefined) => string | undefined,
): RelationTemplate | undefined {
  const parsed = parseSql(sql);
  if (!parsed.ok) return undefined;
  const stmt = parsed.result.stmts?.[0]?.stmt;
  if (!stmt) return undefined;
  const tree = stmt as unknown; // a fresh parse: ours to change
  const rangeVars: Obj[] = [];
  collect(tree, (key, v) => {
    // A RangeVar node, or the bare RangeVar an INSERT/UPDATE/DELETE/MERGE names as its target.
    if ((key === 'RangeVar' || key === 'relation') && typeof v.relname === 'string') rangeVars.push(v);
  });
  const relations: string[] = [];
  const index = new Map<string, number>();
  for (const v of rangeVars) {
    const relname = v.relname as string;
    const schema = typeof v.schemaname === 'string' ? v.schemaname : undefined;
    const rel = resolve(schema, relname, typeof v.location === 'number' ? v.location : undefined);
    if (rel === undefined) continue;
    let n = index.get(rel);
    if (n === undefined) {
      n = relations.length;
      relations.push(rel);
      index.set(rel, n);
    }
    if (!v.alias) v.alias = { aliasname: relname };
    v.relname = `__sw_rel_${n}__`;
    delete v.schemaname;
  }
  let text: string;
  try {
    text = deparseNode(tree as Node);
  } catch {
    return undefined;
  }
  return { sql: oneLine(text), relations };
}

/**
 * The template with relation n named `names[n]` (schema, name), quoted as
 * PostgreSQL would; a `raw` name (a placeholder for a shard not yet known)
 * is written as given.
 */
export function fillTemplate(t: RelationTemplate, names: ReadonlyArray<{ readonly schema: string; readonly name: string; readonly raw?: boolean }>): string {
  return t.sql.replace(/__sw_rel_(\d+)__/g, (_, n: string) => {
    const r = names[Number(n)];
    return r ? `${quoteIdent(r.schema)}.${r.raw ? r.name : quoteIdent(r.name)}` : _;
  });
}

type Obj = Record<string, unknown>;

/** Every object under `root` with the key it is found under, depth first in field order, without recursion (trees can be deep). */
function collect(root: unknown, visit: (key: string, value: Obj) => void): void {
  const stack: Array<[string | undefined, unknown]> = [[undefined, root]];
  while (stack.length) {
    const [key, node] = stack.pop()!;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([undefined, node[i]]);
      continue;
    }
    if (!node || typeof node !== 'object') continue;
    if (key !== undefined) visit(key, node as Obj);
    const entries = Object.entries(node as Obj);
    for (let i = entries.length - 1; i >= 0; i--) stack.push(entries[i]);
  }
}

/** Whitespace outside string literals and quoted names folded to single spaces (linear: parts are joined once, the last one written is kept apart). */
function oneLine(sql: string): string {
  const out: string[] = [];
  let last = '';
  let quote: string | undefined;
  let space = false;
  const put = (ch: string): void => {
    out.push(ch);
    last = ch;
  };
  for (const ch of sql) {
    if (quote) {
      put(ch);
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') {
      if (space) put(' ');
      space = false;
      quote = ch;
      put(ch);
      continue;
    }
    if (/\s/.test(ch)) {
      space = out.length > 0;
      continue;
    }
    if (space && !(ch === ')' || ch === ',') && last !== '(') put(' ');
    space = false;
    put(ch);
  }
  return out.join('');
}
