/**
 * Values for GENERATED ALWAYS identity columns and generated columns, refused
 * by PostgreSQL's rewriter before any planner: the same statements on a real
 * PostgreSQL and on the model give the same errors, with DETAIL and HINT.
 */
import { describe, expect, it } from 'vitest';
import { modelErrors, postgresErrors, usePostgres } from '../../support/pg-vs-model.js';

const STATEMENTS = [
  'CREATE TABLE color (color_id bigint GENERATED ALWAYS AS IDENTITY, name text, upper_name text GENERATED ALWAYS AS (upper(name)) STORED);',
  "INSERT INTO color (name) VALUES ('red');",
  "INSERT INTO color (color_id, name) VALUES (1, 'blue');",
  "INSERT INTO color (color_id, name) VALUES (DEFAULT, 'blue'), (DEFAULT, 'green');",
  "INSERT INTO color (color_id, name) VALUES (DEFAULT, 'blue'), (2, 'green');",
  "INSERT INTO color (color_id, name) OVERRIDING SYSTEM VALUE VALUES (5, 'black');",
  "INSERT INTO color (name, upper_name) VALUES ('x', 'X');",
  "INSERT INTO color VALUES (DEFAULT, 'y', DEFAULT);",
  'INSERT INTO color (color_id, name) SELECT 7, name FROM color;',
  'UPDATE color SET color_id = 10;',
  'UPDATE color SET color_id = DEFAULT;',
  "UPDATE color SET upper_name = 'Z';",
  "UPDATE color SET name = 'z';",
];

const client = usePostgres('genid');

describe('GENERATED ALWAYS columns', () => {
  it('take DEFAULT only, as PostgreSQL says', async () => {
    const pg = await postgresErrors(client(), STATEMENTS);
    expect(modelErrors(STATEMENTS)).toEqual(pg);
    expect(pg.filter(Boolean).length).toBeGreaterThanOrEqual(6);
  });
});
