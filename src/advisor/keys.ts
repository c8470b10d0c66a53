/**
 * How a schema names and guards its keys, read as an experienced Citus
 * engineer reads it: the entity a column names (`project_id`, `projectId`,
 * `"ProjectId"` all name a project), whether a column is NOT NULL (declared,
 * or staged as `CHECK (x IS NOT NULL) NOT VALID`), whether an index leads
 * with it, whether it sits in a composite primary or unique key
 * (`UNIQUE (tenant_id, email)`: the strongest tenant signal there is), and
 * whether a foreign key is an ownership link (NOT NULL, usually ON DELETE
 * CASCADE) or an optional one.
 */
import { notNullCheck } from '../catalog/not-null.js';
import type { ForeignKey, Table } from '../catalog/model.js';

/** A column or table name in comparable form: case and underscores ignored (`tenant_id` = `tenantId` = `TenantId`). */
export function keyName(name: string): string {
  return name.toLowerCase().replace(/_/g, '');
}

/** The entity a reference column names: `project_id`, `projectId`, `ProjectID` -> `project`; undefined for other names. */
export function entityOf(column: string): string | undefined {
  const snake = /^(.+?)_id$/i.exec(column);
  if (snake) return snake[1];
  const camel = /^(.*[a-z0-9])I[dD]$/.exec(column);
  return camel ? camel[1] : undefined;
}

/** The comparable table names an entity may be stored under: singular and plural. */
export function tableNamesFor(entity: string): string[] {
  const base = keyName(entity);
  const out = [base, `${base}s`, `${base}es`];
  if (base.endsWith('y')) out.push(`${base.slice(0, -1)}ies`);
  return out;
}


/**
 * How the column is kept from NULL: `declared` (NOT NULL or in the primary
 * key), `check` (a `CHECK (x IS NOT NULL)`, valid or NOT VALID: how large
 * applications stage NOT NULL on big tables), or undefined.
 */
export function notNullHow(t: Table, column: string): 'declared' | 'check' | undefined {
  const col = t.columns.find((c) => c.name === column);
  if (col?.notNull || t.primaryKey?.columns.includes(column)) return 'declared';
  return notNullCheck(t, column) ? 'check' : undefined;
}

export function isNotNull(t: Table, column: string): boolean {
  return notNullHow(t, column) !== undefined;
}

/** Some index (a key's included) has the column first. */
export function leadsAnIndex(t: Table, column: string): boolean {
  return t.primaryKey?.columns[0] === column || t.uniques.some((u) => u.columns[0] === column) || t.indexes.some((i) => i.columns[0] === column);
}

/** Part of a primary or unique key together with other columns: the row is unique per value of it. */
export function inCompositeKey(t: Table, column: string): boolean {
  if (t.primaryKey && t.primaryKey.columns.length > 1 && t.primaryKey.columns.includes(column)) return true;
  return t.uniques.some((u) => !u.where && u.columns.length > 1 && u.columns.includes(column));
}

/** A foreign key whose columns are all kept from NULL: every row has the parent it names. */
export function isOwnershipLink(t: Table, fk: ForeignKey): boolean {
  return fk.columns.every((c) => isNotNull(t, c));
}

/** A login table: it stores password hashes (`encrypted_password`, `password_digest`, ...). */
export function holdsCredentials(t: Table): boolean {
  return t.columns.some((c) => /passw(or)?d/i.test(c.name));
}
