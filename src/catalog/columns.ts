/**
 * Columns: a column definition (CREATE TABLE, ALTER TABLE ... ADD COLUMN)
 * with its type, NOT NULL, default, identity, generated expression and
 * collation; serial types with the sequence PostgreSQL makes for them; the
 * constraints written on a column, rewritten to table constraints.
 */
import type { ColumnDef, Constraint, Node } from '../ingest/pg/ast.js';
import { deparseNode, makeNode, namesOf, nodeAs, qualifiedKey } from '../ingest/pg/index.js';
import { addConstraint } from './constraints.js';
import type { BuildContext } from './context.js';
import { chooseName, truncateIdentifier } from './naming.js';
import { setIdentity } from './sequences.js';
import type { MColumn, MTable } from './state.js';
import { typeRef } from './typedefs.js';
import { SERIAL_TYPES } from './types.js';

/** Work that must wait until every column of the statement exists (constraints). */
export type Later = Array<() => void>;

/** Add (or, for a partition's `WITH OPTIONS`, amend) a column of `t`. */
export function addColumn(ctx: BuildContext, t: MTable, cd: ColumnDef, later: Later, fromPartition: boolean): void {
  const names = namesOf(cd.typeName?.names);
  const lastName = names[names.length - 1]?.toLowerCase();
  const isSerial = names.length === 1 && SERIAL_TYPES.has(lastName) && !(cd.typeName?.arrayBounds ?? []).length;
  const existing = t.columns.find((c) => c.name === cd.colname);
  const col: MColumn = existing ?? {
    name: cd.colname!,
    type: typeRef(ctx, cd.typeName),
    notNull: false,
    serial: false,
    location: ctx.here(cd.location),
  };
  if (!existing) {
    if (fromPartition && !cd.typeName) {
      // `PARTITION OF parent (col WITH OPTIONS ...)` on a column the parent lacks
      col.type = typeRef(ctx, undefined);
    }
    t.columns.push(col);
  }
  if (cd.is_not_null) col.notNull = true;
  if (cd.collClause) col.collation = namesOf(cd.collClause.collname).join('.');
  if (isSerial) {
    const seqName = chooseName(t.name, cd.colname!, 'seq', (n) => ctx.relationNameTaken(t.schema, n));
    const seqKey = qualifiedKey(t.schema, seqName);
    const dataType = lastName.startsWith('big') || lastName === 'serial8' ? 'bigint' : lastName.startsWith('small') || lastName === 'serial2' ? 'smallint' : 'integer';
    ctx.sequences.set(seqKey, { key: seqKey, schema: t.schema, name: seqName, dataType, ownedBy: { table: t.key, column: col.name }, location: col.location });
    col.notNull = true;
    col.default = `nextval('${seqKey === qualifiedKey('public', seqName) ? seqName : seqKey}'::regclass)`;
    col.defaultSequence = seqKey;
  }
  for (const con of withAttributes(cd.constraints)) columnConstraint(ctx, t, col, con, later);
}

/**
 * A column's constraints with DEFERRABLE / INITIALLY DEFERRED (separate
 * items in the grammar) applied to the constraint before them, as
 * transformConstraintAttrs does.
 */
function withAttributes(list: readonly Node[] | undefined): Constraint[] {
  const out: Constraint[] = [];
  for (const c of list ?? []) {
    const con = nodeAs(c, 'Constraint');
    if (!con) continue;
    const prev = out.length ? out[out.length - 1] : undefined;
    if (prev && con.contype === 'CONSTR_ATTR_DEFERRABLE') out[out.length - 1] = { ...prev, deferrable: true };
    else if (prev && con.contype === 'CONSTR_ATTR_NOT_DEFERRABLE') out[out.length - 1] = { ...prev, deferrable: false };
    else if (prev && con.contype === 'CONSTR_ATTR_DEFERRED') out[out.length - 1] = { ...prev, deferrable: true, initdeferred: true };
    else if (prev && con.contype === 'CONSTR_ATTR_IMMEDIATE') out[out.length - 1] = { ...prev, initdeferred: false };
    else out.push(con);
  }
  return out;
}

function columnConstraint(ctx: BuildContext, t: MTable, col: MColumn, con: Constraint, later: Later): void {
  switch (con.contype) {
    case 'CONSTR_NOTNULL':
      col.notNull = true;
      return;
    case 'CONSTR_NULL':
      col.notNull = false;
      return;
    case 'CONSTR_DEFAULT':
      setDefault(ctx, col, con.raw_expr);
      return;
    case 'CONSTR_IDENTITY':
      setIdentity(ctx, t, col, con);
      return;
    case 'CONSTR_GENERATED':
      col.generated = {
        kind: con.generated_kind === 'v' ? 'virtual' : 'stored',
        expression: con.raw_expr ? deparseNode(con.raw_expr) : '',
      };
      return;
    case 'CONSTR_PRIMARY':
    case 'CONSTR_UNIQUE':
    case 'CONSTR_CHECK':
    case 'CONSTR_FOREIGN':
    case 'CONSTR_EXCLUSION': {
      const self = [makeNode('String', { sval: col.name })];
      const withCols: Constraint =
        con.contype === 'CONSTR_FOREIGN' ? { ...con, fk_attrs: self } : con.contype === 'CONSTR_CHECK' ? { ...con } : { ...con, keys: self };
      later.push(() => addConstraint(ctx, t, withCols, col.name));
      return;
    }
    default:
      return; // DEFERRABLE etc. attach to the previous constraint in the grammar
  }
}

/** SET DEFAULT (or, without an expression, DROP DEFAULT); a `nextval('seq')` default records the sequence. */
export function setDefault(ctx: BuildContext, col: MColumn, expr: Node | undefined): void {
  if (!expr) {
    delete col.default;
    delete col.defaultSequence;
    return;
  }
  col.default = deparseNode(expr);
  const seq = nextvalSequence(expr);
  if (seq) {
    const parts = splitQualified(seq);
    col.defaultSequence = parts.length > 1 ? qualifiedKey(parts[parts.length - 2], parts[parts.length - 1]) : ctx.resolveRelation(undefined, parts[0]);
  } else delete col.defaultSequence;
}

/** The sequence name in `nextval('seq'::regclass)`, when the expression is one. */
export function nextvalSequence(expr: Node | undefined): string | undefined {
  const fc = nodeAs(expr, 'FuncCall');
  if (!fc) return undefined;
  const fname = namesOf(fc.funcname);
  if (fname[fname.length - 1] !== 'nextval') return undefined;
  let arg = fc.args?.[0];
  for (let cast = nodeAs(arg, 'TypeCast'); cast; cast = nodeAs(arg, 'TypeCast')) arg = cast.arg;
  return nodeAs(arg, 'A_Const')?.sval?.sval;
}

/**
 * `a.b.c` with optional double quotes -> parts (unquoted parts folded to lower
 * case, each cut to 63 bytes as SplitIdentifierString does).
 */
export function splitQualified(text: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === '.') {
      parts.push(cur);
      cur = '';
    } else cur += ch.toLowerCase();
  }
  parts.push(cur);
  return parts.map(truncateIdentifier);
}
