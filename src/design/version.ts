/** Citus versions: parsed once, compared in one way, for the rules, the planner and the Citus model. */

export interface CitusVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** As written (`"13.2"`, `"11.2.1"`). */
  readonly text: string;
}

/** `"13"`, `"13.2"`, `"13.2.2"` (anything after the numbers, such as `-devel`, is ignored); undefined otherwise. */
export function parseCitusVersion(text: string): CitusVersion | undefined {
  const raw = text.trim();
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(raw);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), text: raw };
}

export function compareVersions(a: CitusVersion, b: CitusVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** True when `v` is `major.minor.patch` or later. */
export function versionAtLeast(v: CitusVersion, major: number, minor = 0, patch = 0): boolean {
  return v.major !== major ? v.major > major : v.minor !== minor ? v.minor > minor : v.patch >= patch;
}
