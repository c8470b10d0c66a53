/** The parse tree types, re-exported so that no module outside this folder names the parser package. */
export type * from '@pgsql/types';
