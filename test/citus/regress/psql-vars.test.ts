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
});
