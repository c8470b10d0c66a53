/**
 * The system-catalog queries for a database's objects: schemas, relations,
 * columns, types, sequences, views, functions and extensions, each a typed
 * function returning typed rows. Oids come back as text. Only the user's
 * objects are read: no system schema, nothing an extension owns.
 * (What hangs off a table, its constraints, indexes and the rest, is read in
 * catalog-table-queries.ts.)
 */

/** Anything that runs a query and returns rows: a LiveSession, or a test's wrapper. */
export interface Queryable {
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

export type Oid = string;

/** Namespaces that are never the user's. */
export const USER_NAMESPACE = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;

export function notExtensionMember(catalog: string, oidExpr: string): string {
  return `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${catalog}'::regclass AND e.objid = ${oidExpr} AND e.deptype = 'e')`;
}

export async function readServerVersionNum(db: Queryable): Promise<number> {
  return Number((await db.query<{ n: string }>(`SELECT current_setting('server_version_num') AS n`))[0].n);
}

/** The user's schemas, `public` always among them, sorted. */
export async function readSchemas(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ nspname: string }>(
    `SELECT n.nspname FROM pg_namespace n WHERE ${USER_NAMESPACE} AND ${notExtensionMember('pg_namespace', 'n.oid')}`,
  );
  return [...new Set(['public', ...rows.map((r) => r.nspname)])].sort();
}

export type RelationRow = {
  oid: Oid;
  schema: string;
  name: string;
  relkind: string;
  relpersistence: string;
  relrowsecurity: boolean;
  relforcerowsecurity: boolean;
  relreplident: string;
  amname: string | null;
  relispartition: boolean;
  bound: string | null;
};

/** Tables, partitioned tables and foreign tables, by schema and name. */
export function readRelations(db: Queryable): Promise<RelationRow[]> {
  return db.query<RelationRow>(
    `SELECT c.oid::int8::text AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind, c.relpersistence::text AS relpersistence,
            c.relrowsecurity, c.relforcerowsecurity, c.relreplident::text AS relreplident, am.amname::text AS amname, c.relispartition,
            CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS bound
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_am am ON am.oid = c.relam
      WHERE c.relkind IN ('r', 'p', 'f') AND ${USER_NAMESPACE} AND ${notExtensionMember('pg_class', 'c.oid')}
      ORDER BY n.nspname, c.relname`,
  );
}

export type ColumnRow = {
  rel: Oid;
  attnum: number;
  attname: string;
  typid: Oid;
  display: string;
  attnotnull: boolean;
  attidentity: string;
  attgenerated: string;
  expr: string | null;
  collation: string | null;
};

/** The live columns of the relations `relOids`, in order. */
export function readColumns(db: Queryable, relOids: Oid[]): Promise<ColumnRow[]> {
  return db.query<ColumnRow>(
    `SELECT a.attrelid::int8::text AS rel, a.attnum, a.attname::text AS attname, a.atttypid::int8::text AS typid,
            format_type(a.atttypid, a.atttypmod) AS display, a.attnotnull, a.attidentity::text AS attidentity,
            a.attgenerated::text AS attgenerated, pg_get_expr(d.adbin, d.adrelid) AS expr,
            CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN cn.nspname || '.' || co.collname END AS collation
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       LEFT JOIN pg_collation co ON co.oid = a.attcollation LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
      WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attrelid, a.attnum`,
    [relOids],
  );
}

/** Column names by relation and number: the columns read, then any other (a referenced table's) asked for once. */
export class AttributeNames {
  private readonly names: Map<string, string>;

  constructor(
    private readonly db: Queryable,
    columns: ColumnRow[],
  ) {
    this.names = new Map(columns.map((r) => [`${r.rel}:${r.attnum}`, r.attname]));
  }

  async of(rel: Oid, attnum: number): Promise<string> {
    const k = `${rel}:${attnum}`;
    if (!this.names.has(k)) {
      const r = await this.db.query<{ attname: string }>(`SELECT attname::text AS attname FROM pg_attribute WHERE attrelid = $1::oid AND attnum = $2`, [rel, attnum]);
      this.names.set(k, r[0]?.attname ?? `#${attnum}`);
    }
    return this.names.get(k)!;
  }
}

/** `schema.name` of a relation not among those read (e.g. one an extension owns); `#oid` when it is gone. */
export async function relationKey(db: Queryable, oid: Oid): Promise<string> {
  const r = await db.query<{ k: string }>(`SELECT n.nspname || '.' || c.relname AS k FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1::oid`, [oid]);
  return r[0]?.k ?? `#${oid}`;
}

/** Any type, as the TypeResolver reads it. */
export type TypeRow = {
  oid: Oid;
  nspname: string;
  typname: string;
  typtype: string;
  typelem: Oid;
  typlen: number;
  typbasetype: Oid;
  typtypmod: number;
  relkind: string | null;
  ext: boolean;
};

export type UserTypeRow = {
  oid: Oid;
  nspname: string;
  typname: string;
  typtype: string;
  basetype: Oid;
  basedisplay: string | null;
  labels: string[] | null;
};

/** The types the user defined: enums, domains, ranges and composite types. */
export function readUserTypes(db: Queryable): Promise<UserTypeRow[]> {
  return db.query<UserTypeRow>(
    `SELECT t.oid::int8::text AS oid, n.nspname, t.typname::text AS typname, t.typtype::text AS typtype, t.typbasetype::int8::text AS basetype,
            CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS basedisplay,
            CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END AS labels
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_class rc ON rc.oid = t.typrelid
      WHERE ${USER_NAMESPACE} AND ${notExtensionMember('pg_type', 't.oid')}
        AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND rc.relkind = 'c'))
      ORDER BY n.nspname, t.typname`,
  );
}

/** Every type a column or domain uses, with its element and base types, down to the end. */
export function readTypeInfo(db: Queryable, columns: ColumnRow[], userTypes: UserTypeRow[]): Promise<TypeRow[]> {
  const seeds = [...new Set([...columns.map((r) => r.typid), ...userTypes.map((r) => r.oid), ...userTypes.map((r) => r.basetype)])];
  return db.query<TypeRow>(
    `WITH RECURSIVE ty(oid) AS (
        SELECT unnest($1::oid[])
        UNION
        SELECT v.x FROM ty JOIN pg_type t ON t.oid = ty.oid, LATERAL (VALUES (t.typelem), (t.typbasetype)) v(x) WHERE v.x <> 0)
     SELECT t.oid::int8::text AS oid, n.nspname, t.typname::text AS typname, t.typtype::text AS typtype, t.typelem::int8::text AS typelem,
            t.typlen::int AS typlen, t.typbasetype::int8::text AS typbasetype, t.typtypmod, rc.relkind::text AS relkind,
            EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e') AS ext
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_class rc ON rc.oid = t.typrelid
      WHERE t.oid IN (SELECT oid FROM ty)`,
    [seeds],
  );
}

export type SequenceRow = { oid: Oid; schema: string; name: string; dtype: string };

export function readSequences(db: Queryable): Promise<SequenceRow[]> {
  return db.query<SequenceRow>(
    `SELECT c.oid::int8::text AS oid, n.nspname AS schema, c.relname::text AS name, format_type(s.seqtypid, NULL) AS dtype
       FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${USER_NAMESPACE} AND ${notExtensionMember('pg_class', 'c.oid')}
      ORDER BY n.nspname, c.relname`,
  );
}

/** A sequence owned by a column: `a` for OWNED BY (serial), `i` for an identity column's. */
export type SequenceOwnerRow = { seq: Oid; rel: Oid; attnum: number; deptype: string };

export function readSequenceOwners(db: Queryable): Promise<SequenceOwnerRow[]> {
  return db.query<SequenceOwnerRow>(
    `SELECT d.objid::int8::text AS seq, d.refobjid::int8::text AS rel, d.refobjsubid AS attnum, d.deptype::text AS deptype
       FROM pg_depend d JOIN pg_class sc ON sc.oid = d.objid AND sc.relkind = 'S'
      WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0`,
  );
}

/**
 * A view or materialized view, with the relations its rules read and the
 * tables whose primary key they depend on (a GROUP BY that covers the key
 * while the query uses the table's other columns: a functional dependency).
 */
export type ViewRow = { schema: string; name: string; mat: boolean; reads: string[]; keyed: string[] };

export function readViews(db: Queryable): Promise<ViewRow[]> {
  return db.query<ViewRow>(
    `SELECT n.nspname AS schema, c.relname::text AS name, c.relkind = 'm' AS mat,
            ARRAY(SELECT DISTINCT rn.nspname || '.' || rc.relname
                    FROM pg_rewrite rw JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid AND d.refclassid = 'pg_class'::regclass
                    JOIN pg_class rc ON rc.oid = d.refobjid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
                   WHERE rw.ev_class = c.oid AND d.refobjid <> c.oid AND rc.relkind IN ('r', 'p', 'v', 'm', 'f')) AS reads,
            ARRAY(SELECT DISTINCT kn.nspname || '.' || kc.relname
                    FROM pg_rewrite rw JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid AND d.refclassid = 'pg_constraint'::regclass
                    JOIN pg_constraint k ON k.oid = d.refobjid AND k.contype = 'p'
                    JOIN pg_class kc ON kc.oid = k.conrelid JOIN pg_namespace kn ON kn.oid = kc.relnamespace
                   WHERE rw.ev_class = c.oid) AS keyed
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('v', 'm') AND ${USER_NAMESPACE} AND ${notExtensionMember('pg_class', 'c.oid')}`,
  );
}

export type FunctionRow = { schema: string; name: string; provolatile: string; lanname: string; rettrigger: boolean };

/** Functions and procedures, in name and argument order. */
export function readFunctions(db: Queryable): Promise<FunctionRow[]> {
  return db.query<FunctionRow>(
    `SELECT n.nspname AS schema, p.proname::text AS name, p.provolatile::text AS provolatile, l.lanname::text AS lanname,
            p.prorettype = 'trigger'::regtype AS rettrigger
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
      WHERE ${USER_NAMESPACE} AND ${notExtensionMember('pg_proc', 'p.oid')} AND p.prokind IN ('f', 'p')
      ORDER BY n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)`,
  );
}

export type ExtensionRow = { name: string; schema: string };

/** Extensions, not the ones initdb installs (e.g. plpgsql, which pg_dump does not dump either). */
export function readExtensions(db: Queryable): Promise<ExtensionRow[]> {
  return db.query<ExtensionRow>(
    `SELECT e.extname::text AS name, n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.oid >= 16384 ORDER BY e.extname`,
  );
}
