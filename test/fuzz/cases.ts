/**
 * Fuzz cases: a command line and the files it reads, one of them broken by
 * the mutators (or the command line itself broken). Case `i` of seed `s` is
 * always the same case, whatever else runs.
 */
import { mutate, type InputKind } from './mutators.js';
import { argvScenario, dbScenario, outputScenario } from './argv-cases.js';
import { hostileSchema } from './hostile.js';
import { Rng } from './rng.js';
import { ANCHOR, type FuzzCase, type Scenario } from './scenario.js';
import type { Seeds, SeedText } from './seeds.js';

export type { FuzzCase };


const WORKLOAD_SEEDS: ReadonlyArray<readonly [string, InputKind]> = [
  ['pgss.csv', 'csv'],
  ['pgss.json', 'json'],
  ['pgss.jsonl', 'json'],
  ['postgresql.log', 'log'],
  ['postgresql.csv', 'csv'],
  ['postgresql.json', 'json'],
];

function buf(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}

function donorsOf(seeds: Seeds): Buffer[] {
  return [...seeds.schemas.slice(0, 4).map((s) => buf(s.text)), ...Object.values(seeds.files).map(buf)];
}

/** The anchor schema plus one file of the seeds, mutated. */
function withAnchor(seeds: Seeds, rng: Rng, name: string, kind: InputKind, extra: Record<string, Buffer> = {}): { files: Record<string, Buffer>; mutators: string[] } {
  const { output, applied } = mutate(buf(seeds.files[name]), kind, rng, donorsOf(seeds));
  return { files: { [ANCHOR]: buf(seeds.anchor.text), ...extra, [name]: output }, mutators: applied };
}


const schemaScenario: Scenario = (seeds, rng) => {
  const seed: SeedText = rng.pick(seeds.schemas);
  const { output, applied } = mutate(buf(seed.text), 'sql', rng, donorsOf(seeds));
  const argv = rng.pick<string[]>([
    ['analyze', ANCHOR],
    ['analyze', ANCHOR, '--format', 'json'],
    ['migrate', ANCHOR],
    ['simulate', ANCHOR],
    ['lint', '--schema', 'base.sql', ANCHOR],
  ]);
  return { argv, files: { [ANCHOR]: output, 'base.sql': buf(seed.text) }, target: ANCHOR, mutators: applied };
};

const workloadScenario: Scenario = (seeds, rng) => {
  if (rng.chance(0.4) && seeds.queries.length) {
    const q = rng.pick(seeds.queries);
    const schema = seeds.schemas.find((s) => s.name === q.name) ?? seeds.anchor;
    const { output, applied } = mutate(buf(q.text), 'sql', rng, donorsOf(seeds));
    const argv = rng.pick<string[]>([
      ['analyze', ANCHOR, '--workload', 'queries.sql'],
      ['simulate', ANCHOR, '--workload', 'queries.sql'],
    ]);
    return { argv, files: { [ANCHOR]: buf(schema.text), 'queries.sql': output }, target: 'queries.sql', mutators: applied };
  }
  const [name, kind] = rng.pick(WORKLOAD_SEEDS);
  const { files, mutators } = withAnchor(seeds, rng, name, kind);
  const argv = rng.pick<string[]>([
    ['analyze', ANCHOR, '--workload', name],
    ['analyze', ANCHOR, '--workload', name, '--format', 'json'],
    ['simulate', ANCHOR, '--workload', name],
  ]);
  return { argv, files, target: name, mutators };
};

const statsScenario: Scenario = (seeds, rng) => {
  const name = rng.pick(['pg_stats.csv', 'pg_class.csv']);
  const other = name === 'pg_stats.csv' ? 'pg_class.csv' : 'pg_stats.csv';
  const { files, mutators } = withAnchor(seeds, rng, name, 'csv', { [other]: buf(seeds.files[other]) });
  return { argv: ['analyze', ANCHOR, '--stats', 'pg_stats.csv', '--stats', 'pg_class.csv'], files, target: name, mutators };
};

const dataScenario: Scenario = (seeds, rng) => {
  if (rng.chance(0.5)) {
    const { files, mutators } = withAnchor(seeds, rng, 'data.sql', 'sql');
    const argv = rng.pick<string[]>([
      ['analyze', ANCHOR, 'data.sql'],
      ['analyze', ANCHOR, '--data', 'data.sql'],
      ['simulate', ANCHOR, '--data', 'data.sql'],
      ['migrate', ANCHOR, '--data', 'data.sql'],
    ]);
    return { argv, files, target: 'data.sql', mutators };
  }
  const { files, mutators } = withAnchor(seeds, rng, 'warehouse.csv', 'csv');
  const argv = rng.pick<string[]>([
    ['analyze', ANCHOR, '--data', 'warehouse.csv'],
    ['simulate', ANCHOR, '--data', 'warehouse.csv'],
  ]);
  return { argv, files, target: 'warehouse.csv', mutators };
};

const planScenario: Scenario = (seeds, rng) => {
  const name = 'shardwise.plan.yaml';
  const { files, mutators } = withAnchor(seeds, rng, name, 'yaml', { 'V1__create_payments.sql': buf(seeds.files['V1__create_payments.sql']) });
  const argv = rng.pick<string[]>([
    ['migrate', ANCHOR, '--plan', name],
    ['simulate', ANCHOR, '--plan', name],
    ['lint', '--schema', ANCHOR, '--plan', name, 'V1__create_payments.sql'],
  ]);
  return { argv, files, target: name, mutators };
};

const configScenario: Scenario = (seeds, rng) => {
  const explicit = rng.chance(0.3);
  const name = explicit ? 'custom.yml' : '.shardwise.yml';
  const { output, applied } = mutate(buf(seeds.files['shardwise.yml']), 'yaml', rng, donorsOf(seeds));
  const files = {
    [ANCHOR]: buf(seeds.anchor.text),
    'shardwise.plan.yaml': buf(seeds.files['shardwise.plan.yaml']),
    'V1__create_payments.sql': buf(seeds.files['V1__create_payments.sql']),
    [name]: output,
  };
  const cfg = explicit ? ['--config', name] : [];
  const argv = rng.pick<string[]>([
    ['analyze', ANCHOR, ...cfg],
    ['lint', '--schema', ANCHOR, '--plan', 'shardwise.plan.yaml', ...cfg, 'V1__create_payments.sql'],
  ]);
  return { argv, files, target: name, mutators: applied };
};

const migrationScenario: Scenario = (seeds, rng) => {
  const name = rng.pick(['V1__create_payments.sql', 'V2__alter_stock.sql']);
  const other = name.startsWith('V1') ? 'V2__alter_stock.sql' : 'V1__create_payments.sql';
  const { files, mutators } = withAnchor(seeds, rng, name, 'sql', {
    [other]: buf(seeds.files[other]),
    'shardwise.plan.yaml': buf(seeds.files['shardwise.plan.yaml']),
  });
  const argv = rng.pick<string[]>([
    ['lint', '--schema', ANCHOR, '--plan', 'shardwise.plan.yaml', 'V1__create_payments.sql', 'V2__alter_stock.sql'],
    ['lint', '--schema', ANCHOR, '--plan', 'shardwise.plan.yaml', '--format', 'json', '.'],
    ['lint', '--schema', ANCHOR, 'V*.sql'],
  ]);
  return { argv, files, target: name, mutators };
};

const hostileScenario: Scenario = (_seeds, rng) => {
  const schema = hostileSchema(rng);
  const argv = rng.pick<string[]>([['migrate', ANCHOR], ['analyze', ANCHOR], ['simulate', ANCHOR], ['migrate', ANCHOR, '--format', 'json']]);
  return { argv, files: { [ANCHOR]: buf(schema) }, target: ANCHOR, mutators: ['hostile-schema'] };
};


const SCENARIOS: ReadonlyArray<readonly [string, Scenario, number]> = [
  ['schema', schemaScenario, 16],
  ['workload', workloadScenario, 14],
  ['stats', statsScenario, 6],
  ['data', dataScenario, 7],
  ['plan', planScenario, 8],
  ['config', configScenario, 8],
  ['migration', migrationScenario, 8],
  ['hostile', hostileScenario, 6],
  ['argv', argvScenario, 10],
  ['output', outputScenario, 6],
  ['db', dbScenario, 3],
];

export function generateCase(seeds: Seeds, seed: number, index: number): FuzzCase {
  const rng = Rng.forCase(seed, index);
  const [scenario, make] = rng.weighted(SCENARIOS.map(([name, fn, w]) => [[name, fn] as const, w] as const));
  return { id: `${seed}:${index}`, scenario, ...make(seeds, rng) };
}

