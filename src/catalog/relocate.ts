/**
 * What moves with what when an object is renamed or moved to another schema
 * (RENAME, SET SCHEMA, ALTER SCHEMA ... RENAME), the way PostgreSQL does it:
 * PostgreSQL links objects by OID, the catalog by key and name, so every
 * key and name that points at the object is rewritten here.
 *
 * - a table carries its indexes, constraints, triggers and policies, and on
 *   SET SCHEMA the sequences its columns own (AlterTableNamespace); foreign
 *   keys, partitions, inheritance children, views, owned sequences and data
 *   blocks that name it follow;
 * - a sequence: the defaults and identities that draw from it follow;
 * - a type or domain: every column (and domain) of that type follows;
 * - an index that backs a constraint renames the constraint, and the other
 *   way round (RenameRelationInternal / RenameConstraintById);
 * - a column or CHECK rename recurses to inheritance children and
 *   partitions (renameatt / rename_constraint_internal), a trigger rename to
 *   partitions (PostgreSQL 15+).
 */
import { qualifiedKey, quoteIdent, splitKey } from '../ingest/pg/index.js';
import type { CatalogState, MTable } from './state.js';
import type { TypeDef, TypeRef } from './model.js';
import { userTypeRef } from './types.js';

/** Partitions and inheritance children of `t`, recursively (each once). */
export function descendants(state: CatalogState, t: MTable): MTable[] {
  const out: MTable[] = [];
  const seen = new Set<string>([t.key]);
  const queue = [t.key];
  while (queue.length) {
    const key = queue.shift()!;
    for (const c of state.tables.values()) {
      if (seen.has(c.key)) continue;
      if (c.partitionOf?.parent === key || c.inherits.includes(key)) {
        seen.add(c.key);
        out.push(c);
        queue.push(c.key);
      }
    }
  }
  return out;
}

/** Direct partitions of `t`. */
export function partitions(state: CatalogState, t: MTable): MTable[] {
  return [...state.tables.values()].filter((c) => c.partitionOf?.parent === t.key);
}

// ---------------------------------------------------------------- relations

/**
 * Rename and/or move a table. With `carryOwnedSequences` (SET SCHEMA), the
 * sequences owned by its columns move to the new schema too.
 */
export function moveTable(state: CatalogState, t: MTable, schema: string, name: string, carryOwnedSequences: boolean): void {
  const oldKey = t.key;
  const oldSchema = t.schema;
  const newKey = qualifiedKey(schema, name);
  if (newKey === oldKey) return;
  state.schemas.add(schema);
  state.tables.delete(oldKey);
  t.key = newKey;
  t.schema = schema;
  t.name = name;
  state.tables.set(newKey, t);
  if (schema !== oldSchema) {
    for (const i of t.indexes) {
      state.indexOwner.delete(qualifiedKey(oldSchema, i.name));
      state.indexOwner.set(qualifiedKey(schema, i.name), newKey);
    }
  }
  for (const [k, owner] of state.indexOwner) if (owner === oldKey) state.indexOwner.set(k, newKey);
  for (const other of state.tables.values()) {
    for (const f of other.foreignKeys) if (f.refTable === oldKey) f.refTable = newKey;
    if (other.partitionOf?.parent === oldKey) other.partitionOf = { ...other.partitionOf, parent: newKey };
    if (other.inherits.includes(oldKey)) other.inherits = other.inherits.map((k) => (k === oldKey ? newKey : k));
  }
  retargetViewReads(state, oldKey, newKey);
  for (const s of state.sequences.values()) if (s.ownedBy?.table === oldKey) s.ownedBy = { ...s.ownedBy, table: newKey };
  for (let i = 0; i < state.data.length; i++) if (state.data[i].table === oldKey) state.data[i] = { ...state.data[i], table: newKey };
  if (carryOwnedSequences && schema !== oldSchema) {
    for (const s of [...state.sequences.values()]) {
      if (s.ownedBy?.table === newKey && s.schema !== schema) moveSequence(state, s.key, schema, s.name);
    }
  }
}

/** Rename and/or move a sequence; the defaults and identity columns that draw from it follow. */
export function moveSequence(state: CatalogState, oldKey: string, schema: string, name: string): void {
  const seq = state.sequences.get(oldKey);
  const newKey = qualifiedKey(schema, name);
  if (!seq || newKey === oldKey) return;
  state.schemas.add(schema);
  state.sequences.delete(oldKey);
  const oldSchema = seq.schema;
  seq.key = newKey;
  seq.schema = schema;
  seq.name = name;
  state.sequences.set(newKey, seq);
  for (const t of state.tables.values()) {
    for (const c of t.columns) {
      if (c.defaultSequence === oldKey) {
        c.defaultSequence = newKey;
        if (c.default) c.default = retargetNextval(c.default, oldSchema, schema, name);
      }
      if (c.identity?.sequence === oldKey) c.identity = { ...c.identity, sequence: newKey };
    }
  }
}

/**
 * `nextval('old'::regclass)` -> the same call on the sequence's new name, qualified
 * when the old text was or when the sequence left its schema for one other than `public`.
 */
function retargetNextval(text: string, oldSchema: string, schema: string, name: string): string {
  const m = /^nextval\('((?:[^']|'')*)'(::regclass)?\)$/.exec(text);
  if (!m) return text;
  const written = m[1].replace(/''/g, "'");
  const wasQualified = /^(?:"(?:[^"]|"")*"|[^".]+)\./.test(written);
  const qualify = wasQualified || (schema !== oldSchema && schema !== 'public');
  const ref = (qualify ? `${quoteIdent(schema)}.` : '') + quoteIdent(name);
  return `nextval('${ref.replace(/'/g, "''")}'${m[2] ?? ''})`;
}

/** Rename and/or move a view or materialized view; views that read it follow. */
export function moveView(state: CatalogState, oldKey: string, schema: string, name: string): void {
  const v = state.views.get(oldKey);
  const newKey = qualifiedKey(schema, name);
  if (!v || newKey === oldKey) return;
  state.schemas.add(schema);
  state.views.delete(oldKey);
  state.views.set(newKey, { ...v, key: newKey, schema, name });
  retargetViewReads(state, oldKey, newKey);
}

function retargetViewReads(state: CatalogState, oldKey: string, newKey: string): void {
  for (const [k, v] of state.views) {
    if (v.reads.includes(oldKey)) state.views.set(k, { ...v, reads: [...new Set(v.reads.map((r) => (r === oldKey ? newKey : r)))].sort() });
  }
}

/** Rename an index; when it backs a constraint (PK, UNIQUE, EXCLUDE), the constraint takes the new name too. */
export function renameIndex(state: CatalogState, t: MTable, from: string, to: string): void {
  const idx = t.indexes.find((i) => i.name === from);
  if (!idx || from === to) return;
  const backs = idx.constraint;
  t.indexes = t.indexes.map((i) => (i === idx ? { ...i, name: to, ...(backs !== undefined ? { constraint: to } : {}) } : i));
  state.indexOwner.delete(qualifiedKey(t.schema, from));
  state.indexOwner.set(qualifiedKey(t.schema, to), t.key);
  t.uniques = t.uniques.map((u) => ((u.source === 'index' ? u.name === from : u.name === backs) ? { ...u, name: to } : u));
  if (backs !== undefined) {
    if (t.primaryKey?.name === backs) t.primaryKey = { ...t.primaryKey, name: to };
    t.exclusions = t.exclusions.map((x) => (x.name === backs ? { ...x, name: to } : x));
  }
}

/**
 * Rename a table constraint. Returns false when `t` has none of that name.
 * An index-backed constraint renames its index; a CHECK renames the inherited
 * copies in children too.
 */
export function renameConstraint(state: CatalogState, t: MTable, from: string, to: string): boolean {
  const backing = t.indexes.find((i) => i.constraint === from);
  if (backing) {
    renameIndex(state, t, backing.name, to);
    return true;
  }
  if (t.primaryKey?.name === from) {
    t.primaryKey = { ...t.primaryKey, name: to };
    return true;
  }
  if (t.uniques.some((u) => u.source === 'constraint' && u.name === from)) {
    t.uniques = t.uniques.map((u) => (u.source === 'constraint' && u.name === from ? { ...u, name: to } : u));
    return true;
  }
  if (t.exclusions.some((x) => x.name === from)) {
    t.exclusions = t.exclusions.map((x) => (x.name === from ? { ...x, name: to } : x));
    return true;
  }
  const fk = t.foreignKeys.find((f) => f.name === from);
  if (fk) {
    fk.name = to;
    return true;
  }
  const check = t.checks.find((c) => c.name === from);
  if (check) {
    for (const x of [t, ...(check.noInherit ? [] : descendants(state, t))]) {
      x.checks = x.checks.map((c) => (c.name === from ? { ...c, name: to } : c));
    }
    return true;
  }
  return false;
}

/** Rename a column of `t` and of every child that inherits it; everything naming it follows. */
export function renameColumn(state: CatalogState, t: MTable, from: string, to: string): boolean {
  if (!t.columns.some((c) => c.name === from)) return false;
  for (const x of [t, ...descendants(state, t)]) renameColumnOf(state, x, from, to);
  return true;
}

function renameColumnOf(state: CatalogState, t: MTable, from: string, to: string): void {
  const col = t.columns.find((c) => c.name === from);
  if (!col) return;
  col.name = to;
  const ren = <T extends string | null>(cols: T[]): T[] => cols.map((c) => (c === from ? (to as T) : c));
  if (t.primaryKey) t.primaryKey = { ...t.primaryKey, columns: ren(t.primaryKey.columns), include: ren(t.primaryKey.include) };
  t.uniques = t.uniques.map((u) => ({ ...u, columns: ren(u.columns), include: ren(u.include) }));
  t.indexes = t.indexes.map((i) => ({ ...i, columns: ren(i.columns), include: ren(i.include) }));
  t.exclusions = t.exclusions.map((x) => ({ ...x, elements: x.elements.map((e) => (e.column === from ? { ...e, column: to } : e)) }));
  for (const f of t.foreignKeys) f.columns = ren(f.columns);
  if (t.partitionBy) t.partitionBy = { ...t.partitionBy, columns: ren(t.partitionBy.columns) };
  for (const other of state.tables.values()) {
    for (const f of other.foreignKeys) if (f.refTable === t.key) f.refColumns = ren(f.refColumns);
  }
  for (const s of state.sequences.values()) {
    if (s.ownedBy?.table === t.key && s.ownedBy.column === from) s.ownedBy = { ...s.ownedBy, column: to };
  }
  for (let i = 0; i < state.data.length; i++) {
    const d = state.data[i];
    if (d.table === t.key && d.columns.includes(from)) state.data[i] = { ...d, columns: ren(d.columns) };
  }
}

/** Rename a trigger; PostgreSQL 15+ renames its clones on partitions too. */
export function renameTrigger(state: CatalogState, t: MTable, from: string, to: string): boolean {
  const trg = t.triggers.find((x) => x.name === from);
  if (!trg) return false;
  t.triggers = t.triggers.map((x) => (x === trg ? { ...x, name: to } : x));
  if (trg.level === 'row') for (const p of partitions(state, t)) renameTrigger(state, p, from, to);
  return true;
}

// ---------------------------------------------------------------- types, functions, schemas

/** Rename and/or move a type or domain; every column and domain of that type follows. */
export function moveType(state: CatalogState, oldKey: string, schema: string, name: string): void {
  const def = state.types.get(oldKey);
  const newKey = qualifiedKey(schema, name);
  if (!def || newKey === oldKey) return;
  state.schemas.add(schema);
  state.types.delete(oldKey);
  const moved: TypeDef = { ...def, key: newKey, schema, name };
  state.types.set(newKey, moved);
  const retarget = (ref: TypeRef): TypeRef => {
    if (ref.name === oldKey) return userTypeRef(moved, ref.typmods, ref.arrayDims);
    if (ref.base === oldKey) return { ...ref, base: newKey };
    return ref;
  };
  for (const [k, d] of state.types) if (d.baseType) state.types.set(k, { ...d, baseType: retarget(d.baseType) });
  for (const t of state.tables.values()) for (const c of t.columns) c.type = retarget(c.type);
}

/** Rename and/or move a function (all overloads share one entry). */
export function moveFunction(state: CatalogState, oldKey: string, schema: string, name: string): void {
  const f = state.functions.get(oldKey);
  const newKey = qualifiedKey(schema, name);
  if (!f || newKey === oldKey) return;
  state.functions.delete(oldKey);
  state.functions.set(newKey, { ...f, key: newKey });
}

/** ALTER SCHEMA ... RENAME TO: every object in the schema changes key. */
export function renameSchema(state: CatalogState, from: string, to: string): void {
  if (from === to) return;
  state.schemas.delete(from);
  state.schemas.add(to);
  for (const t of [...state.tables.values()]) if (t.schema === from) moveTable(state, t, to, t.name, false);
  for (const v of [...state.views.values()]) if (v.schema === from) moveView(state, v.key, to, v.name);
  for (const s of [...state.sequences.values()]) if (s.schema === from) moveSequence(state, s.key, to, s.name);
  for (const d of [...state.types.values()]) if (d.schema === from) moveType(state, d.key, to, d.name);
  for (const [k, f] of [...state.functions]) {
    const { schema, name } = splitKey(k);
    if (schema === from) moveFunction(state, f.key, to, name);
  }
  for (let i = 0; i < state.extensions.length; i++) {
    if (state.extensions[i].schema === from) state.extensions[i] = { ...state.extensions[i], schema: to };
  }
}
