/**
 * The CHECK constraint that keeps a column from NULL: `CHECK (x IS NOT
 * NULL)`, valid or NOT VALID (how large applications stage NOT NULL on big
 * tables before SET NOT NULL). Read from the expression's tree, once per
 * expression text.
 */
import { columnRefFields, nodeAs, parseExpression } from '../ingest/pg/index.js';
import type { CheckConstraint, Table } from './model.js';

const tested = new Map<string, string | undefined>();

/** The column an expression `x IS NOT NULL` tests, or undefined for any other expression. */
function notNullColumn(expression: string): string | undefined {
  if (tested.has(expression)) return tested.get(expression);
  const test = nodeAs(parseExpression(expression), 'NullTest');
  const ref = test?.nulltesttype === 'IS_NOT_NULL' ? nodeAs(test.arg, 'ColumnRef') : undefined;
  const fields = ref ? columnRefFields(ref) : [];
  const column = fields.length === 1 ? fields[0] : undefined;
  tested.set(expression, column);
  return column;
}

export function notNullCheck(t: Table, column: string): CheckConstraint | undefined {
  return t.checks.find((c) => notNullColumn(c.expression) === column);
}
