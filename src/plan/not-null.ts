/**
 * Phase 2, prepare: the distribution columns that may still hold NULL made
 * NOT NULL, since Citus refuses a NULL distribution key ("the partition
 * column of table ... cannot be NULL"). Columns the migration fills are made
 * NOT NULL by their fill; the others are checked first. A `CHECK (x IS NOT
 * NULL) NOT VALID` constraint, the way large applications stage NOT NULL on
 * big tables, is validated instead: that scans without blocking writes, and
 * SET NOT NULL then trusts the valid constraint and scans nothing.
 */
import { notNullCheck } from '../catalog/not-null.js';
import { displayName, quoteIdent, quoteLiteral, sqlName } from '../ingest/pg/index.js';
import type { PlanContext } from './context.js';
import { dollarQuote } from './sql.js';


/** After the fills: every other nullable distribution column checked (or its staged CHECK validated) and made NOT NULL. */
export function notNullKeys(ctx: PlanContext, filled: ReadonlySet<string>): void {
  for (const key of ctx.targets()) {
    if (ctx.kind(key) !== 'distributed' || filled.has(key)) continue;
    const t = ctx.table(key);
    if (t.partitionOf) continue; // its parent's SET NOT NULL reaches it
    const column = ctx.distColumn(key);
    const col = column === undefined ? undefined : t.columns.find((c) => c.name === column);
    if (!col || col.notNull || t.primaryKey?.columns.includes(col.name)) continue;
    const tn = sqlName(key);
    const qc = quoteIdent(col.name);
    const check = notNullCheck(t, col.name);
    if (check?.notValid) {
      ctx.step(
        'prepare',
        `ALTER TABLE ${tn} VALIDATE CONSTRAINT ${quoteIdent(check.name)}`,
        `${displayName(key)}.${col.name} is the distribution column and Citus refuses NULL in it. ${check.name} (CHECK ${check.expression} NOT VALID) stages NOT NULL: validating it checks the existing rows while writes go on (SHARE UPDATE EXCLUSIVE); it fails, naming the constraint, if a row still has no ${col.name}.`,
        { table: key },
      );
    } else if (!check) {
      ctx.step(
        'prepare',
        `DO ${dollarQuote(
          [
            'BEGIN',
            `  IF EXISTS (SELECT 1 FROM ${tn} WHERE ${qc} IS NULL) THEN`,
            `    RAISE EXCEPTION 'shardwise: % has rows without %', ${quoteLiteral(displayName(key))}, ${quoteLiteral(col.name)}`,
            `      USING HINT = ${quoteLiteral(`Fill ${col.name} in those rows (or delete them), then run the migration again.`)};`,
            '  END IF;',
            'END',
          ].join('\n'),
          'notnull',
        )}`,
        `${displayName(key)}.${col.name} is the distribution column and may be NULL, which Citus refuses ("the partition column of table ... cannot be NULL"): stop here, before anything changes, if a row has no ${col.name}.`,
        { table: key },
      );
    }
    ctx.step(
      'prepare',
      `ALTER TABLE ${tn} ALTER COLUMN ${qc} SET NOT NULL`,
      check
        ? `With ${check.name} valid, PostgreSQL makes ${col.name} NOT NULL without scanning the table again.`
        : `No row lacks ${col.name}: make that a rule, so that no insert can bring a NULL key later.`,
      { table: key },
    );
    ctx.undoStep('prepare', `ALTER TABLE ${tn} ALTER COLUMN ${qc} DROP NOT NULL`, `${col.name} was nullable before the migration.`, [key], { table: key });
  }
}
