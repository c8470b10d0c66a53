/**
 * The system-catalog queries for what hangs off the relations read:
 * constraints, indexes, triggers, policies, rules, partitioning and
 * inheritance, each a typed function returning typed rows (`rel` is the
 * relation's oid, as text).
 */
import type { Oid, Queryable } from './catalog-queries.js';

export type ConstraintRow = {
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
};

/** Primary keys, unique, foreign key, check and exclusion constraints. */
export function readConstraints(db: Queryable, relOids: Oid[]): Promise<ConstraintRow[]> {
  return db.query<ConstraintRow>(
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
}

export type IndexRow = {
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
  /** The whole CREATE INDEX statement, as pg_get_indexdef gives it. */
  def: string;
  /** The partitioned table's index this one is attached to. */
  attached_to: string | null;
};

/** Indexes, with each key's text (`defs`) and, from PostgreSQL 15 on, NULLS NOT DISTINCT. */
export function readIndexes(db: Queryable, relOids: Oid[], serverVersionNum: number): Promise<IndexRow[]> {
  const pg15 = serverVersionNum >= 150000;
  return db.query<IndexRow>(
    `SELECT i.indrelid::int8::text AS rel, i.indexrelid::int8::text AS oid, ic.relname::text AS name, i.indisunique, i.indnkeyatts::int AS indnkeyatts,
            i.indkey::int2[] AS indkey, am.amname::text AS amname, pg_get_expr(i.indpred, i.indrelid) AS pred,
            ${pg15 ? 'i.indnullsnotdistinct' : 'false'} AS nnd,
            ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, false) FROM generate_series(1, i.indnatts) k ORDER BY k) AS defs,
            pg_get_indexdef(i.indexrelid) AS def,
            (SELECT p.relname::text FROM pg_inherits h JOIN pg_class p ON p.oid = h.inhparent WHERE h.inhrelid = i.indexrelid) AS attached_to
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
      WHERE i.indrelid = ANY($1::oid[])`,
    [relOids],
  );
}

export type TriggerRow = { rel: Oid; tgname: string; tgtype: number; fn: string; isconstraint: boolean };

/** Triggers the user made (not the internal ones PostgreSQL makes, e.g. for a foreign key). */
export function readTriggers(db: Queryable, relOids: Oid[]): Promise<TriggerRow[]> {
  return db.query<TriggerRow>(
    `SELECT t.tgrelid::int8::text AS rel, t.tgname::text AS tgname, t.tgtype::int AS tgtype, CASE WHEN pn.nspname = 'pg_catalog' THEN p.proname::text ELSE pn.nspname || '.' || p.proname END AS fn, t.tgconstraint <> 0 AS isconstraint
       FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
      WHERE t.tgrelid = ANY($1::oid[]) AND NOT t.tgisinternal`,
    [relOids],
  );
}

export type PolicyRow = { rel: Oid; polname: string; polcmd: string; qual: string | null; wcheck: string | null };

export function readPolicies(db: Queryable, relOids: Oid[]): Promise<PolicyRow[]> {
  return db.query<PolicyRow>(
    `SELECT pol.polrelid::int8::text AS rel, pol.polname::text AS polname, pol.polcmd::text AS polcmd,
            pg_get_expr(pol.polqual, pol.polrelid) AS qual, pg_get_expr(pol.polwithcheck, pol.polrelid) AS wcheck
       FROM pg_policy pol WHERE pol.polrelid = ANY($1::oid[])`,
    [relOids],
  );
}

export type RuleRow = { rel: Oid; rulename: string };

/** Rewrite rules by name (not a view's `_RETURN`). */
export function readRules(db: Queryable, relOids: Oid[]): Promise<RuleRow[]> {
  return db.query<RuleRow>(
    `SELECT r.ev_class::int8::text AS rel, r.rulename::text AS rulename FROM pg_rewrite r WHERE r.ev_class = ANY($1::oid[]) AND r.rulename <> '_RETURN' ORDER BY r.rulename`,
    [relOids],
  );
}

export type PartitioningRow = { rel: Oid; partstrat: string; def: string };

/** A partitioned table's strategy and key (`pg_get_partkeydef`). */
export function readPartitioning(db: Queryable, relOids: Oid[]): Promise<PartitioningRow[]> {
  return db.query<PartitioningRow>(
    `SELECT p.partrelid::int8::text AS rel, p.partstrat::text AS partstrat, pg_get_partkeydef(p.partrelid) AS def FROM pg_partitioned_table p WHERE p.partrelid = ANY($1::oid[])`,
    [relOids],
  );
}

export type InheritanceRow = { rel: Oid; parent: Oid; seq: number };

/** Each relation's parents (a partition's one parent among them), in order. */
export function readInheritance(db: Queryable, relOids: Oid[]): Promise<InheritanceRow[]> {
  return db.query<InheritanceRow>(
    `SELECT i.inhrelid::int8::text AS rel, i.inhparent::int8::text AS parent, i.inhseqno AS seq FROM pg_inherits i WHERE i.inhrelid = ANY($1::oid[]) ORDER BY i.inhrelid, i.inhseqno`,
    [relOids],
  );
}
