/**
 * The names Citus gives unnamed constraints that ALTER TABLE adds to a Citus
 * table (commands/table.c PrepareAlterTableStmtForConstraint,
 * GenerateConstraintName), so that the coordinator and every shard agree.
 * They differ from PostgreSQL's in one case: a CHECK is `<table>_check`
 * whatever columns it reads (PostgreSQL names the one column it reads).
 */
import type { AlterTableStmt, Node } from '../../ingest/pg/ast.js';
import { makeNode, nodeAs } from '../../ingest/pg/index.js';
import type { ClusterState } from './state.js';

/** The statement as Citus hands it on: unnamed CHECKs of table `key` named; undefined when nothing changes. */
export function withCitusConstraintNames(s: ClusterState, key: string, body: AlterTableStmt): Node | undefined {
  let changed = false;
  const name = (con: Node): Node => {
    const c = nodeAs(con, 'Constraint');
    if (c?.contype !== 'CONSTR_CHECK' || c.conname) return con;
    const conname = s.builder.chooseConstraintName(key, undefined, 'check');
    if (!conname) return con;
    changed = true;
    return makeNode('Constraint', { ...c, conname });
  };
  const cmds = (body.cmds ?? []).map((node) => {
    const cmd = nodeAs(node, 'AlterTableCmd');
    if (cmd?.subtype === 'AT_AddConstraint' && cmd.def) return makeNode('AlterTableCmd', { ...cmd, def: name(cmd.def) });
    const cd = cmd?.subtype === 'AT_AddColumn' ? nodeAs(cmd.def, 'ColumnDef') : undefined;
    if (cmd && cd?.constraints) return makeNode('AlterTableCmd', { ...cmd, def: makeNode('ColumnDef', { ...cd, constraints: cd.constraints.map(name) }) });
    return node;
  });
  return changed ? makeNode('AlterTableStmt', { ...body, cmds }) : undefined;
}
