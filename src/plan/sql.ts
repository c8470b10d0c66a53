/** SQL text for the constraints, indexes and calls a migration writes. */
import type { CheckConstraint, ExclusionConstraint, ForeignKey, FkAction, Index, KeyConstraint, UniqueKey } from '../catalog/model.js';
import { quoteIdent, quoteLiteral, splitKey, sqlName, qualifiedKey } from '../ingest/pg/index.js';

export const ident = quoteIdent;

export function columnList(cols: ReadonlyArray<string>): string {
  return cols.map(quoteIdent).join(', ');
}

/** A relation name as a Citus UDF argument: the schema-qualified, quoted name as a string literal. */
export function regclassLiteral(key: string): string {
  return quoteLiteral(sqlName(key, true));
}

/** An index (or other schema-scoped object) name, qualified by its table's schema unless public. */
export function schemaScoped(tableKey: string, name: string): string {
  return sqlName(qualifiedKey(splitKey(tableKey).schema, name));
}

const ACTION_SQL: Record<FkAction, string> = {
  'no action': 'NO ACTION',
  restrict: 'RESTRICT',
  cascade: 'CASCADE',
  'set null': 'SET NULL',
  'set default': 'SET DEFAULT',
};

export interface FkShape {
  readonly name: string;
  readonly columns: ReadonlyArray<string>;
  readonly refTable: string;
  readonly refColumns: ReadonlyArray<string>;
  readonly onDelete: FkAction;
  readonly onUpdate: FkAction;
  readonly match: ForeignKey['match'];
  readonly deferrable: boolean;
  readonly initiallyDeferred: boolean;
  readonly notValid: boolean;
}

export function addForeignKey(table: string, fk: FkShape): string {
  let s = `ALTER TABLE ${sqlName(table)} ADD CONSTRAINT ${ident(fk.name)}\n    FOREIGN KEY (${columnList(fk.columns)}) REFERENCES ${sqlName(fk.refTable)} (${columnList(fk.refColumns)})`;
  if (fk.match === 'full') s += ' MATCH FULL';
  if (fk.onUpdate !== 'no action') s += ` ON UPDATE ${ACTION_SQL[fk.onUpdate]}`;
  if (fk.onDelete !== 'no action') s += ` ON DELETE ${ACTION_SQL[fk.onDelete]}`;
  if (fk.deferrable) s += fk.initiallyDeferred ? ' DEFERRABLE INITIALLY DEFERRED' : ' DEFERRABLE';
  if (fk.notValid) s += ' NOT VALID';
  return s;
}

/** A CHECK constraint as the schema has it (NO INHERIT, NOT VALID kept). */
export function addCheck(table: string, c: CheckConstraint): string {
  return `ALTER TABLE ${sqlName(table)} ADD CONSTRAINT ${ident(c.name)} CHECK (${c.expression})${c.noInherit ? ' NO INHERIT' : ''}${c.notValid ? ' NOT VALID' : ''}`;
}

/** ALTER INDEX ... ATTACH PARTITION: a partition's index under its partitioned table's (each named in its table's schema). */
export function attachIndexSql(table: string, index: string, partition: string, partitionIndex: string): string {
  return `ALTER INDEX ${sqlName(qualifiedKey(splitKey(table).schema, index))} ATTACH PARTITION ${sqlName(qualifiedKey(splitKey(partition).schema, partitionIndex))}`;
}

export function dropConstraint(table: string, name: string): string {
  return `ALTER TABLE ${sqlName(table)} DROP CONSTRAINT ${ident(name)}`;
}

export function addPrimaryKey(table: string, pk: KeyConstraint, columns: ReadonlyArray<string>): string {
  let s = `ALTER TABLE ${sqlName(table)} ADD CONSTRAINT ${ident(pk.name)} PRIMARY KEY (${columnList(columns)})`;
  if (pk.include.length) s += ` INCLUDE (${columnList(pk.include)})`;
  s += deferral(pk);
  return s;
}

export function addUniqueConstraint(table: string, u: UniqueKey, columns: ReadonlyArray<string>): string {
  let s = `ALTER TABLE ${sqlName(table)} ADD CONSTRAINT ${ident(u.name)} UNIQUE${u.nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''} (${columnList(columns)})`;
  if (u.include.length) s += ` INCLUDE (${columnList(u.include)})`;
  s += deferral(u);
  return s;
}

/** DEFERRABLE [INITIALLY DEFERRED] of a key, as it was made. */
function deferral(k: KeyConstraint | UniqueKey): string {
  return k.deferrable ? (k.initiallyDeferred ? ' DEFERRABLE INITIALLY DEFERRED' : ' DEFERRABLE') : '';
}

/** Key elements of a unique index: columns quoted, expressions in parentheses. */
export function indexElements(columns: ReadonlyArray<string | null>, expressions: ReadonlyArray<string>): string[] {
  let e = 0;
  return columns.map((c) => (c === null ? `(${expressions[e++] ?? ''})` : ident(c)));
}

/** CREATE INDEX for a plain (not unique) index as the schema has it; `only`: on a partitioned table alone. */
export function createPlainIndex(table: string, index: Index, only = false): string {
  const method = index.method !== 'btree' ? ` USING ${ident(index.method)}` : '';
  const elements = index.elements ?? indexElements(index.columns, index.expressions);
  let s = `CREATE INDEX ${ident(index.name)} ON ${only ? 'ONLY ' : ''}${sqlName(table)}${method} (${elements.join(', ')})`;
  if (index.include.length) s += ` INCLUDE (${columnList(index.include)})`;
  if (index.where) s += ` WHERE ${index.where}`;
  return s;
}

/** A unique index's key elements as it was made (ordering, collation, operator class kept). */
export function uniqueElements(u: UniqueKey): string[] {
  return u.elements ? [...u.elements] : indexElements(u.columns, u.expressions);
}

/** CREATE UNIQUE INDEX; `only`: on a partitioned table alone (ON ONLY), its partitions' indexes attached after. */
export function createUniqueIndex(table: string, u: UniqueKey, index: Index | undefined, elements: ReadonlyArray<string>, only = false): string {
  const method = index?.method && index.method !== 'btree' ? ` USING ${ident(index.method)}` : '';
  let s = `CREATE UNIQUE INDEX ${ident(u.name)} ON ${only ? 'ONLY ' : ''}${sqlName(table)}${method} (${elements.join(', ')})`;
  if (u.include.length) s += ` INCLUDE (${columnList(u.include)})`;
  if (u.nullsNotDistinct) s += ' NULLS NOT DISTINCT';
  if (u.where) s += ` WHERE ${u.where}`;
  return s;
}

/** An exclusion constraint with the given leading column compared with =, then its own elements. */
export function addExclusion(table: string, x: ExclusionConstraint, lead?: string): string {
  const op = (o: string) => (o.includes('.') ? `OPERATOR(${o})` : o);
  const elements = [...(lead ? [`${ident(lead)} WITH =`] : []), ...x.elements.map((e) => `${e.column !== undefined ? ident(e.column) : `(${e.expression ?? ''})`} WITH ${op(e.operator)}`)];
  let s = `ALTER TABLE ${sqlName(table)} ADD CONSTRAINT ${ident(x.name)} EXCLUDE USING ${ident(x.method)} (${elements.join(', ')})`;
  if (x.where) s += ` WHERE (${x.where})`;
  if (x.deferrable) s += x.initiallyDeferred ? ' DEFERRABLE INITIALLY DEFERRED' : ' DEFERRABLE';
  return s;
}

export function dropIndex(table: string, name: string): string {
  return `DROP INDEX ${schemaScoped(table, name)}`;
}

/** A dollar quote whose tag does not occur in the body. */
export function dollarQuote(body: string, tag: string): string {
  let t = tag;
  for (let i = 1; body.includes(`$${t}$`); i++) t = `${tag}${i}`;
  return `$${t}$\n${body}\n$${t}$`;
}
