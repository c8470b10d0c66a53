/**
 * quoteIdent quotes what PostgreSQL would not read back as the same name:
 * upper case, odd characters, a leading digit, and keywords other than
 * unreserved ones. The answers are the same whether the words were asked
 * of the scanner one at a time or together first (primeQuoting).
 */
import { beforeAll, expect, it } from 'vitest';
import { loadParser, primeQuoting, quoteIdent } from '../../src/ingest/pg/index.js';

beforeAll(async () => {
  await loadParser();
});

const EXPECTED: Record<string, string> = {
  accounts: 'accounts',
  name: 'name', // unreserved
  select: '"select"', // reserved
  user: '"user"', // reserved
  between: '"between"', // column name keyword
  int: '"int"', // column name keyword
  left: '"left"', // type or function name keyword
  authorization: '"authorization"',
  current_timestamp: '"current_timestamp"',
  a1: 'a1',
  _tmp: '_tmp',
  Users: '"Users"',
  '1st': '"1st"',
  'with space': '"with space"',
  'say "hi"': '"say ""hi"""',
};

it('one word at a time', () => {
  for (const [word, quoted] of Object.entries(EXPECTED)) expect(quoteIdent(word), word).toBe(quoted);
});

it('after asking the scanner about many words at once, the same answers', () => {
  const words = Object.keys(EXPECTED);
  const many = [...words, ...Array.from({ length: 2500 }, (_, i) => `column_${i}`), 'order', 'group', 'text'];
  primeQuoting(many);
  for (const [word, quoted] of Object.entries(EXPECTED)) expect(quoteIdent(word), word).toBe(quoted);
  expect(quoteIdent('order')).toBe('"order"');
  expect(quoteIdent('group')).toBe('"group"');
  expect(quoteIdent('text')).toBe('text');
  expect(quoteIdent('column_2499')).toBe('column_2499');
});
