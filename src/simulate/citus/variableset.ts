/**
 * SET / SET LOCAL / RESET of a Citus setting on the coordinator: PostgreSQL's
 * GUC machinery (guc.c: parse_bool, parse_int and the range check) over the
 * settings Citus defines (shared_library_init.c), with SET LOCAL undone at the
 * end of the transaction block (Citus's variableset.c propagates the same to
 * the workers). Also the session's search_path, which queries resolve their
 * names with.
 */
import type { Node, VariableSetStmt } from '../../ingest/pg/ast.js';
import { nodeAs, sessionStatement } from '../../ingest/pg/index.js';
import { CitusError } from './errors.js';
import type { CitusSettings } from './model.js';
import { DEFAULT_SETTINGS, SETTING_RANGE, SETTING_SINCE } from './shared-library-init.js';
import type { ClusterState } from './state.js';

export function setVariable(s: ClusterState, body: VariableSetStmt): void {
  const name = body.name ?? '';
  if (name === 'citus.multi_shard_modify_mode') return setModifyMode(s, body);
  if (!(name in s.settings)) return;
  const k = name as keyof CitusSettings;
  const since = SETTING_SINCE[k];
  if (since && !s.atLeast(...since)) return; // not defined in this version: a placeholder, no effect
  if (body.is_local && !s.tx) return; // SET LOCAL outside a block lasts for its own implicit transaction only
  const local = s.tx?.local as Record<string, unknown> | undefined;
  if (local) {
    // SET LOCAL: remember the value to go back to at the end of the block; a plain SET changes that value
    if (body.is_local && !(k in local)) local[k] = s.settings[k];
    else if (!body.is_local && k in local) delete local[k];
  }
  if (body.kind === 'VAR_RESET' || body.kind === 'VAR_SET_DEFAULT') {
    assign(s.settings, k, s.serverSettings[k]);
    return;
  }
  const a = nodeAs(body.args?.[0], 'A_Const');
  const raw = a?.ival !== undefined ? String(a.ival.ival ?? 0) : (a?.sval?.sval ?? a?.fval?.fval ?? (a?.boolval ? String(!!a.boolval.boolval) : undefined));
  if (raw === undefined) return;
  if (typeof DEFAULT_SETTINGS[k] === 'number') {
    if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(raw)) throw new CitusError(`invalid value for parameter "${name}": "${raw}"`);
    const n = Math.round(Number(raw));
    const range = SETTING_RANGE[k];
    if (range && (n < range[0] || n > range[1])) throw new CitusError(`${n} is outside the valid range for parameter "${name}" (${range[0]} .. ${range[1]})`);
    assign(s.settings, k, n);
  } else {
    const b = parseBool(raw);
    if (b === undefined) throw new CitusError(`parameter "${name}" requires a Boolean value`);
    assign(s.settings, k, b);
  }
}

/**
 * citus.multi_shard_modify_mode ('parallel' or 'sequential'): SET LOCAL
 * for the transaction, SET for the session from now on.
 */
function setModifyMode(s: ClusterState, body: VariableSetStmt): void {
  if (body.is_local && !s.tx) return;
  const reset = body.kind === 'VAR_RESET' || body.kind === 'VAR_SET_DEFAULT';
  const raw = reset ? 'parallel' : nodeAs(body.args?.[0], 'A_Const')?.sval?.sval?.toLowerCase();
  if (raw !== 'parallel' && raw !== 'sequential') return;
  const sequential = raw === 'sequential';
  s.access.sequential = sequential;
  if (!body.is_local) s.sequentialSession = sequential;
}

/** SET search_path, set_config('search_path', ...), RESET and DISCARD ALL, followed as the workload reader follows them. */
export function followSearchPath(s: ClusterState, node: Node): void {
  const change = sessionStatement(node)?.searchPath;
  if (change) s.searchPath = change.kind === 'set' ? change.path : undefined;
}

function assign(settings: CitusSettings, k: keyof CitusSettings, value: number | boolean): void {
  (settings as Record<keyof CitusSettings, number | boolean>)[k] = value;
}

/** PostgreSQL's parse_bool: true/false, yes/no, on/off, 1/0 and unambiguous prefixes. */
export function parseBool(raw: string): boolean | undefined {
  const v = raw.trim().toLowerCase();
  if (!v) return undefined;
  const prefix = (word: string, min = 1) => v.length >= min && word.startsWith(v);
  if (prefix('true') || prefix('yes') || prefix('on', 2) || v === '1') return true;
  if (prefix('false') || prefix('no') || prefix('off', 2) || v === '0') return false;
  return undefined;
}
