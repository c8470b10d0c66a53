/** The regression files' psql variables, interpolated as psql does before the model reads them. */
import { describe, expect, it } from 'vitest';
import { interpolatePsqlVariables } from '../../support/psql-vars.js';

describe('psql variable interpolation', () => {
  it('replaces :name, :\'name\' and :"name" outside quotes and comments, and leaves casts and unknown names', () => {
    const sql = "SELECT :port, :'host', :\"host\", 1::int, ':port', $$:port$$, :nope; -- :port\n/* :port */ SELECT x[1:2];\n";
    expect(interpolatePsqlVariables(sql, { port: '57637', host: "lo'cal" })).toBe(
      "SELECT 57637, 'lo''cal', \"lo'cal\", 1::int, ':port', $$:port$$, :nope; -- :port\n/* :port */ SELECT x[1:2];\n",
    );
  });

  it('\\set and \\unset change the variables as the file goes, keeping every line', () => {
    const sql = "\\set dir :base '/data'\nSELECT :'dir';\n\\unset dir\nSELECT :'dir';\n";
    const out = interpolatePsqlVariables(sql, { base: '/src' });
    expect(out).toBe("\\set dir :base '/data'\nSELECT '/src/data';\n\\unset dir\nSELECT :'dir';\n");
    expect(out.split('\n')).toHaveLength(sql.split('\n').length);
  });

  it('\\gset names a variable per column of the query it ends, with the stand-in value', () => {
    const sql = "SELECT shardid AS sid, nextval('s') FROM t \\gset p_\nSELECT :p_sid, :p_nextval;\n:p_sid\n";
    const columnsOf = (q: string) => (q.includes('shardid') ? ['sid', 'nextval'] : []);
    expect(interpolatePsqlVariables(sql, {}, { columnsOf, gsetValue: '1', gsetStatement: 'SELECT 1;' })).toBe("SELECT shardid AS sid, nextval('s') FROM t \\gset p_\nSELECT 1, 1;\nSELECT 1;\n");
  });

  it('a statement a variable stands for ends there: the query after it is read alone for its \\gset', () => {
    const sql = "SELECT 'SELECT 2' AS q \\gset\n:q\n\nSELECT x AS later FROM t \\gset\nSELECT :later;\n";
    const seen: string[] = [];
    const columnsOf = (q: string) => (seen.push(q.trim()), q.trim().startsWith('SELECT x') ? ['later'] : q.includes(' AS q') ? ['q'] : []);
    expect(interpolatePsqlVariables(sql, {}, { columnsOf, gsetValue: '1', gsetStatement: 'SELECT 1;' })).toBe("SELECT 'SELECT 2' AS q \\gset\nSELECT 1;\n\nSELECT x AS later FROM t \\gset\nSELECT 1;\n");
    expect(seen).toEqual(["SELECT 'SELECT 2' AS q", 'SELECT x AS later FROM t']);
  });
});
