/** action.yml: every step output it reads is one a step writes, and its inputs match the config's values. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, it, expect } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Array<{ id?: string; run?: string; uses?: string; if?: string; with?: Record<string, string>; env?: Record<string, string> }> };
};
const configSchema = JSON.parse(readFileSync(join(root, 'schemas/config.schema.json'), 'utf8'));

describe('action.yml', () => {
  it('is a composite action on Node 20 that uploads SARIF', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.runs.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['node-version']).toBe(20);
    expect(action.runs.steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))).toBe(true);
    for (const input of ['migrations', 'schema', 'plan', 'fail-on', 'citus-version']) expect(action.inputs).toHaveProperty(input);
  });

  it('reads only step outputs that an earlier step writes', () => {
    const written = new Map<string, Set<string>>();
    const text = JSON.stringify(action);
    for (const s of action.runs.steps) {
      if (s.id && s.run) written.set(s.id, new Set([...s.run.matchAll(/echo "([a-z-]+)=/g)].map((m) => m[1])));
    }
    const refs = [...text.matchAll(/steps\.([a-z-]+)\.outputs\.([a-z-]+)/g)];
    expect(refs.length).toBeGreaterThan(3);
    for (const [, step, output] of refs) expect(written.get(step)?.has(output), `steps.${step}.outputs.${output}`).toBe(true);
    for (const name of Object.keys(action.inputs)) {
      // Inputs reach scripts through env, never by ${{ }} inside a script (no injection).
      for (const s of action.runs.steps) expect(s.run ?? '').not.toContain(`inputs.${name}`);
    }
  });

  it('fail-on accepts what the configuration accepts', () => {
    expect(configSchema.properties.fail_on.enum).toContain(action.inputs['fail-on'].default);
    expect(action.runs.steps.find((s) => s.id === 'lint')?.run).toContain('--fail-on "$FAIL_ON"');
  });
});
