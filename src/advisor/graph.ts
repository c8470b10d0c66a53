/**
 * The join graph over columns: foreign keys, the implicit references of
 * frameworks that declare none (`company_id` -> `companies.id`), and the
 * equi-joins of the workload. Columns connected by these edges form key
 * classes: the candidates for one colocation group's distribution key.
 */
import { partitionRoot } from '../catalog/index.js';
import type { Catalog, ForeignKey, Table } from '../catalog/model.js';
import type { Workload } from '../workload/model.js';
import { entityOf, keyName, tableNamesFor } from './keys.js';

export type EdgeKind = 'fk' | 'inferred' | 'join';

export interface ColumnEdge {
  readonly kind: EdgeKind;
  readonly a: { readonly table: string; readonly column: string };
  readonly b: { readonly table: string; readonly column: string };
  /** fk/inferred: the referencing side is `a`. join: the share of the weighted workload that joins the pair (0..1). */
  readonly weight: number;
  /** FK or inferred reference: its name (for evidence). */
  readonly name?: string;
  /** FK: position of this pair within a multi-column key. */
  readonly position?: number;
}

export interface KeyClass {
  /** Stable id: the smallest member `table.column`. */
  readonly id: string;
  /** Per table, its columns in the class. */
  readonly members: Record<string, string[]>;
}

export interface JoinGraph {
  readonly edges: ColumnEdge[];
  readonly classes: KeyClass[];
  /** `table.column` -> class id. */
  readonly classOf: Record<string, string>;
}

const node = (table: string, column: string) => `${table}\u0000${column}`;

/** Tables the advisor decides on: everything but partitions (they follow their parent). */
export function designableTables(catalog: Catalog): Table[] {
  return Object.values(catalog.tables).filter((t) => !t.partitionOf);
}

/**
 * A table's foreign keys, counting those declared only on its partitions
 * (pg_dump of some schemas puts them there) once, as the parent's.
 */
export function effectiveForeignKeys(catalog: Catalog, table: Table): ForeignKey[] {
  const out = [...table.foreignKeys];
  if (table.relkind !== 'partitioned') return out;
  const seen = new Set(out.map((f) => `${f.columns.join(',')}>${f.refTable}`));
  for (const child of Object.values(catalog.tables)) {
    if (child.partitionOf?.parent !== table.key) continue;
    for (const fk of child.foreignKeys) {
      const k = `${fk.columns.join(',')}>${fk.refTable}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(fk);
    }
  }
  return out;
}

/**
 * `effectiveForeignKeys` of every designable table at once, in one pass over
 * the catalog (asking table by table scans every table for each partitioned one).
 */
export function effectiveForeignKeyMap(catalog: Catalog): Map<string, ForeignKey[]> {
  const children = new Map<string, Table[]>();
  for (const t of Object.values(catalog.tables)) {
    const parent = t.partitionOf?.parent;
    if (parent === undefined) continue;
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    list.push(t);
  }
  const out = new Map<string, ForeignKey[]>();
  for (const table of designableTables(catalog)) {
    const fks = [...table.foreignKeys];
    if (table.relkind === 'partitioned') {
      const seen = new Set(fks.map((f) => `${f.columns.join(',')}>${f.refTable}`));
      for (const child of children.get(table.key) ?? []) {
        for (const fk of child.foreignKeys) {
          const k = `${fk.columns.join(',')}>${fk.refTable}`;
          if (seen.has(k)) continue;
          seen.add(k);
          fks.push(fk);
        }
      }
    }
    out.set(table.key, fks);
  }
  return out;
}

export function buildJoinGraph(catalog: Catalog, workload: Workload | undefined, inferred: ColumnEdge[] = inferredReferences(catalog)): JoinGraph {
  const edges: ColumnEdge[] = [];
  const root = (t: string) => partitionRoot(catalog, t);
  const effective = effectiveForeignKeyMap(catalog);
  for (const t of designableTables(catalog)) {
    for (const fk of effective.get(t.key)!) {
      const ref = root(fk.refTable);
      if (!catalog.tables[ref]) continue;
      fk.columns.forEach((c, i) => {
        const rc = fk.refColumns[i];
        if (rc) edges.push({ kind: 'fk', a: { table: t.key, column: c }, b: { table: ref, column: rc }, weight: 1, name: fk.name, position: i });
      });
    }
  }
  edges.push(...inferred);
  if (workload) {
    // One edge per pair of columns, weighted by the share of the workload that joins them.
    const total = workload.queries.reduce((s, q) => s + q.query.weight, 0) || 1;
    const joins = new Map<string, { a: ColumnEdge['a']; b: ColumnEdge['b']; weight: number }>();
    for (const { query, facts } of workload.queries) {
      for (const j of facts.joins) {
        if (j.underOr) continue;
        const a = { table: root(j.left.table), column: j.left.column };
        const b = { table: root(j.right.table), column: j.right.column };
        if (!catalog.tables[a.table] || !catalog.tables[b.table]) continue;
        if (a.table === b.table && a.column === b.column) continue;
        const k = `${a.table}\u0000${a.column}\u0000${b.table}\u0000${b.column}`;
        const e = joins.get(k);
        if (e) e.weight += query.weight / total;
        else joins.set(k, { a, b, weight: query.weight / total });
      }
    }
    for (const { a, b, weight } of joins.values()) edges.push({ kind: 'join', a, b, weight });
  }
  // Union-find over column nodes.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r)! !== r) r = parent.get(r)!;
    let c = x;
    while (parent.get(c)! !== r) {
      const next = parent.get(c)!;
      parent.set(c, r);
      c = next;
    }
    return r;
  };
  const add = (x: string) => {
    if (!parent.has(x)) parent.set(x, x);
  };
  for (const e of edges) {
    const x = node(e.a.table, e.a.column);
    const y = node(e.b.table, e.b.column);
    add(x);
    add(y);
    const rx = find(x);
    const ry = find(y);
    if (rx !== ry) parent.set(rx < ry ? ry : rx, rx < ry ? rx : ry);
  }
  const groups = new Map<string, Map<string, Set<string>>>();
  for (const x of parent.keys()) {
    const r = find(x);
    const [table, column] = x.split('\u0000');
    if (!groups.has(r)) groups.set(r, new Map());
    const m = groups.get(r)!;
    if (!m.has(table)) m.set(table, new Set());
    m.get(table)!.add(column);
  }
  const classes: KeyClass[] = [];
  const classOf: Record<string, string> = {};
  for (const m of groups.values()) {
    if (m.size < 2) continue;
    const members: Record<string, string[]> = {};
    for (const t of [...m.keys()].sort()) members[t] = [...m.get(t)!].sort();
    const id = Object.entries(members)
      .flatMap(([t, cols]) => cols.map((c) => `${t}.${c}`))
      .sort()[0];
    classes.push({ id, members });
    for (const [t, cols] of Object.entries(members)) for (const c of cols) classOf[`${t}.${c}`] = id;
  }
  classes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { edges: sortEdges(edges), classes, classOf };
}

/**
 * The edges in `edgeKey` order (English collation, named so that the order
 * and so the design do not depend on the machine's locale), ties in their
 * given order. A workload repeats the same join in many queries: only the
 * distinct keys are collated.
 */
function sortEdges(edges: ColumnEdge[]): ColumnEdge[] {
  const byKey = new Map<string, number[]>();
  edges.forEach((e, i) => {
    const k = edgeKey(e);
    const list = byKey.get(k);
    if (list) list.push(i);
    else byKey.set(k, [i]);
  });
  const { compare } = new Intl.Collator('en');
  const keys = [...byKey.keys()].sort(compare);
  const out: ColumnEdge[] = [];
  for (let i = 0; i < keys.length; ) {
    let j = i + 1;
    while (j < keys.length && compare(keys[i], keys[j]) === 0) j++;
    // Distinct keys that collate equal (canonically equivalent text): one run, in the edges' given order.
    const run = j === i + 1 ? byKey.get(keys[i])! : keys.slice(i, j).flatMap((k) => byKey.get(k)!).sort((a, b) => a - b);
    for (const x of run) out.push(edges[x]);
    i = j;
  }
  return out;
}

function edgeKey(e: ColumnEdge): string {
  return `${e.kind}|${e.a.table}.${e.a.column}|${e.b.table}.${e.b.column}|${e.position ?? ''}`;
}

/**
 * References the schema does not declare but its names state, as Rails,
 * Django, Prisma and most ORMs name them: `<thing>_id` or `<thing>Id`
 * pointing at the single-column primary key of the table `<things>` (or
 * `<thing>`, any case: `"Tenant"`), with a compatible type. Only for columns
 * that have no declared foreign key.
 */
export function inferredReferences(catalog: Catalog): ColumnEdge[] {
  const out: ColumnEdge[] = [];
  const tables = designableTables(catalog);
  const byName = new Map<string, Table[]>();
  for (const t of tables) {
    const list = byName.get(keyName(t.name));
    if (list) list.push(t);
    else byName.set(keyName(t.name), [t]);
  }
  for (const t of tables) {
    const declared = new Set(t.foreignKeys.flatMap((f) => f.columns));
    for (const col of t.columns) {
      if (declared.has(col.name)) continue;
      const entity = entityOf(col.name);
      if (!entity) continue;
      for (const n of tableNamesFor(entity)) {
        const candidates = byName.get(n) ?? [];
        const target = candidates.find((r) => r.schema === t.schema) ?? candidates[0];
        if (!target || target.key === t.key) continue;
        const pk = target.primaryKey?.columns;
        if (!pk || pk.length !== 1) continue;
        const pkCol = target.columns.find((c) => c.name === pk[0]);
        if (!pkCol || !compatibleTypes(col.type.base, pkCol.type.base)) continue;
        out.push({ kind: 'inferred', a: { table: t.key, column: col.name }, b: { table: target.key, column: pkCol.name }, weight: 0.5, name: `${col.name} -> ${target.name}.${pkCol.name}` });
        break;
      }
    }
  }
  out.push(...prefixedReferences(catalog, tables, new Set(out.map((e) => `${e.a.table}.${e.a.column}`))));
  out.push(...referencesDeclaredElsewhere(catalog, tables, new Set(out.map((e) => `${e.a.table}.${e.a.column}`))));
  // An entity with no table of its own (`site_id` in several tables, no `sites`):
  // tables that carry the same key column (any spelling) with a compatible type share the key.
  const linked = new Set(out.map((e) => `${e.a.table}.${e.a.column}`));
  const byColumn = new Map<string, Array<{ table: string; column: string; type: string }>>();
  for (const t of tables) {
    const declared = new Set(t.foreignKeys.flatMap((f) => f.columns));
    for (const col of t.columns) {
      if (!entityOf(col.name) || declared.has(col.name) || linked.has(`${t.key}.${col.name}`) || polymorphic(t, col.name)) continue;
      if (t.primaryKey?.columns.length === 1 && t.primaryKey.columns[0] === col.name) continue;
      const k = keyName(col.name);
      const list = byColumn.get(k);
      if (list) list.push({ table: t.key, column: col.name, type: col.type.base });
      else byColumn.set(k, [{ table: t.key, column: col.name, type: col.type.base }]);
    }
  }
  for (const [, users] of [...byColumn].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (users.length < 2) continue;
    const [first, ...rest] = users;
    for (const u of rest) {
      if (!compatibleTypes(first.type, u.type)) continue;
      out.push({ kind: 'inferred', a: { table: u.table, column: u.column }, b: { table: first.table, column: first.column }, weight: 0.3, name: `shared column ${first.column}` });
    }
  }
  return out;
}

/**
 * A polymorphic reference, as Rails and others keep them: `target_id` beside
 * a text `target_type` names a row of whichever table `target_type` names,
 * so the same name in two tables is no shared key. (A numeric `runner_type`
 * is a kind of row, not a table's name.)
 */
export function polymorphic(t: Table, column: string): boolean {
  const entity = entityOf(column);
  if (!entity) return false;
  const type = keyName(`${entity}_type`);
  return t.columns.some((c) => keyName(c.name) === type && TEXT.has(c.type.base));
}

/**
 * References a column's name makes where the schema declares it elsewhere:
 * `author_id` has a foreign key to `users.id` in some tables and none in
 * others (kept by the application). Where every declared foreign key of a
 * column name (two or more) points at the same single-column primary key,
 * the same name without one points there too: a role under which the
 * schema links that table (an author is a user), not an entity of its own.
 */
function referencesDeclaredElsewhere(catalog: Catalog, tables: Table[], linked: ReadonlySet<string>): ColumnEdge[] {
  const target = new Map<string, { table: Table; column: string; count: number } | null>();
  for (const t of tables) {
    for (const fk of t.foreignKeys) {
      if (fk.columns.length !== 1) continue;
      const ref = catalog.tables[partitionRoot(catalog, fk.refTable)];
      const pk = ref?.primaryKey?.columns;
      const k = keyName(fk.columns[0]);
      const seen = target.get(k);
      if (seen === null) continue;
      if (!ref || ref.key === t.key || pk?.length !== 1 || pk[0] !== fk.refColumns[0] || (seen && seen.table.key !== ref.key)) target.set(k, null);
      else target.set(k, { table: ref, column: pk[0], count: (seen?.count ?? 0) + 1 });
    }
  }
  const out: ColumnEdge[] = [];
  for (const t of tables) {
    const declared = new Set(t.foreignKeys.flatMap((f) => f.columns));
    for (const col of t.columns) {
      if (declared.has(col.name) || linked.has(`${t.key}.${col.name}`) || !entityOf(col.name)) continue;
      const found = target.get(keyName(col.name));
      if (!found || found.count < 2 || found.table.key === t.key) continue;
      const pkCol = found.table.columns.find((c) => c.name === found.column);
      if (!pkCol || !compatibleTypes(col.type.base, pkCol.type.base)) continue;
      out.push({ kind: 'inferred', a: { table: t.key, column: col.name }, b: { table: found.table.key, column: pkCol.name }, weight: 0.4, name: `${col.name} -> ${found.table.name}.${pkCol.name}, as declared elsewhere` });
    }
  }
  return out;
}

/**
 * References in the style of schemas that prefix every column with a short
 * table tag (TPC-H, TPC-DS): a column ending in `_<key>` where another table's
 * single-column primary key is `<tag>_<key>` (`ss_sold_date_sk` ->
 * `date_dim.d_date_sk`, `l_orderkey` -> `orders.o_orderkey`).
 */
function prefixedReferences(catalog: Catalog, tables: Table[], linked: ReadonlySet<string>): ColumnEdge[] {
  const byKey = new Map<string, Table>();
  for (const t of tables) {
    const pk = t.primaryKey?.columns;
    const m = pk?.length === 1 ? /^[a-z]{1,4}_([a-z0-9_]{5,})$/i.exec(pk[0]) : null;
    if (!m || /^id$/i.test(m[1])) continue;
    const k = m[1].toLowerCase();
    if (byKey.has(k)) byKey.delete(k); // two tables with the same key name: not a clue
    else byKey.set(k, t);
  }
  const out: ColumnEdge[] = [];
  if (!byKey.size) return out;
  for (const t of tables) {
    const declared = new Set(t.foreignKeys.flatMap((f) => f.columns));
    const pk = t.primaryKey?.columns.length === 1 ? t.primaryKey.columns[0] : undefined;
    for (const col of t.columns) {
      if (col.name === pk || declared.has(col.name) || linked.has(`${t.key}.${col.name}`)) continue;
      const parts = col.name.toLowerCase().split('_');
      for (let i = 1; i < parts.length; i++) {
        const target = byKey.get(parts.slice(i).join('_'));
        if (!target || target.key === t.key) continue;
        const pkCol = target.columns.find((c) => c.name === target.primaryKey!.columns[0]);
        if (!pkCol || !compatibleTypes(col.type.base, pkCol.type.base)) break;
        out.push({ kind: 'inferred', a: { table: t.key, column: col.name }, b: { table: target.key, column: pkCol.name }, weight: 0.5, name: `${col.name} -> ${target.name}.${pkCol.name}` });
        break;
      }
    }
  }
  return out;
}

const INTEGER = new Set(['int2', 'int4', 'int8', 'numeric']);
const TEXT = new Set(['text', 'varchar', 'bpchar']);

export function compatibleTypes(a: string, b: string): boolean {
  if (a === b) return true;
  if (INTEGER.has(a) && INTEGER.has(b)) return true;
  return TEXT.has(a) && TEXT.has(b);
}
