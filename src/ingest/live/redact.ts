/**
 * Credentials out of anything shown: one place that knows how a password
 * sits in a connection string (`scheme://user:password@host`, also when the
 * string does not parse: a `/`, `#`, `?` or `@` left unencoded in the
 * password, another scheme, no scheme; `password=...` in a URL query or a
 * key=value string), used by every message that can carry one.
 */

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/+/;

/** One whitespace-free token with its `user:password@` masked: the password runs to the last `@`. */
function maskUserinfo(token: string): string {
  const at = token.lastIndexOf('@');
  if (at < 0) return token;
  const scheme = SCHEME.exec(token)?.[0] ?? '';
  const userinfo = token.slice(scheme.length, at);
  const colon = userinfo.indexOf(':');
  if (colon < 0) return token;
  return `${scheme}${userinfo.slice(0, colon)}:***${token.slice(at)}`;
}

/** `text` with every password in it replaced by `***`. */
export function redact(text: string): string {
  let out = text.replace(/\S+/g, (t) => (t.includes('@') ? maskUserinfo(t) : t));
  // ?password=... / &password=... in a URL; password=... (quoted or not) in a key=value string
  out = out.replace(/([?&]password=)[^&#\s]*/gi, '$1***');
  out = out.replace(/(^|[\s'"(])(password\s*=\s*)('(?:[^'\\]|\\.)*'?|\S+)/gi, '$1$2***');
  return out;
}

/** The passwords a connection string holds, read leniently (for masking them wherever they might show). */
export function passwordsIn(conn: string): string[] {
  const out: string[] = [];
  const at = conn.lastIndexOf('@');
  if (at >= 0) {
    const scheme = SCHEME.exec(conn)?.[0] ?? '';
    const userinfo = conn.slice(scheme.length, at);
    const colon = userinfo.indexOf(':');
    if (colon >= 0 && colon < userinfo.length - 1) {
      const raw = userinfo.slice(colon + 1);
      out.push(raw);
      try {
        const decoded = decodeURIComponent(raw);
        if (decoded !== raw) out.push(decoded);
      } catch {
        // not percent-encoded: the raw text is what could show
      }
    }
  }
  for (const m of conn.matchAll(/password\s*=\s*('((?:[^'\\]|\\.)*)'?|[^&#\s]+)/gi)) out.push(m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[1]);
  return out.filter((p) => p.length > 0);
}

/** `text` with each of `secrets` (at least 3 characters long) replaced by `***`. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) if (s.length >= 3 && out.includes(s)) out = out.split(s).join('***');
  return out;
}
