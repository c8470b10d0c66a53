import { describe, expect, it } from 'vitest';
import { compareVersions, needsBigint, parseCitusVersion, sequenceColumnVerdict, versionAtLeast, type CitusVersion } from '../../src/design/version.js';

const v = (text: string): CitusVersion => parseCitusVersion(text)!;
const identity = (base: string) => ({ identity: { kind: 'always', sequence: 'public.t_id_seq' }, serial: false, type: { base } });
const serial = (base: string) => ({ serial: true, defaultSequence: 'public.t_id_seq', type: { base } });

describe('Citus versions', () => {
  it('reads one to three numbers, ignoring what follows', () => {
    expect(parseCitusVersion('13')).toEqual({ major: 13, minor: 0, patch: 0, text: '13' });
    expect(parseCitusVersion(' 11.2.1-devel ')).toEqual({ major: 11, minor: 2, patch: 1, text: '11.2.1-devel' });
    expect(parseCitusVersion('latest')).toBeUndefined();
  });

  it('compares part by part', () => {
    expect(compareVersions(v('11.10'), v('11.9'))).toBeGreaterThan(0);
    expect(compareVersions(v('12.0'), v('12'))).toBe(0);
    expect(versionAtLeast(v('11.2.1'), 11, 2, 1)).toBe(true);
    expect(versionAtLeast(v('11.2'), 11, 2, 1)).toBe(false);
  });
});

describe('sequence-fed columns', () => {
  it('identity columns: unsupported before 11.2, partitioned refused before 13.0, whatever the type', () => {
    expect(sequenceColumnVerdict(v('11.1'), identity('int8'), false)).toBe('identity-unsupported');
    expect(sequenceColumnVerdict(v('12.1'), identity('int8'), true)).toBe('identity-partitioned');
    expect(sequenceColumnVerdict(v('13.0'), identity('int8'), true)).toBeUndefined();
    expect(needsBigint(v('11.1'), identity('int4'), false)).toBeUndefined();
  });

  it('int/smallint identity: fine in 11.2.0, bigint only in 11.2.1-11.x, worker inserts fail from 12.0', () => {
    expect(needsBigint(v('11.2'), identity('int4'), false)).toBeUndefined();
    expect(needsBigint(v('11.2.1'), identity('int4'), false)).toBe('identity-bigint-only');
    expect(needsBigint(v('11.3'), identity('int2'), false)).toBe('identity-bigint-only');
    expect(needsBigint(v('12.0'), identity('int4'), false)).toBe('identity-worker-inserts');
    expect(needsBigint(v('14.0'), identity('int8'), false)).toBeUndefined();
  });

  it('serial and DEFAULT nextval(): int/smallint from 11.0', () => {
    expect(needsBigint(v('10.2'), serial('int4'), false)).toBeUndefined();
    expect(needsBigint(v('11.0'), serial('int4'), false)).toBe('default-worker-inserts');
    expect(needsBigint(v('13.0'), { serial: false, defaultSequence: 'public.s', type: { base: 'int2' } }, true)).toBe('default-worker-inserts');
    expect(needsBigint(v('13.0'), serial('int8'), false)).toBeUndefined();
    expect(needsBigint(v('13.0'), { serial: false, type: { base: 'int4' } }, false)).toBeUndefined();
  });
});
