/**
 * Sequences and identity columns: CREATE / ALTER SEQUENCE (AS, OWNED BY) and
 * the sequence PostgreSQL makes for a GENERATED ... AS IDENTITY column, named
 * as PostgreSQL names it.
 */
import type { AlterSeqStmt, Constraint, CreateSeqStmt, Node } from '../ingest/pg/ast.js';
import { defElemsOf, nodeAs, objectNames, qualifiedKey, splitKey } from '../ingest/pg/index.js';
import type { BuildContext } from './context.js';
import type { Sequence } from './model.js';
import { chooseName } from './naming.js';
import type { MColumn, MTable } from './state.js';
import { typeRef } from './typedefs.js';

/** `smallint`, `integer` or `bigint` for an integer type's internal name. */
export function integerTypeName(base: string): string {
  return base === 'int8' ? 'bigint' : base === 'int2' ? 'smallint' : 'integer';
}

export function createSequence(ctx: BuildContext, body: CreateSeqStmt): boolean {
  const rv = body.sequence!;
  const schema = ctx.creationSchema(rv.schemaname);
  const key = qualifiedKey(schema, rv.relname!);
  if (ctx.sequences.has(key) && body.if_not_exists) return true;
  let dataType = 'bigint';
  let ownedBy: Sequence['ownedBy'];
  for (const d of defElemsOf(body.options)) {
    if (d.defname === 'as') dataType = typeRef(ctx, nodeAs(d.arg, 'TypeName')).display;
    if (d.defname === 'owned_by') ownedBy = ownedByOf(ctx, d.arg);
  }
  ctx.sequences.set(key, { key, schema, name: rv.relname!, dataType, ownedBy, location: ctx.here(rv.location) });
  return true;
}

/** `OWNED BY [schema.]table.column` (or `NONE`) as the column it names. */
function ownedByOf(ctx: BuildContext, arg: Node | undefined): Sequence['ownedBy'] {
  const parts = objectNames(arg);
  if (parts.length < 2) return undefined;
  const column = parts[parts.length - 1];
  const table = parts.length > 2 ? qualifiedKey(parts[parts.length - 3], parts[parts.length - 2]) : ctx.resolveRelation(undefined, parts[0]);
  return { table, column };
}

export function alterSequence(ctx: BuildContext, body: AlterSeqStmt): boolean {
  const rv = body.sequence!;
  const key = ctx.keyOf(rv);
  const seq = ctx.sequences.get(key);
  if (!seq) {
    if (body.missing_ok) return ctx.skip('AlterSeqStmt', `IF EXISTS: sequence "${key}" does not exist at this point`);
    ctx.lookupTable(rv); // reports the unknown object
    return false;
  }
  let touched = false;
  for (const d of defElemsOf(body.options)) {
    if (d.defname === 'owned_by') {
      seq.ownedBy = ownedByOf(ctx, d.arg);
      touched = true;
    } else if (d.defname === 'as') {
      seq.dataType = typeRef(ctx, nodeAs(d.arg, 'TypeName')).display;
      touched = true;
    }
  }
  return touched ? true : ctx.skip('AlterSeqStmt');
}

/** GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY: the column's sequence, named by `sequence_name` or as PostgreSQL names it. */
export function setIdentity(ctx: BuildContext, t: MTable, col: MColumn, con: Constraint): void {
  const opt = defElemsOf(con.options).find((d) => d.defname === 'sequence_name');
  let seqKey: string;
  if (opt) {
    const parts = objectNames(opt.arg);
    seqKey = parts.length > 1 ? qualifiedKey(parts[0], parts[1]) : qualifiedKey(t.schema, parts[0]);
  } else {
    seqKey = qualifiedKey(t.schema, chooseName(t.name, col.name, 'seq', (n) => ctx.relationNameTaken(t.schema, n)));
  }
  const { schema, name } = splitKey(seqKey);
  const dataType = integerTypeName(col.type.base);
  ctx.sequences.set(seqKey, { key: seqKey, schema, name, dataType, ownedBy: { table: t.key, column: col.name }, location: ctx.here() });
  col.identity = { kind: con.generated_when === 'a' ? 'always' : 'by default', sequence: seqKey };
  col.notNull = true;
}
