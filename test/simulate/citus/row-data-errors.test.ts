/**
 * PostgreSQL's data errors on the rows a script puts in: each script runs
 * on a real PostgreSQL and through the model, statement by statement. Where
 * the model predicts an error it is PostgreSQL's (message, and DETAIL when
 * the model gives one); where PostgreSQL succeeds the model predicts no
 * error. In the cases made of literal rows the model predicts every error
 * PostgreSQL raises; in the soundness case (rows it cannot follow:
 * INSERT ... SELECT, a WHERE with a subquery, a trigger, a function, a
 * savepoint, ON CONFLICT, date/time inputs, triggers turned off) PostgreSQL
 * errors and the model predicts nothing.
 */
import { describe, expect, it } from 'vitest';
import { modelErrors, postgresErrors, usePostgres } from '../../support/pg-vs-model.js';

interface Case {
  readonly name: string;
  readonly sql: readonly string[];
  /** The model predicts every error PostgreSQL raises here, or none (rows it cannot follow). */
  readonly predicts: 'all' | 'none';
}

const CASES: readonly Case[] = [
  {
    name: 'unique and primary keys',
    predicts: 'all',
    sql: [
      'CREATE TABLE p (id int PRIMARY KEY, code text UNIQUE, flag boolean, n numeric);',
      "INSERT INTO p VALUES (1, 'a', true, 1.50), (2, 'b', false, 2);",
      "INSERT INTO p VALUES (1, 'c', true, 1);",
      "INSERT INTO p VALUES (3, 'a', true, 1);",
      "INSERT INTO p VALUES (3, NULL, true, 1), (4, NULL, true, 1);",
      "INSERT INTO p VALUES (5, 'e', 't', 1), (5, 'f', 'f', 1);",
      "INSERT INTO p VALUES ('06', 'g', 'yes', 1), (6, 'h', 'no', 1);",
      'CREATE TABLE pn (a int, b text, UNIQUE NULLS NOT DISTINCT (a, b));',
      'INSERT INTO pn VALUES (1, NULL);',
      'INSERT INTO pn VALUES (1, NULL);',
      'CREATE TABLE pp (id int, active boolean, num numeric(6,2));',
      'CREATE UNIQUE INDEX pp_active ON pp (id) WHERE active;',
      'CREATE UNIQUE INDEX pp_num ON pp (num);',
      'INSERT INTO pp VALUES (1, true, 1), (1, false, 2);',
      'INSERT INTO pp VALUES (1, true, 3);',
      'INSERT INTO pp VALUES (2, false, 1.0);',
      'INSERT INTO pp VALUES (2, false, -0.00);',
      'INSERT INTO pp VALUES (3, false, 0);',
      "INSERT INTO p (id, code) VALUES (7, 'a ');",
      "INSERT INTO p (id, code) VALUES (8, 'b');",
      'CREATE TABLE ex (a int, b int, EXCLUDE USING btree (a WITH =));',
      'INSERT INTO ex VALUES (1, 1);',
      'INSERT INTO ex VALUES (1, 2);',
      'INSERT INTO ex VALUES (NULL, 1), (NULL, 2);',
      'ALTER TABLE ex ADD CONSTRAINT ex_b EXCLUDE USING btree (b WITH =);',
      'CREATE TABLE al (id int, v int);',
      'INSERT INTO al VALUES (1, 1), (1, 2), (2, NULL);',
      'ALTER TABLE al ADD PRIMARY KEY (id);',
      'CREATE UNIQUE INDEX al_id ON al (id);',
      'CREATE UNIQUE INDEX ON al (v);',
      'ALTER TABLE al ADD CONSTRAINT v_pos CHECK (v > 1);',
      'CREATE TABLE alr (id int PRIMARY KEY);',
      'INSERT INTO alr VALUES (1);',
      'ALTER TABLE al ADD CONSTRAINT v_fk FOREIGN KEY (v) REFERENCES alr (id);',
      'DELETE FROM al WHERE v = 2;',
      'ALTER TABLE al ADD CONSTRAINT v_fk FOREIGN KEY (v) REFERENCES alr (id);',
      'ALTER TABLE al ALTER COLUMN v SET NOT NULL;',
      'ALTER TABLE al ADD CONSTRAINT v_big CHECK (v > 5) NOT VALID;',
      'ALTER TABLE al VALIDATE CONSTRAINT v_big;',
    ],
  },
  {
    name: 'NOT NULL and CHECK',
    predicts: 'all',
    sql: [
      "CREATE TABLE c (id int NOT NULL, name varchar(5) NOT NULL DEFAULT 'x', price numeric CHECK (price > 0), lo int, hi int, kind text CHECK (kind IN ('a', 'b')), CONSTRAINT range_ok CHECK (lo <= hi AND NOT (lo < 0)), CONSTRAINT between_ok CHECK (hi BETWEEN 0 AND 100 OR hi IS NULL));",
      'INSERT INTO c (id) VALUES (1);',
      'INSERT INTO c (id, name) VALUES (NULL, NULL);',
      'INSERT INTO c (id, name) VALUES (2, NULL);',
      'INSERT INTO c (id, price) VALUES (3, -1);',
      'INSERT INTO c (id, price) VALUES (3, NULL);',
      'INSERT INTO c (id, lo, hi) VALUES (4, 5, 1);',
      'INSERT INTO c (id, lo, hi) VALUES (4, -1, 1);',
      'INSERT INTO c (id, lo, hi) VALUES (4, 1, 101);',
      "INSERT INTO c (id, kind) VALUES (5, 'c');",
      "INSERT INTO c (id, kind) VALUES (5, 'a');",
      "INSERT INTO c (id, name) VALUES (6, 'toolong');",
      "INSERT INTO c (id, name) VALUES (6, 'five    ');",
      'INSERT INTO c (id, price) VALUES (7, 1 / 0);',
      'UPDATE c SET price = -5 WHERE id = 1;',
      'UPDATE c SET name = NULL WHERE id = 999;',
      'CREATE TABLE cb (ok boolean CHECK (ok));',
      "INSERT INTO cb VALUES (' ON ');",
      "INSERT INTO cb VALUES ('of');",
      "CREATE TABLE cr (x int CHECK (x > 0 OR '0.1'::real <> 0.1));",
      'INSERT INTO cr VALUES (-1);',
      'CREATE TABLE dz (y int CHECK (y = 0 OR 10 / y > 1), z int);',
      'INSERT INTO dz VALUES (0, 1), (5, 1);',
      'INSERT INTO dz VALUES (20, 1);',
      'DELETE FROM dz WHERE z = 0 AND 10 / y > 1;',
      'INSERT INTO dz VALUES (1, CASE WHEN false AND 1 / 0 = 1 THEN 1 ELSE 0 END);',
    ],
  },
  {
    name: 'foreign keys from both sides',
    predicts: 'all',
    sql: [
      'CREATE TABLE r (id int PRIMARY KEY, other int UNIQUE, note text);',
      "INSERT INTO r VALUES (1, 10, 'x'), (2, 20, 'y'), (3, 30, 'z');",
      'CREATE TABLE f (id int PRIMARY KEY, rid int REFERENCES r(id), oid int REFERENCES r(other) ON DELETE CASCADE ON UPDATE CASCADE);',
      'INSERT INTO f VALUES (1, 1, NULL), (2, NULL, 20);',
      'INSERT INTO f VALUES (3, 9, NULL);',
      'INSERT INTO f VALUES (3, NULL, 99);',
      'DELETE FROM r WHERE id = 1;',
      'DELETE FROM r WHERE id = 2;',
      'INSERT INTO f VALUES (2, 3, NULL);',
      'INSERT INTO f VALUES (4, 3, NULL);',
      "UPDATE r SET note = 'changed' WHERE id = 3;",
      'UPDATE r SET id = 33 WHERE id = 3;',
      'UPDATE f SET rid = 5 WHERE id = 4;',
      'DELETE FROM f WHERE id = 4;',
      'UPDATE r SET id = 33 WHERE id = 3;',
      'CREATE TABLE tree (id int PRIMARY KEY, parent int REFERENCES tree(id) ON DELETE CASCADE);',
      'INSERT INTO tree VALUES (1, NULL), (2, 1), (3, 2);',
      'INSERT INTO tree VALUES (4, 5);',
      'INSERT INTO tree VALUES (5, 4), (4, 5);',
      'CREATE TABLE leaf (id int PRIMARY KEY, tid int REFERENCES tree(id));',
      'INSERT INTO leaf VALUES (1, 3);',
      'DELETE FROM tree WHERE id = 1;',
      'DELETE FROM leaf;',
      'DELETE FROM tree WHERE id = 1;',
      'INSERT INTO tree VALUES (1, NULL);',
      'CREATE TABLE rr (id int PRIMARY KEY);',
      'CREATE TABLE rs (id int PRIMARY KEY, rid int REFERENCES rr(id) ON DELETE SET NULL, CHECK (rid IS NOT NULL OR id > 0));',
      'INSERT INTO rr VALUES (1);',
      'INSERT INTO rs VALUES (1, 1);',
      'DELETE FROM rr;',
      'INSERT INTO rs VALUES (2, 1);',
      'CREATE TABLE rx (id int PRIMARY KEY);',
      'CREATE TABLE ry (id int PRIMARY KEY, rid int REFERENCES rx(id) ON DELETE RESTRICT);',
      'INSERT INTO rx VALUES (1), (2);',
      'INSERT INTO ry VALUES (1, 1);',
      'DELETE FROM rx WHERE id IN (1, 2);',
      'DELETE FROM rx WHERE id = 2;',
      'CREATE TABLE dr (id int PRIMARY KEY);',
      'CREATE TABLE df (id int PRIMARY KEY, rid int REFERENCES dr(id) DEFERRABLE INITIALLY DEFERRED);',
      'INSERT INTO df VALUES (1, 1);',
      'BEGIN;',
      'INSERT INTO df VALUES (1, 1);',
      'INSERT INTO dr VALUES (1);',
      'COMMIT;',
      'INSERT INTO dr VALUES (1);',
      'CREATE TABLE mr (a int, b int, PRIMARY KEY (a, b));',
      'CREATE TABLE mf (a int, b int, FOREIGN KEY (a, b) REFERENCES mr MATCH FULL);',
      'INSERT INTO mf VALUES (NULL, NULL);',
      'INSERT INTO mf VALUES (1, NULL);',
      'INSERT INTO mf VALUES (1, 1);',
    ],
  },
  {
    name: 'UPDATE, DELETE and TRUNCATE followed',
    predicts: 'all',
    sql: [
      'CREATE TABLE u (id int PRIMARY KEY, v int);',
      'INSERT INTO u VALUES (1, 1), (2, 2), (3, 3);',
      'UPDATE u SET id = 10 WHERE v = 1;',
      'INSERT INTO u VALUES (10, 0);',
      'INSERT INTO u VALUES (1, 0);',
      'UPDATE u SET id = 2 WHERE id = 3;',
      'UPDATE u SET v = v * 10 WHERE id >= 2;',
      'DELETE FROM u WHERE v = 20;',
      'INSERT INTO u VALUES (2, 0);',
      'INSERT INTO u VALUES (3, 0);',
      'TRUNCATE u;',
      'INSERT INTO u VALUES (3, 0);',
      'BEGIN;',
      'INSERT INTO u VALUES (4, 0);',
      'ROLLBACK;',
      'INSERT INTO u VALUES (4, 0);',
      'BEGIN;',
      'INSERT INTO u VALUES (5, 0);',
      'INSERT INTO u VALUES (5, 0);',
      'COMMIT;',
      'INSERT INTO u VALUES (5, 0);',
      'ALTER TABLE u ADD COLUMN w int NOT NULL DEFAULT 7;',
      'ALTER TABLE u ADD CONSTRAINT w_small CHECK (w < 5) NOT VALID;',
      'INSERT INTO u (id, v) VALUES (6, 0);',
      'ALTER TABLE u DROP COLUMN v;',
      'ALTER TABLE u ADD COLUMN v int UNIQUE;',
      'INSERT INTO u (id, w, v) VALUES (7, 1, 0);',
    ],
  },
  {
    name: 'rows the model cannot follow: no prediction',
    predicts: 'none',
    sql: [
      'CREATE TABLE s (id int PRIMARY KEY, v int);',
      'INSERT INTO s SELECT g, g FROM generate_series(1, 3) g;',
      'INSERT INTO s VALUES (2, 0);',
      'INSERT INTO s VALUES (10, 0), (11, 0);',
      'DELETE FROM s WHERE id = (SELECT max(id) FROM s);',
      'INSERT INTO s VALUES (11, 0);',
      'WITH d AS (DELETE FROM s WHERE id = 10 RETURNING id) SELECT count(*) FROM d;',
      'INSERT INTO s VALUES (10, 0);',
      'CREATE FUNCTION drop_rows() RETURNS void LANGUAGE sql AS $$ DELETE FROM s $$;',
      'SELECT drop_rows();',
      'INSERT INTO s VALUES (10, 0);',
      'CREATE TABLE t (id int PRIMARY KEY);',
      "CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.id := NEW.id + 100; RETURN NEW; END $$;",
      'CREATE TRIGGER bump BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION bump();',
      'INSERT INTO t VALUES (1);',
      'INSERT INTO t VALUES (1);',
      'CREATE TABLE sp (id int PRIMARY KEY);',
      'BEGIN;',
      'SAVEPOINT a;',
      'INSERT INTO sp VALUES (1);',
      'ROLLBACK TO SAVEPOINT a;',
      'INSERT INTO sp VALUES (1);',
      'COMMIT;',
      'CREATE TABLE oc (id int PRIMARY KEY, v int);',
      'INSERT INTO oc VALUES (1, 1);',
      'INSERT INTO oc VALUES (1, 2), (2, 2) ON CONFLICT DO NOTHING;',
      'INSERT INTO oc VALUES (1, 3) ON CONFLICT (id) DO UPDATE SET id = 3;',
      'INSERT INTO oc VALUES (1, 4);',
      'CREATE TABLE dr (id int PRIMARY KEY);',
      'INSERT INTO dr VALUES (1);',
      'CREATE TABLE df (id int PRIMARY KEY, rid int REFERENCES dr(id) DEFERRABLE INITIALLY DEFERRED, u int UNIQUE DEFERRABLE INITIALLY DEFERRED);',
      'BEGIN;',
      'INSERT INTO df VALUES (1, 9, 1);',
      'COMMIT;',
      'INSERT INTO df VALUES (1, 1, 1);',
      'BEGIN;',
      'INSERT INTO df VALUES (2, 1, 1);',
      'COMMIT;',
      'INSERT INTO df VALUES (2, 1, 2);',
      'CREATE TABLE fl (x real CHECK (x > 0.1), y real UNIQUE);',
      'INSERT INTO fl VALUES (0.1, 0.1);',
      'INSERT INTO fl VALUES (1, 0.1000000001);',
      // double precision arithmetic is binary: 0.1 + 0.2 is not 0.3
      'CREATE TABLE fd (x float8 CHECK (x <> 0.3), y float8 UNIQUE);',
      "INSERT INTO fd VALUES ('0.1'::float8 + '0.2'::float8, 1);",
      "INSERT INTO fd VALUES (1, '0.1'::float8 * 3), (2, 0.3);",
      // a string beside an integer is read as an integer: '7.5' is no integer
      'CREATE TABLE fi (x int CHECK (x <> 3));',
      "INSERT INTO fi VALUES ('7.5' / 2);",
      'CREATE TABLE g (a int, c int GENERATED ALWAYS AS (a * 2) STORED UNIQUE);',
      'INSERT INTO g (a) VALUES (1), (2);',
      'UPDATE g SET a = 3 WHERE a = 1;',
      'INSERT INTO g (a) VALUES (3);',
      'CREATE TABLE tr (id int PRIMARY KEY);',
      'CREATE TABLE tf (id int REFERENCES tr (id));',
      'ALTER TABLE tf DISABLE TRIGGER ALL;',
      'INSERT INTO tf VALUES (5);',
      'ALTER TABLE tf ENABLE TRIGGER ALL;',
      'INSERT INTO tf VALUES (6);',
      "CREATE TABLE ts (at timestamptz PRIMARY KEY, d date UNIQUE);",
      "INSERT INTO ts VALUES ('now', 'today');",
      "INSERT INTO ts VALUES ('2020-01-01 00:00:00+00', '2020-01-01');",
      "INSERT INTO ts VALUES ('2020-01-01 01:00:00+01', '2020-1-2');",
    ],
  },
];

const client = usePostgres('rowerr');

describe('data errors on the rows a script holds', () => {
  for (const c of CASES) {
    it(`${c.name}: the model's errors are PostgreSQL's`, async () => {
      await client().query('DROP SCHEMA IF EXISTS rows_case CASCADE');
      const sql = ['CREATE SCHEMA rows_case;', 'SET search_path TO rows_case;', ...c.sql];
      const pg = (await postgresErrors(client(), sql)).slice(2);
      const model = modelErrors(sql).slice(2);
      await client().query('ROLLBACK').catch(() => undefined);
      let predicted = 0;
      for (const [i, stmt] of c.sql.entries()) {
        const got = model[i];
        if (!got) continue;
        predicted++;
        const want = pg[i];
        expect(want && { message: want.message, ...(got.detail ? { detail: want.detail } : {}) }, stmt).toEqual({ message: got.message, ...(got.detail ? { detail: got.detail } : {}) });
      }
      expect(predicted).toBe(c.predicts === 'all' ? pg.filter(Boolean).length : 0);
      if (c.predicts === 'none') expect(pg.filter(Boolean).length).toBeGreaterThan(0);
    });
  }
});
