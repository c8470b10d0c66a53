/**
 * Session statements: SET / RESET / SHOW / DISCARD and the like, which change
 * or read the session rather than the data, and what they do to search_path.
 *
 * `SET search_path = a, b` (also `SET SESSION`, `SET LOCAL`, `TO DEFAULT`,
 * `RESET`), `RESET ALL`, `DISCARD ALL` and `SELECT set_config('search_path',
 * 'a, b', is_local)` are understood; a value that is not a constant (`$1` in
 * a normalized pg_stat_statements text) leaves the path unknown.
 */
import type { FuncCall, Node, SelectStmt, VariableSetStmt } from './ast.js';
import { namesOf, nodeAs, tagOf } from './nodes.js';

/** What a session statement does to search_path. */
export type SearchPathChange =
  /** The schemas, in order, as PostgreSQL stores them (unquoted, case kept). */
  | { readonly kind: 'set'; readonly path: string[]; readonly local: boolean }
  /** Back to the server default (`"$user", public`). */
  | { readonly kind: 'default'; readonly local: boolean }
  /** Set, to a value not known here (a parameter). */
  | { readonly kind: 'unknown'; readonly local: boolean };

export interface SessionStatement {
  /** Parse-tree node type, e.g. `VariableSetStmt`. */
  readonly command: string;
  readonly searchPath?: SearchPathChange;
}

/** Statements that act on the session only: no table is read or written. */
const SESSION_COMMANDS = new Set([
  'VariableSetStmt',
  'VariableShowStmt',
  'DiscardStmt',
  'DeallocateStmt',
  'ListenStmt',
  'UnlistenStmt',
  'LoadStmt',
  'ConstraintsSetStmt',
]);

/**
 * The session statement a parse-tree statement node is, or undefined when it
 * is anything else (a query, DDL, transaction control).
 */
export function sessionStatement(node: Node): SessionStatement | undefined {
  const command = tagOf(node);
  if (!command) return undefined;
  if (SESSION_COMMANDS.has(command)) {
    const set = nodeAs(node, 'VariableSetStmt');
    const searchPath = set ? variableSet(set) : nodeAs(node, 'DiscardStmt')?.target === 'DISCARD_ALL' ? ({ kind: 'default', local: false } as const) : undefined;
    return { command, ...(searchPath ? { searchPath } : {}) };
  }
  const calls = setConfigCalls(nodeAs(node, 'SelectStmt'));
  if (calls) {
    let searchPath: SearchPathChange | undefined;
    for (const f of calls) {
      const change = setConfig(f);
      if (change) searchPath = change;
    }
    return { command, ...(searchPath ? { searchPath } : {}) };
  }
  return undefined;
}

function variableSet(b: VariableSetStmt): SearchPathChange | undefined {
  const local = b.is_local === true;
  if (b.kind === 'VAR_RESET_ALL') return { kind: 'default', local };
  if (b.name !== 'search_path') return undefined;
  if (b.kind === 'VAR_RESET' || b.kind === 'VAR_SET_DEFAULT') return { kind: 'default', local };
  if (b.kind !== 'VAR_SET_VALUE') return undefined;
  const path: string[] = [];
  for (const a of b.args ?? []) {
    // Each value is one schema name: `'a, b'` names one schema called "a, b", as PostgreSQL reads it.
    const s = nodeAs(a, 'A_Const')?.sval?.sval;
    if (typeof s !== 'string') return { kind: 'unknown', local };
    if (s) path.push(s);
  }
  return { kind: 'set', path, local };
}

/**
 * The calls of `SELECT set_config(...)[, set_config(...)]` with no FROM
 * (pg_dump's way of setting search_path); undefined for any other SELECT.
 */
function setConfigCalls(s: SelectStmt | undefined): FuncCall[] | undefined {
  if (!s || s.fromClause?.length || s.whereClause || (s.op && s.op !== 'SETOP_NONE') || !s.targetList?.length) return undefined;
  const calls: FuncCall[] = [];
  for (const t of s.targetList) {
    const f = nodeAs(nodeAs(t, 'ResTarget')?.val, 'FuncCall');
    const name = namesOf(f?.funcname);
    if (!f || name[name.length - 1] !== 'set_config' || !(name.length === 1 || (name.length === 2 && name[0] === 'pg_catalog'))) return undefined;
    calls.push(f);
  }
  return calls;
}

function setConfig(f: FuncCall): SearchPathChange | undefined {
  const [name, value, local] = (f.args ?? []).map((a) => nodeAs(a, 'A_Const'));
  if (name?.sval?.sval !== 'search_path') return undefined;
  const isLocal = local?.boolval?.boolval === true;
  const text = value?.sval ? (value.sval.sval ?? '') : undefined;
  if (text === undefined) return { kind: 'unknown', local: isLocal };
  const path = splitIdentifierList(text);
  return path ? { kind: 'set', path, local: isLocal } : { kind: 'unknown', local: isLocal };
}

/**
 * A comma-separated list of identifiers as PostgreSQL's SplitIdentifierString
 * reads it: `"Quoted"` kept as written, bare names folded to lower case.
 * Undefined when the text is not such a list.
 */
export function splitIdentifierList(text: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  const space = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  while (i < n && space(text[i])) i++;
  if (i === n) return out;
  for (;;) {
    let name = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) return undefined;
        name += text.slice(i, q);
        if (text[q + 1] === '"') {
          name += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      if (!name) return undefined;
    } else {
      const start = i;
      while (i < n && text[i] !== ',' && !space(text[i])) i++;
      name = text.slice(start, i).toLowerCase();
      if (!name) return undefined;
    }
    out.push(name);
    while (i < n && space(text[i])) i++;
    if (i === n) return out;
    if (text[i] !== ',') return undefined;
    i++;
    while (i < n && space(text[i])) i++;
  }
}

/** True when a search path is the server default: `"$user", public`, or `public` alone. */
export function isDefaultSearchPath(path: readonly string[]): boolean {
  const real = path.filter((s) => !s.startsWith('$'));
  return real.length === 1 && real[0] === 'public';
}
