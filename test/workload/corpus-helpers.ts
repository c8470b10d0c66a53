/** Corpus datasets read for the query-facts tests: catalog + statements labelled by their preceding comment. */
import { join } from 'node:path';
import { readSchema, type Catalog } from '../../src/catalog/index.js';
import { readScript, type Statement } from '../../src/ingest/pg/index.js';
import { corpusDir, readCorpusFile } from '../support/corpus.js';

export interface LabelledStatement {
  /** The last `-- <prefix>...` comment line before the statement, e.g. `Q3` or `stmt: delivGetOrderIdSQL`. */
  readonly label: string;
  readonly statement: Statement;
}

export async function loadDataset(name: string): Promise<{ catalog: Catalog; statements: Statement[]; text: string }> {
  const dir = join(corpusDir(), name);
  const { catalog } = await readSchema([{ file: 'schema.sql', text: readCorpusFile(join(dir, 'schema.sql')) }]);
  const text = readCorpusFile(join(dir, 'queries.sql'));
  return { catalog, statements: readScript('queries.sql', text).statements, text };
}

/** Statements with the label of the nearest preceding comment line matching `pattern` (its first group). */
export function labelled(text: string, statements: Statement[], pattern: RegExp): LabelledStatement[] {
  const lines = text.split('\n');
  return statements.map((statement) => {
    let label = '';
    for (let i = statement.location.line - 2; i >= 0; i--) {
      const m = pattern.exec(lines[i]);
      if (m) {
        label = m[1];
        break;
      }
    }
    return { label, statement };
  });
}
