/**
 * Functions and procedures the script creates, and CALL of them (Citus's
 * commands/function.c and commands/call.c propagate and delegate them; the
 * model keeps what a CALL does to the rows). A routine is kept with its
 * UPDATE and DELETE statements (SQL and PL/pgSQL bodies) and its PL/pgSQL
 * variables, whose conditions are taken as batch bounds.
 */
import type { CallStmt, CreateFunctionStmt, Node } from '../../ingest/pg/ast.js';
import { defElem, listItems, namesOf, nodeAs, parsePlpgsql, parseSql, qualifiedKey, qualifiedName, stringOf, walkNodes } from '../../ingest/pg/index.js';
import { deleteRows, updateRows } from './modify-rows.js';
import type { ClusterState, RoutineStatement } from './state.js';

/** A routine's key from its name as written: unqualified names are created in the first schema of search_path. */
function routineKey(s: ClusterState, funcname: readonly Node[] | undefined): string {
  const { schema, name } = qualifiedName(funcname);
  return qualifiedKey(schema ?? s.builder.currentCreationSchema(), name);
}

/** CREATE FUNCTION / PROCEDURE: keep what CALL would change (PL/pgSQL and SQL bodies). */
export function createFunction(s: ClusterState, body: CreateFunctionStmt): void {
  const language = (stringOf(defElem(body.options, 'language')?.arg) || 'sql').toLowerCase();
  const source = stringOf(listItems(defElem(body.options, 'as')?.arg)[0]);
  const statements: RoutineStatement[] = [];
  const variables = new Set<string>();
  const collect = (sql: string) => {
    const parsed = parseSql(sql);
    if (!parsed.ok) return;
    for (const raw of parsed.result.stmts ?? []) {
      const update = nodeAs(raw.stmt, 'UpdateStmt');
      const del = nodeAs(raw.stmt, 'DeleteStmt');
      if (update) statements.push({ kind: 'UpdateStmt', body: update });
      else if (del) statements.push({ kind: 'DeleteStmt', body: del });
    }
  };
  for (const p of body.parameters ?? []) {
    const name = nodeAs(p, 'FunctionParameter')?.name;
    if (name) variables.add(name);
  }
  if (language === 'plpgsql' && s.stmt) {
    walkNodes(parsePlpgsql(s.stmt.sql), (tag, n) => {
      const kind = String(tag);
      if ((kind === 'PLpgSQL_var' || kind === 'PLpgSQL_row' || kind === 'PLpgSQL_rec') && typeof n.refname === 'string') variables.add(n.refname);
      if (kind === 'PLpgSQL_stmt_execsql') {
        const query = (n.sqlstmt as { PLpgSQL_expr?: { query?: unknown } } | undefined)?.PLpgSQL_expr?.query;
        if (typeof query === 'string') collect(query);
      }
    });
  } else if (language === 'sql' && source) collect(source);
  s.routines.set(routineKey(s, body.funcname), { statements, variables });
}

/**
 * CALL of a procedure the script created: its UPDATEs and DELETEs change the
 * rows as they would run. false when the script made no such procedure.
 */
export function call(s: ClusterState, body: CallStmt): boolean {
  const r = s.routines.get(routineKey(s, body.funccall?.funcname));
  if (!r) return false;
  for (const st of r.statements) {
    if (!s.builder.peekTable(s.relationKey(st.body.relation))) continue;
    if (st.kind === 'UpdateStmt') updateRows(s, st.body, r.variables);
    else deleteRows(s, st.body, r.variables);
  }
  return true;
}

/** DROP FUNCTION / PROCEDURE / ROUTINE: the routines are gone. */
export function dropFunctions(s: ClusterState, objects: readonly Node[] | undefined): void {
  for (const obj of objects ?? []) {
    const objname = nodeAs(obj, 'ObjectWithArgs')?.objname;
    if (namesOf(objname).length) s.routines.delete(routineKey(s, objname));
  }
}
