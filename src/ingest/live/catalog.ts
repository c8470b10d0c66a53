/**
 * The Catalog read from a live database's system catalogs, in the same shape
 * and with the same values as `readSchema` gives for a `pg_dump --schema-only`
 * of that database (see docs/live.md for which fields compare exactly and how
 * expression texts are normalised).
 *
 * Every query runs inside the caller's read-only transaction with
 * `search_path = pg_catalog`, so `pg_get_expr`, `format_type` and regclass
 * print qualified names exactly as pg_dump does.
 *
 * Locations: a live object has no file; its location is
 * `{ file: 'db:<schema.name>', line: 0, column: 0 }`, naming the relation,
 * type or function it belongs to.
 */
import { nextvalSequence, splitQualified } from '../../catalog/builder.js';
import type {
  Catalog,
  CheckConstraint,
  Column,
  ExclusionConstraint,
  Extension,
  FkAction,
  ForeignKey,
  FunctionDef,
  Index,
  KeyConstraint,
  Location,
  Policy,
  Sequence,
  Table,
  Trigger,
  TypeDef,
  TypeRef,
  UniqueKey,
  View,
} from '../../catalog/model.js';
import { boundText, partitionKey } from '../../catalog/partitions.js';
import { isBuiltinType, isRangeType } from '../../catalog/types.js';
import type { Node } from '../pg/ast.js';
import { deparseNode, loadParser, nodeAs, parseSql, qualifiedKey, quoteIdent, type NodeBody, type NodeTag } from '../pg/index.js';

/** Anything that runs a query and returns rows: a LiveSession, or a test's wrapper. */
export interface Queryable {
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

export function liveLocation(key: string): Location {
  return { file: `db:${key}`, line: 0, column: 0 };
}

/** Namespaces that are never the user's. */
const USER_NAMESPACE = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;

function notExtensionMember(catalog: string, oidExpr: string): string {
  return `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${catalog}'::regclass AND e.objid = ${oidExpr} AND e.deptype = 'e')`;
}

const FK_ACTIONS: Record<string, FkAction> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };
const POLICY_COMMANDS: Record<string, string> = { '*': 'all', r: 'select', a: 'insert', w: 'update', d: 'delete' };

// ---------------------------------------------------------------- expression texts

/** The first statement `sql` parses to, when it has the given type. */
function firstStatement<K extends NodeTag>(sql: string, tag: K): NodeBody<K> | undefined {
  const r = parseSql(sql);
  return r.ok ? nodeAs(r.result.stmts?.[0]?.stmt, tag) : undefined;
}

/** The expression `text` parses to (as the first target of a SELECT). */
function parseExpression(text: string): Node | undefined {
  return nodeAs(firstStatement(`SELECT ${text}`, 'SelectStmt')?.targetList?.[0], 'ResTarget')?.val;
}

/** An expression as the dump reader prints it: parsed and deparsed by the same parser. */
export function normaliseExpression(text: string): string {
  const target = parseExpression(text);
  return target ? deparseNode(target) : text.trim();
}

function expressionHasSubquery(text: string | undefined): boolean {
  if (!text) return false;
  const r = parseSql(`SELECT ${text}`);
  return r.ok && JSON.stringify(r.result).includes('"SubLink"');
}

/** Typmods of a type name as format_type() prints it, read the way the dump reader reads them. */
function typmodsOf(display: string): number[] {
  const tn = nodeAs(parseExpression(`NULL::${display}`), 'TypeCast')?.typeName;
  return (tn?.typmods ?? []).map((m) => nodeAs(m, 'A_Const')?.ival?.ival ?? 0);
}

/** `FOR VALUES ...` / `DEFAULT`, printed as the dump reader prints a partition bound; the text as it came when it does not parse. */
function normaliseBound(text: string): string {
  const pb = firstStatement(`CREATE TABLE x PARTITION OF y ${text}`, 'CreateStmt')?.partbound;
  return (pb && boundText(pb)) || text;
}

/** The key columns and expressions of `pg_get_partkeydef` text, as the dump reader reads PARTITION BY. */
function partitionKeyOf(def: string): Pick<NonNullable<Table['partitionBy']>, 'columns' | 'expressions'> {
  const ps = firstStatement(`CREATE TABLE x (a int) PARTITION BY ${def}`, 'CreateStmt')?.partspec;
  if (!ps) return { columns: [], expressions: [] };
  const { columns, expressions } = partitionKey(ps);
  return { columns, expressions };
}

// ---------------------------------------------------------------- rows

type Oid = string;

interface TypeRow extends Record<string, unknown> {
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
}

class TypeResolver {
  constructor(private readonly types: Map<Oid, TypeRow>) {}

  private isArray(t: TypeRow): boolean {
    return t.typelem !== '0' && t.typlen === -1 && t.typtype === 'b';
  }

  /** True for the types the dump reader defines itself (CREATE TYPE enum/range/composite, CREATE DOMAIN). */
  private known(t: TypeRow): boolean {
    if (t.nspname === 'pg_catalog' || t.ext) return false;
    return t.typtype === 'e' || t.typtype === 'd' || t.typtype === 'r' || (t.typtype === 'c' && t.relkind === 'c');
  }

  private key(t: TypeRow): string {
    return qualifiedKey(t.nspname, t.typname);
  }

  /** The dump reader's `base`: domains resolved, array element taken, internal name. */
  base(oid: Oid, display: string): string {
    let t = this.types.get(oid);
    for (let guard = 0; t && guard < 20; guard++) {
      if (t.typtype === 'd' && this.known(t)) t = this.types.get(t.typbasetype);
      else if (this.isArray(t)) t = this.types.get(t.typelem);
      else break;
    }
    if (!t) return stripType(display);
    return this.nameOf(t, display);
  }

  private nameOf(t: TypeRow, display: string): string {
    if (t.nspname === 'pg_catalog' && isBuiltinType(t.typname)) return t.typname;
    if (this.known(t)) return this.key(t);
    return stripType(display);
  }

  ref(oid: Oid, display: string): TypeRef {
    const t = this.types.get(oid);
    if (!t) return { display, name: stripType(display), typmods: [], arrayDims: 0, base: stripType(display), kind: 'unknown' };
    const array = this.isArray(t);
    const elem = array ? this.types.get(t.typelem) ?? t : t;
    const arrayDims = array ? 1 : 0;
    const typmods = typmodsOf(display);
    if (elem.nspname === 'pg_catalog' && isBuiltinType(elem.typname)) {
      return { display, name: elem.typname, typmods, arrayDims, base: elem.typname, kind: isRangeType(elem.typname) ? 'range' : 'base' };
    }
    if (this.known(elem)) {
      const key = this.key(elem);
      const shown = (elem.nspname === 'public' ? quoteIdent(elem.typname) : `${quoteIdent(elem.nspname)}.${quoteIdent(elem.typname)}`) + '[]'.repeat(arrayDims);
      const kind = elem.typtype === 'e' ? 'enum' : elem.typtype === 'd' ? 'domain' : elem.typtype === 'r' ? 'range' : 'composite';
      return { display: shown, name: key, typmods, arrayDims, base: this.base(elem.oid, display), kind };
    }
    // An extension's type, a base type made with CREATE TYPE, a table's row type: kept as printed.
    const name = stripType(display);
    return { display, name, typmods, arrayDims, base: name, kind: 'unknown' };
  }
}

/** `public.geometry(Point,4326)[]` -> `public.geometry`. */
function stripType(display: string): string {
  return display.replace(/\[\]/g, '').replace(/\(.*\)$/, '').replace(/"/g, '');
}

function ids(rows: Array<{ oid: Oid }>): Oid[] {
  return rows.map((r) => r.oid);
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function sortedRecord<T>(m: Map<string, T>): Record<string, T> {
  return Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Postgres arrays come back as JS arrays for known element types; `int2vector` casts are done in SQL. */
function nums(v: unknown): number[] {
  return Array.isArray(v) ? v.map(Number) : [];
}

// ---------------------------------------------------------------- the reader

export interface LiveCatalogOptions {
  /** server_version_num; queries use columns that exist on this version. Read from the server when omitted. */
  readonly serverVersionNum?: number;
}

/** Read the user's schema from the system catalogs. */
export async function readLiveCatalog(db: Queryable, options: LiveCatalogOptions = {}): Promise<Catalog> {
  await loadParser();
  const version = options.serverVersionNum ?? Number((await db.query<{ n: string }>(`SELECT current_setting('server_version_num') AS n`))[0].n);
  const pg15 = version >= 150000;
  const pg13 = version >= 130000;

  // ---- schemas
  const schemaRows = await db.query<{ nspname: string }>(
    `SELECT n.nspname FROM pg_namespace n WHERE ${USER_NAMESPACE} AND ${notExtensionMember('pg_namespace', 'n.oid')}`,
  );
  const schemas = [...new Set(['public', ...schemaRows.map((r) => r.nspname)])].sort();

  // ---- relations
  const tableRows = await db.query<{
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
  }>(
    `SELECT c.oid::int8::text AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind, c.relpersistence::text AS relpersistence,
            c.relrowsecurity, c.relforcerowsecurity, c.relreplident::text AS relreplident, am.amname::text AS amname, c.relispartition,
            CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS bound
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_am am ON am.oid = c.relam
      WHERE c.relkind IN ('r', 'p', 'f') AND ${USER_NAMESPACE} AND ${notExtensionMember('pg_class', 'c.oid')}
      ORDER BY n.nspname, c.relname`,
  );
  const relOids = ids(tableRows);
  const keyOf = new Map<Oid, string>(tableRows.map((r) => [r.oid, qualifiedKey(r.schema, r.name)]));

  // ---- columns
  const columnRows = await db.query<{
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
  }>(
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
  const attName = new Map<string, string>(columnRows.map((r) => [`${r.rel}:${r.attnum}`, r.attname]));
  const nameOfAtt = async (rel: Oid, attnum: number): Promise<string> => {
    const k = `${rel}:${attnum}`;
    if (!attName.has(k)) {
      const r = await db.query<{ attname: string }>(`SELECT attname::text AS attname FROM pg_attribute WHERE attrelid = $1::oid AND attnum = $2`, [rel, attnum]);
      attName.set(k, r[0]?.attname ?? `#${attnum}`);
    }
    return attName.get(k)!;
  };

  // ---- types: every type a column or domain uses, with element and base types
  const userTypeRows = await db.query<{
    oid: Oid;
    nspname: string;
    typname: string;
    typtype: string;
    basetype: Oid;
    basedisplay: string | null;
    labels: string[] | null;
  }>(
    `SELECT t.oid::int8::text AS oid, n.nspname, t.typname::text AS typname, t.typtype::text AS typtype, t.typbasetype::int8::text AS basetype,
            CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS basedisplay,
            CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END AS labels
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_class rc ON rc.oid = t.typrelid
      WHERE ${USER_NAMESPACE} AND ${notExtensionMember('pg_type', 't.oid')}
        AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND rc.relkind = 'c'))
      ORDER BY n.nspname, t.typname`,
  );
  const typeSeeds = [...new Set([...columnRows.map((r) => r.typid), ...userTypeRows.map((r) => r.oid), ...userTypeRows.map((r) => r.basetype)])];
  const typeInfo = await db.query<TypeRow>(
    `WITH RECURSIVE ty(oid) AS (
        SELECT unnest($1::oid[])
        UNION
        SELECT v.x FROM ty JOIN pg_type t ON t.oid = ty.oid, LATERAL (VALUES (t.typelem), (t.typbasetype)) v(x) WHERE v.x <> 0)
     SELECT t.oid::int8::text AS oid, n.nspname, t.typname::text AS typname, t.typtype::text AS typtype, t.typelem::int8::text AS typelem,
            t.typlen::int AS typlen, t.typbasetype::int8::text AS typbasetype, t.typtypmod, rc.relkind::text AS relkind,
            EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e') AS ext
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_class rc ON rc.oid = t.typrelid
      WHERE t.oid IN (SELECT oid FROM ty)`,
    [typeSeeds],
  );
  const resolver = new TypeResolver(new Map(typeInfo.map((t) => [t.oid, t])));

  // ---- sequences and what owns them
  const seqRows = await db.query<{ oid: Oid; schema: string; name: string; dtype: string }>(
    `SELECT c.oid::int8::text AS oid, n.nspname AS schema, c.relname::text AS name, format_type(s.seqtypid, NULL) AS dtype
       FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${USER_NAMESPACE} AND ${notExtensionMember('pg_class', 'c.oid')}
      ORDER BY n.nspname, c.relname`,
  );
  const ownerRows = await db.query<{ seq: Oid; rel: Oid; attnum: number; deptype: string }>(
    `SELECT d.objid::int8::text AS seq, d.refobjid::int8::text AS rel, d.refobjsubid AS attnum, d.deptype::text AS deptype
       FROM pg_depend d JOIN pg_class sc ON sc.oid = d.objid AND sc.relkind = 'S'
      WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0`,
  );
  const seqKeyOf = new Map(seqRows.map((s) => [s.oid, qualifiedKey(s.schema, s.name)]));
  const sequences = new Map<string, Sequence>();
  const identitySeq = new Map<string, string>(); // rel:attnum -> sequence key
  const ownedBy = new Map<Oid, { table: string; column: string }>();
  for (const o of ownerRows) {
    const table = keyOf.get(o.rel);
    const seqKey = seqKeyOf.get(o.seq);
    if (!table || !seqKey) continue;
    ownedBy.set(o.seq, { table, column: await nameOfAtt(o.rel, o.attnum) });
    if (o.deptype === 'i') identitySeq.set(`${o.rel}:${o.attnum}`, seqKey);
  }
  for (const s of seqRows) {
    const key = qualifiedKey(s.schema, s.name);
    const owner = ownedBy.get(s.oid);
    sequences.set(key, { key, schema: s.schema, name: s.name, dataType: s.dtype, ...(owner ? { ownedBy: owner } : {}), location: liveLocation(key) });
  }

  // ---- constraints
  const conRows = await db.query<{
    rel: Oid;
    conname: string;
    contype: string;
    conkey: number[] | null;
    confkey: number[] | null;
    confrel: Oid;
    confupdtype: string;
    confdeltype: string;
    confmatchtype: string;
    condeferrable: boolean;
    condeferred: boolean;
    convalidated: boolean;
    connoinherit: boolean;
    indid: Oid;
    parentrel: Oid | null;
    checkexpr: string | null;
    exclops: string[] | null;
  }>(
    `SELECT con.conrelid::int8::text AS rel, con.conname::text AS conname, con.contype::text AS contype, con.conkey, con.confkey,
            con.confrelid::int8::text AS confrel, con.confupdtype::text AS confupdtype, con.confdeltype::text AS confdeltype,
            con.confmatchtype::text AS confmatchtype, con.condeferrable, con.condeferred, con.convalidated, con.connoinherit,
            con.conindid::int8::text AS indid,
            (SELECT p.conrelid::int8::text FROM pg_constraint p WHERE p.oid = con.conparentid) AS parentrel,
            CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid) END AS checkexpr,
            CASE WHEN con.contype = 'x' THEN ARRAY(SELECT o.oprname::text FROM unnest(con.conexclop) WITH ORDINALITY k(op, i) JOIN pg_operator o ON o.oid = k.op ORDER BY k.i) END AS exclops
       FROM pg_constraint con
      WHERE con.conrelid = ANY($1::oid[]) AND con.contype IN ('p', 'u', 'f', 'c', 'x')`,
    [relOids],
  );

  // ---- indexes
  const indexRows = await db.query<{
    rel: Oid;
    oid: Oid;
    name: string;
    indisunique: boolean;
    indnkeyatts: number;
    indkey: number[];
    amname: string;
    pred: string | null;
    nnd: boolean;
    defs: string[];
  }>(
    `SELECT i.indrelid::int8::text AS rel, i.indexrelid::int8::text AS oid, ic.relname::text AS name, i.indisunique, i.indnkeyatts::int AS indnkeyatts,
            i.indkey::int2[] AS indkey, am.amname::text AS amname, pg_get_expr(i.indpred, i.indrelid) AS pred,
            ${pg15 ? 'i.indnullsnotdistinct' : 'false'} AS nnd,
            ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, false) FROM generate_series(1, i.indnatts) k ORDER BY k) AS defs
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
      WHERE i.indrelid = ANY($1::oid[])`,
    [relOids],
  );

  // ---- triggers, policies, rules, partitioning, inheritance
  const triggerRows = await db.query<{ rel: Oid; tgname: string; tgtype: number; fn: string; isconstraint: boolean }>(
    `SELECT t.tgrelid::int8::text AS rel, t.tgname::text AS tgname, t.tgtype::int AS tgtype, CASE WHEN pn.nspname = 'pg_catalog' THEN p.proname::text ELSE pn.nspname || '.' || p.proname END AS fn, t.tgconstraint <> 0 AS isconstraint
       FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
      WHERE t.tgrelid = ANY($1::oid[]) AND NOT t.tgisinternal`,
    [relOids],
  );
  const policyRows = await db.query<{ rel: Oid; polname: string; polcmd: string; qual: string | null; wcheck: string | null }>(
    `SELECT pol.polrelid::int8::text AS rel, pol.polname::text AS polname, pol.polcmd::text AS polcmd,
            pg_get_expr(pol.polqual, pol.polrelid) AS qual, pg_get_expr(pol.polwithcheck, pol.polrelid) AS wcheck
       FROM pg_policy pol WHERE pol.polrelid = ANY($1::oid[])`,
    [relOids],
  );
  const ruleRows = await db.query<{ rel: Oid; rulename: string }>(
    `SELECT r.ev_class::int8::text AS rel, r.rulename::text AS rulename FROM pg_rewrite r WHERE r.ev_class = ANY($1::oid[]) AND r.rulename <> '_RETURN' ORDER BY r.rulename`,
    [relOids],
  );
  const partRows = await db.query<{ rel: Oid; partstrat: string; def: string }>(
    `SELECT p.partrelid::int8::text AS rel, p.partstrat::text AS partstrat, pg_get_partkeydef(p.partrelid) AS def FROM pg_partitioned_table p WHERE p.partrelid = ANY($1::oid[])`,
    [relOids],
  );
  const inhRows = await db.query<{ rel: Oid; parent: Oid; seq: number }>(
    `SELECT i.inhrelid::int8::text AS rel, i.inhparent::int8::text AS parent, i.inhseqno AS seq FROM pg_inherits i WHERE i.inhrelid = ANY($1::oid[]) ORDER BY i.inhrelid, i.inhseqno`,
    [relOids],
  );
  void pg13;

  // ---- assemble tables
  const group = <R extends { rel: Oid }>(rows: R[]) => {
    const m = new Map<Oid, R[]>();
    for (const r of rows) {
      const list = m.get(r.rel);
      if (list) list.push(r);
      else m.set(r.rel, [r]);
    }
    return m;
  };
  const colsBy = group(columnRows);
  const consBy = group(conRows);
  const idxBy = group(indexRows);
  const trgBy = group(triggerRows);
  const polBy = group(policyRows);
  const ruleBy = group(ruleRows);
  const partBy = new Map(partRows.map((p) => [p.rel, p]));
  const inhBy = group(inhRows);
  const indexById = new Map(indexRows.map((i) => [i.oid, i]));

  const tables = new Map<string, Table>();
  for (const r of tableRows) {
    const key = keyOf.get(r.oid)!;
    const location = liveLocation(key);
    const columns: Column[] = [];
    for (const c of colsBy.get(r.oid) ?? []) {
      const col: Record<string, unknown> = {
        name: c.attname,
        type: resolver.ref(c.typid, c.display),
        notNull: c.attnotnull,
      };
      if (c.expr !== null && !c.attgenerated) {
        col.default = normaliseExpression(c.expr);
        const node = parseExpression(c.expr);
        const seq = node ? nextvalSequence(node) : undefined;
        if (seq) {
          const parts = splitQualified(seq);
          col.defaultSequence = parts.length > 1 ? qualifiedKey(parts[parts.length - 2], parts[parts.length - 1]) : qualifiedKey('public', parts[0]);
        }
      }
      if (c.attidentity === 'a' || c.attidentity === 'd') {
        col.identity = { kind: c.attidentity === 'a' ? 'always' : 'by default', sequence: identitySeq.get(`${r.oid}:${c.attnum}`) ?? '' };
      }
      if (c.attgenerated && c.expr !== null) {
        col.generated = { kind: c.attgenerated === 'v' ? 'virtual' : 'stored', expression: normaliseExpression(c.expr) };
      }
      const seq = col.defaultSequence ? sequences.get(col.defaultSequence as string) : undefined;
      col.serial = !!seq && seq.ownedBy?.table === key && seq.ownedBy.column === c.attname;
      if (c.collation) col.collation = c.collation;
      col.location = location;
      columns.push(col as unknown as Column);
    }

    let primaryKey: KeyConstraint | undefined;
    const uniques: UniqueKey[] = [];
    const checks: CheckConstraint[] = [];
    const exclusions: ExclusionConstraint[] = [];
    const foreignKeys: ForeignKey[] = [];
    const constraintOfIndex = new Map<Oid, string>();
    const names = async (rel: Oid, keys: number[] | null) => Promise.all(nums(keys).map((k) => nameOfAtt(rel, k)));
    const includeOf = async (indid: Oid) => {
      const idx = indexById.get(indid);
      return idx ? Promise.all(idx.indkey.slice(idx.indnkeyatts).map((k) => nameOfAtt(r.oid, k))) : [];
    };
    for (const con of consBy.get(r.oid) ?? []) {
      switch (con.contype) {
        case 'p':
          constraintOfIndex.set(con.indid, con.conname);
          primaryKey = { name: con.conname, columns: await names(r.oid, con.conkey), include: await includeOf(con.indid), deferrable: con.condeferrable, location };
          break;
        case 'u': {
          constraintOfIndex.set(con.indid, con.conname);
          const idx = indexById.get(con.indid);
          uniques.push({
            name: con.conname,
            source: 'constraint',
            columns: await names(r.oid, con.conkey),
            expressions: [],
            include: await includeOf(con.indid),
            nullsNotDistinct: !!idx?.nnd,
            deferrable: con.condeferrable,
            location,
          });
          break;
        }
        case 'c':
          checks.push({ name: con.conname, expression: normaliseExpression(con.checkexpr ?? ''), noInherit: con.connoinherit, notValid: !con.convalidated, location });
          break;
        case 'f': {
          // A clone PostgreSQL makes on the referencing table for each partition of a partitioned referenced table: not a constraint of its own.
          if (con.parentrel === r.oid) break;
          const refTable = keyOf.get(con.confrel) ?? (await relationKey(db, con.confrel));
          foreignKeys.push({
            name: con.conname,
            columns: await names(r.oid, con.conkey),
            refTable,
            refColumns: await names(con.confrel, con.confkey),
            onDelete: FK_ACTIONS[con.confdeltype] ?? 'no action',
            onUpdate: FK_ACTIONS[con.confupdtype] ?? 'no action',
            match: con.confmatchtype === 'f' ? 'full' : con.confmatchtype === 'p' ? 'partial' : 'simple',
            deferrable: con.condeferrable,
            initiallyDeferred: con.condeferred,
            notValid: !con.convalidated,
            location,
          });
          break;
        }
        case 'x': {
          constraintOfIndex.set(con.indid, con.conname);
          const idx = indexById.get(con.indid);
          const elements: ExclusionConstraint['elements'] = [];
          const keys = idx ? idx.indkey.slice(0, idx.indnkeyatts) : [];
          for (let i = 0; i < keys.length; i++) {
            const operator = con.exclops?.[i] ?? '';
            if (keys[i] !== 0) elements.push({ column: await nameOfAtt(r.oid, keys[i]), operator });
            else elements.push({ expression: normaliseExpression(idx!.defs[i] ?? ''), operator });
          }
          exclusions.push({
            name: con.conname,
            method: idx?.amname ?? 'gist',
            elements,
            ...(idx?.pred ? { where: normaliseExpression(idx.pred) } : {}),
            location,
          });
          break;
        }
        default:
          break;
      }
    }

    const indexes: Index[] = [];
    for (const idx of idxBy.get(r.oid) ?? []) {
      const columnsOf: Array<string | null> = [];
      const expressions: string[] = [];
      for (let i = 0; i < idx.indnkeyatts; i++) {
        const k = idx.indkey[i];
        if (k !== 0) columnsOf.push(await nameOfAtt(r.oid, k));
        else {
          columnsOf.push(null);
          expressions.push(normaliseExpression(idx.defs[i] ?? ''));
        }
      }
      const include = await Promise.all(idx.indkey.slice(idx.indnkeyatts).map((k) => nameOfAtt(r.oid, k)));
      const where = idx.pred ? normaliseExpression(idx.pred) : undefined;
      const constraint = constraintOfIndex.get(idx.oid);
      indexes.push({
        name: idx.name,
        unique: idx.indisunique,
        method: idx.amname,
        columns: columnsOf,
        expressions,
        include,
        ...(where !== undefined ? { where } : {}),
        ...(constraint ? { constraint } : {}),
        location,
      });
      if (idx.indisunique && !constraint) {
        uniques.push({
          name: idx.name,
          source: 'index',
          columns: columnsOf,
          expressions,
          include,
          ...(where !== undefined ? { where } : {}),
          nullsNotDistinct: idx.nnd,
          deferrable: false,
          location,
        });
      }
    }

    const triggers: Trigger[] = (trgBy.get(r.oid) ?? []).map((t) => {
      const bits = t.tgtype;
      const events: Trigger['events'] = [];
      if (bits & 4) events.push('insert');
      if (bits & 8) events.push('delete');
      if (bits & 16) events.push('update');
      if (bits & 32) events.push('truncate');
      return {
        name: t.tgname,
        timing: bits & 2 ? 'before' : bits & 64 ? 'instead of' : 'after',
        events,
        level: bits & 1 ? 'row' : 'statement',
        function: t.fn,
        constraint: t.isconstraint,
        location,
      };
    });

    const policies: Policy[] = (polBy.get(r.oid) ?? []).map((p) => ({
      name: p.polname,
      command: POLICY_COMMANDS[p.polcmd] ?? p.polcmd,
      ...(p.qual !== null ? { using: normaliseExpression(p.qual) } : {}),
      ...(p.wcheck !== null ? { check: normaliseExpression(p.wcheck) } : {}),
      hasSubquery: expressionHasSubquery(p.qual ?? undefined) || expressionHasSubquery(p.wcheck ?? undefined),
      location,
    }));

    const part = partBy.get(r.oid);
    const parents = (inhBy.get(r.oid) ?? []).map((i) => keyOf.get(i.parent)).filter((k): k is string => !!k);
    const table: Record<string, unknown> = {
      key,
      schema: r.schema,
      name: r.name,
      relkind: r.relkind === 'p' ? 'partitioned' : r.relkind === 'f' ? 'foreign' : 'table',
      persistence: r.relpersistence === 'u' ? 'unlogged' : r.relpersistence === 't' ? 'temporary' : 'permanent',
      columns,
      ...(primaryKey ? { primaryKey } : {}),
      uniques: uniques.sort(byName),
      checks: checks.sort(byName),
      exclusions: exclusions.sort(byName),
      foreignKeys: foreignKeys.sort(byName),
      indexes: indexes.sort(byName),
      triggers: triggers.sort(byName),
      policies: policies.sort(byName),
      rules: (ruleBy.get(r.oid) ?? []).map((x) => x.rulename),
    };
    if (part) {
      const strategy = part.partstrat === 'l' ? 'list' : part.partstrat === 'h' ? 'hash' : 'range';
      table.partitionBy = { strategy, ...partitionKeyOf(part.def) };
    }
    if (r.relispartition && parents[0]) table.partitionOf = { parent: parents[0], bound: normaliseBound(r.bound ?? '') };
    table.inherits = r.relispartition ? [] : parents;
    if (r.amname && r.amname !== 'heap') table.accessMethod = r.amname;
    table.rowSecurity = r.relrowsecurity || r.relforcerowsecurity;
    if (r.relreplident && r.relreplident !== 'd') table.replicaIdentity = r.relreplident;
    table.location = location;
    tables.set(key, table as unknown as Table);
  }

  // ---- views
  const viewRows = await db.query<{ schema: string; name: string; mat: boolean; reads: string[] }>(
    `SELECT n.nspname AS schema, c.relname::text AS name, c.relkind = 'm' AS mat,
            ARRAY(SELECT DISTINCT rn.nspname || '.' || rc.relname
                    FROM pg_rewrite rw JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid AND d.refclassid = 'pg_class'::regclass
                    JOIN pg_class rc ON rc.oid = d.refobjid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
                   WHERE rw.ev_class = c.oid AND d.refobjid <> c.oid AND rc.relkind IN ('r', 'p', 'v', 'm', 'f')) AS reads
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('v', 'm') AND ${USER_NAMESPACE} AND ${notExtensionMember('pg_class', 'c.oid')}`,
  );
  const views = new Map<string, View>();
  for (const v of viewRows) {
    const key = qualifiedKey(v.schema, v.name);
    views.set(key, { key, schema: v.schema, name: v.name, materialized: v.mat, reads: [...v.reads].sort(), location: liveLocation(key) });
  }

  // ---- types
  const types = new Map<string, TypeDef>();
  for (const t of userTypeRows) {
    const key = qualifiedKey(t.nspname, t.typname);
    const kind: TypeDef['kind'] = t.typtype === 'e' ? 'enum' : t.typtype === 'd' ? 'domain' : t.typtype === 'r' ? 'range' : 'composite';
    types.set(key, {
      key,
      schema: t.nspname,
      name: t.typname,
      kind,
      ...(kind === 'enum' ? { labels: t.labels ?? [] } : {}),
      ...(kind === 'domain' ? { baseType: resolver.ref(t.basetype, t.basedisplay ?? '') } : {}),
      location: liveLocation(key),
    });
  }

  // ---- functions (overloads share one entry; the last in name/argument order wins, as in a dump)
  const fnRows = await db.query<{ schema: string; name: string; provolatile: string; lanname: string; rettrigger: boolean }>(
    `SELECT n.nspname AS schema, p.proname::text AS name, p.provolatile::text AS provolatile, l.lanname::text AS lanname,
            p.prorettype = 'trigger'::regtype AS rettrigger
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
      WHERE ${USER_NAMESPACE} AND ${notExtensionMember('pg_proc', 'p.oid')} AND p.prokind IN ('f', 'p')
      ORDER BY n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)`,
  );
  const functions = new Map<string, FunctionDef>();
  for (const f of fnRows) {
    const key = qualifiedKey(f.schema, f.name);
    functions.set(key, {
      key,
      volatility: f.provolatile === 'i' ? 'immutable' : f.provolatile === 's' ? 'stable' : 'volatile',
      language: f.lanname,
      returnsTrigger: f.rettrigger,
      location: liveLocation(key),
    });
  }

  // ---- extensions (not the ones initdb installs, e.g. plpgsql, which pg_dump does not dump either)
  const extRows = await db.query<{ name: string; schema: string }>(
    `SELECT e.extname::text AS name, n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.oid >= 16384 ORDER BY e.extname`,
  );
  const extensions: Extension[] = extRows.map((e) => ({ name: e.name, schema: e.schema, location: liveLocation(e.name) }));

  return {
    schemas,
    tables: sortedRecord(tables),
    views: sortedRecord(views),
    sequences: sortedRecord(sequences),
    types: sortedRecord(types),
    functions: sortedRecord(functions),
    extensions,
    skipped: [],
    diagnostics: [],
    data: [],
    files: [],
  };
}

async function relationKey(db: Queryable, oid: Oid): Promise<string> {
  const r = await db.query<{ k: string }>(`SELECT n.nspname || '.' || c.relname AS k FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1::oid`, [oid]);
  return r[0]?.k ?? `#${oid}`;
}
