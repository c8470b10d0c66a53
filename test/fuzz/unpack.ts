/** `node --import tsx test/fuzz/unpack.ts FIXTURE_DIR OUT_DIR`: a fixture's files written out, to run the command by hand. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expand, type FixtureSpec } from './fixture.js';

const [from, to] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(join(from, 'case.json'), 'utf8')) as FixtureSpec;
for (const d of spec.dirs ?? []) mkdirSync(join(to, d), { recursive: true });
for (const [p, parts] of Object.entries(spec.files)) {
  mkdirSync(dirname(join(to, p)), { recursive: true });
  writeFileSync(join(to, p), expand(parts));
}
console.log(`shardwise ${spec.argv.map((a) => JSON.stringify(a)).join(' ')}`);
