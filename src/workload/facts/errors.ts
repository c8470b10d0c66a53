/** Why a statement gives no facts. */

/** Thrown by `extractFacts` when given SQL that does not parse. */
export class FactsSyntaxError extends Error {
  constructor(
    message: string,
    /** 0-based character offset into the SQL, when known. */
    readonly cursor?: number,
  ) {
    super(message);
    this.name = 'FactsSyntaxError';
  }
}

/**
 * Thrown for a statement that nests deeper than the walk follows (a
 * recursive walk would overflow the stack). Long lists written flat in SQL
 * (UNION branches, joins, operator chains) are no nesting; subqueries,
 * function calls and parentheses inside each other are.
 */
export class FactsNestingError extends FactsSyntaxError {
  constructor(
    readonly limit: number,
    /** 0-based character offset of the construct that goes too deep, when known. */
    cursor?: number,
    /** 1-based line and column of it in the statement's text, when known. */
    readonly at?: { readonly line: number; readonly column: number },
  ) {
    super(`the statement nests deeper than ${limit} levels${at ? ` (line ${at.line}, column ${at.column} of the statement)` : ''}`, cursor);
    this.name = 'FactsNestingError';
  }
}
