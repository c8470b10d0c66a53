/**
 * Statements the model does not know come back as `not-modelled`, with the
 * reason, instead of a silent `ok`: a statement kind shardwise does not
 * understand, and a DO block that runs dynamic SQL, changes rows or calls
 * functions that change things. A DO block that only looks (shardwise's
 * own preflight checks) is modelled: it changes nothing.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/catalog/index.js';
import { loadParser, readScript } from '../../../src/ingest/pg/index.js';
import { simulateScript } from '../../../src/simulate/citus/index.js';
import { runCli } from '../../lint/support.js';

beforeAll(async () => {
  await loadParser();
});

const SCHEMA = 'CREATE TABLE t (id bigint PRIMARY KEY, a int);\nCREATE FUNCTION touch() RETURNS void LANGUAGE sql AS $$UPDATE t SET a = 0$$;\n';

function outcomes(sql: string) {
  const { catalog } = buildCatalog([{ file: 's.sql', text: SCHEMA }]);
  return simulateScript(catalog, readScript('m.sql', sql), { citus: '13.2' }).steps.map((s) => ({ outcome: s.outcome, reason: s.reason }));
}

describe('not modelled', () => {
  it('a statement kind shardwise does not understand', () => {
    const [server, tablespace] = outcomes("ALTER SERVER remote OPTIONS (SET host 'elsewhere');\nDROP TABLESPACE ts;\n");
    expect(server.outcome).toBe('not-modelled');
    expect(server.reason).toMatch(/^AlterForeignServerStmt is not modelled/);
    // one whose bearing is known is modelled: a tablespace does not affect distribution
    expect(tablespace).toEqual({ outcome: 'ok', reason: undefined });
  });

  it('DO blocks: checks are modelled, anything that may change the schema or Citus is not', () => {
    const steps = outcomes(
      [
        "DO $$DECLARE n int; BEGIN SELECT count(*) INTO n FROM t WHERE a IS NULL; IF n > 0 THEN RAISE EXCEPTION 'nulls: %', n; END IF; END$$;",
        "DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_dist_node WHERE groupid = 0) THEN RAISE EXCEPTION 'no coordinator'; END IF; END$$;",
        "DO $$BEGIN EXECUTE 'DROP TABLE t'; END$$;",
        "DO $$BEGIN PERFORM create_distributed_table('t', 'id'); END$$;",
        'DO $$BEGIN UPDATE t SET a = 1; END$$;',
        'DO $$BEGIN PERFORM touch(); END$$;',
        'DO $$BEGIN WITH x AS (DELETE FROM t RETURNING id) SELECT 1 FROM x; END$$;',
        'DO LANGUAGE plperl $$ 1; $$;',
      ].join('\n'),
    );
    expect(steps.map((s) => s.outcome)).toEqual(['ok', 'ok', 'not-modelled', 'not-modelled', 'not-modelled', 'not-modelled', 'not-modelled', 'not-modelled']);
    expect(steps[2].reason).toContain('dynamic SQL (EXECUTE)');
    expect(steps[3].reason).toContain("create_distributed_table, which changes Citus's metadata");
    expect(steps[5].reason).toContain('touch, a function of the schema');
    expect(steps[7].reason).toContain('plperl');
  });

  it("Citus's own metadata tables: changed by hand, not modelled; its id sequences exist", () => {
    const steps = outcomes("DELETE FROM pg_dist_colocation WHERE colocationid = 5;\nUPDATE pg_catalog.pg_dist_partition SET repmodel = 'c';\nALTER SEQUENCE pg_dist_shardid_seq RESTART 100;\nDELETE FROM public.pg_dist_colocation;\n");
    expect(steps.map((s) => s.outcome)).toEqual(['not-modelled', 'not-modelled', 'ok', 'error']);
    expect(steps[0].reason).toBe("DELETE on pg_dist_colocation, Citus's own metadata, is not modelled");
  });

  it('simulate says so in its text and JSON, counts it apart, and does not fail on it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shardwise-not-modelled-'));
    writeFileSync(join(dir, 's.sql'), SCHEMA);
    writeFileSync(join(dir, 'm.sql'), "SELECT create_distributed_table('t', 'id');\nDO $$BEGIN EXECUTE 'DROP TABLE t'; END$$;\n");
    const text = await runCli(['simulate', 's.sql', '--migration', 'm.sql', '--verbose', '-q'], dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('not modelled: DO is not modelled: it runs dynamic SQL (EXECUTE)');
    expect(text.stdout).toMatch(/2 steps, 0 failed, 1 not modelled \(no prediction\)/);
    const json = await runCli(['simulate', 's.sql', '--migration', 'm.sql', '--format', 'json', '-q'], dir);
    const steps = (JSON.parse(json.stdout) as { steps: Array<{ outcome: string; reason?: string }> }).steps;
    expect(steps.map((s) => s.outcome)).toEqual(['ok', 'not-modelled']);
    expect(steps[1].reason).toMatch(/EXECUTE/);
  });
});
