/**
 * DO: an anonymous PL/pgSQL block runs on the coordinator. The model reads
 * it: a block that only looks (queries into variables, IF, RAISE,
 * assertions, loops over queries) changes neither the schema nor Citus's
 * metadata, and its outcome is the statement's (the rows it meets decide
 * whether it raises, as for any check the model cannot see data for). A
 * block that runs dynamic SQL (EXECUTE), statements other than queries,
 * procedures, transaction control, the schema's own functions or Citus's
 * functions that change metadata is not modelled: the step says so instead
 * of predicting.
 */
import type { DoStmt, Node } from '../../ingest/pg/ast.js';
import { defElem, namesOf, nodeAs, parsePlpgsql, parseSql, stringOf, walkNodes } from '../../ingest/pg/index.js';
import { dollarQuote } from '../../plan/sql.js';
import type { ClusterState } from './state.js';
import { isModelledUdf } from './udfs.js';

/** PL/pgSQL statements that look without changing anything (the SQL they run is checked on its own). */
const LOOKING = new Set([
  'PLpgSQL_stmt_block',
  'PLpgSQL_stmt_if',
  'PLpgSQL_stmt_case',
  'PLpgSQL_stmt_raise',
  'PLpgSQL_stmt_assert',
  'PLpgSQL_stmt_assign',
  'PLpgSQL_stmt_execsql',
  'PLpgSQL_stmt_perform',
  'PLpgSQL_stmt_getdiag',
  'PLpgSQL_stmt_loop',
  'PLpgSQL_stmt_while',
  'PLpgSQL_stmt_fori',
  'PLpgSQL_stmt_fors',
  'PLpgSQL_stmt_foreach_a',
  'PLpgSQL_stmt_exit',
  'PLpgSQL_stmt_return',
]);

/** PL/pgSQL's parse modes: 0 a whole statement, otherwise an expression. */
const WHOLE_STATEMENT = 0;

/** DO: nothing changes when the block only looks; otherwise the step is not modelled. */
export function doBlock(s: ClusterState, body: DoStmt): void {
  const why = whyNotModelled(s, body);
  if (why) s.notModelled = `DO is not modelled: ${why}`;
}

function whyNotModelled(s: ClusterState, body: DoStmt): string | undefined {
  const language = (stringOf(defElem(body.args, 'language')?.arg) || 'plpgsql').toLowerCase();
  if (language !== 'plpgsql') return `a block in ${language} cannot be read`;
  const code = stringOf(defElem(body.args, 'as')?.arg);
  const tree = parsePlpgsql(`CREATE FUNCTION pg_temp.do_block() RETURNS void LANGUAGE plpgsql AS ${dollarQuote(code, 'do')}`);
  if (!tree) return 'its PL/pgSQL does not parse';
  let why: string | undefined;
  walkNodes(tree, (tag, n) => {
    if (why) return false;
    const kind = String(tag);
    if (kind.startsWith('PLpgSQL_stmt_') && !LOOKING.has(kind)) why = kind === 'PLpgSQL_stmt_dynexecute' || kind === 'PLpgSQL_stmt_dynfors' ? 'it runs dynamic SQL (EXECUTE)' : `it runs ${kind.slice('PLpgSQL_stmt_'.length).toUpperCase()}`;
    else if (kind === 'PLpgSQL_expr' && typeof n.query === 'string') why = sqlChanges(s, n.query, n.parseMode === WHOLE_STATEMENT);
    return undefined;
  });
  return why;
}

/** What a query of the block would change, or undefined when it only reads. */
function sqlChanges(s: ClusterState, query: string, whole: boolean): string | undefined {
  const parsed = parseSql(whole ? query : `SELECT ${query}`);
  if (!parsed.ok) return 'a statement in it does not parse';
  for (const raw of parsed.result.stmts ?? []) {
    const select = nodeAs(raw.stmt, 'SelectStmt');
    if (!select) return `it runs ${Object.keys(raw.stmt ?? {})[0] ?? 'a statement'} statements`;
    if (select.intoClause) return 'it creates a table (SELECT INTO)';
    let why: string | undefined;
    walkNodes(raw.stmt as Node, (tag, n) => {
      if (why) return false;
      if (tag === 'CommonTableExpr' && !nodeAs((n as { ctequery?: Node }).ctequery, 'SelectStmt')) why = 'a WITH query in it changes rows';
      if (tag === 'FuncCall') {
        const names = namesOf((n as { funcname?: readonly Node[] }).funcname);
        const name = names[names.length - 1] ?? '';
        if (isModelledUdf(name)) why = `it calls ${name}, which changes Citus's metadata`;
        else if (s.builder.definesFunctionNamed(name)) why = `it calls ${name}, a function of the schema`;
      }
      return undefined;
    });
    if (why) return why;
  }
  return undefined;
}
