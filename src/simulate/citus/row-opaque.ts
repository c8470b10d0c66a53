/**
 * Writes the model cannot see in a statement: a data-modifying WITH, a
 * call of a function it does not know (the script's own, or a Citus
 * function that runs commands on the workers), DO and CALL, EXPLAIN
 * ANALYZE, COPY from a file. Before such a statement runs, the rows it may
 * change are forgotten (rows.ts), so that no data error is predicted from
 * them afterwards. Once a script turns triggers off (DISABLE TRIGGER,
 * session_replication_role), foreign keys are no longer checked or
 * cascaded.
 */
import type { Node } from '../../ingest/pg/ast.js';
import { defElemsOf, namesOf, nodeAs, stringOf, tagOf, walkNodes } from '../../ingest/pg/index.js';
import { BUILTIN_VOLATILITY } from '../../workload/builtins.js';
import { addUnknownRows, forgetAll, runsHiddenCode } from './rows.js';
import type { ClusterState } from './state.js';
import { isModelledUdf } from './udfs.js';

const QUERIES: ReadonlySet<string> = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CopyStmt', 'ExplainStmt', 'CreateTableAsStmt', 'DeclareCursorStmt', 'ViewStmt', 'PrepareStmt', 'ExecuteStmt']);
const WRITES: ReadonlySet<string> = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** Commands that turn foreign keys' triggers off: the model stops checking foreign keys on the rows held. */
const TRIGGERS_OFF: ReadonlySet<string> = new Set(['AT_DisableTrig', 'AT_DisableTrigAll']);

export function forgetHiddenWrites(s: ClusterState, node: Node): void {
  const tag = tagOf(node) ?? '';
  const alter = nodeAs(node, 'AlterTableStmt');
  if (alter?.cmds?.some((c) => TRIGGERS_OFF.has(nodeAs(c, 'AlterTableCmd')?.subtype ?? ''))) s.foreignKeysOff = true;
  if (nodeAs(node, 'VariableSetStmt')?.name === 'session_replication_role') s.foreignKeysOff = true;
  if (tag === 'DoStmt' || tag === 'CallStmt' || tag === 'MergeStmt' || tag === 'ExecuteStmt') return forgetAll(s);
  if (!QUERIES.has(tag)) return;
  const explain = nodeAs(node, 'ExplainStmt');
  if (explain && defElemsOf(explain.options).some((d) => d.defname === 'analyze' && stringOf(d.arg) !== 'false')) return forgetAll(s);
  const copy = nodeAs(node, 'CopyStmt');
  if (copy?.is_from && copy.filename !== undefined) {
    const t = s.builder.peekTable(s.relationKey(copy.relation));
    if (t && runsHiddenCode(t)) return forgetAll(s);
    if (t) addUnknownRows(s, t.key);
  }
  let hidden = false;
  walkNodes(node, (t, _body, n) => {
    if (hidden) return false;
    if (n !== node && WRITES.has(t) && tag !== 'ViewStmt' && tag !== 'PrepareStmt') hidden = true;
    const fc = t === 'FuncCall' ? nodeAs(n, 'FuncCall') : undefined;
    if (fc) {
      const names = namesOf(fc.funcname);
      const name = names[names.length - 1] ?? '';
      if ((names.length === 1 || names[0] === 'pg_catalog') && BUILTIN_VOLATILITY.has(name)) return;
      if (!isModelledUdf(name)) hidden = true;
    }
  });
  if (hidden) forgetAll(s);
}
