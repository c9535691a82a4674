// Case-encoding used by the GOPROXY protocol (golang.org/x/mod/module EscapePath/EscapeVersion).
// Module paths may contain uppercase letters, but proxies are often backed by case-insensitive
// file systems, so each uppercase letter is written as '!' followed by its lowercase form.

/** Escapes a module path for use in a GOPROXY URL or module cache path. */
export function escapeModulePath(path: string): string {
  return escapeString(path, 'module path');
}

/** Escapes a module version for use in a GOPROXY URL or module cache path. */
export function escapeVersion(version: string): string {
  return escapeString(version, 'version');
}

/** Reverses escapeModulePath; throws on input that no valid module path escapes to. */
export function unescapeModulePath(escaped: string): string {
  const invalid = (why: string): Error =>
    new Error(`invalid escaped module path ${JSON.stringify(escaped)}: ${why}`);
  if (escaped === '') throw invalid('empty');
  let out = '';
  let bang = false;
  for (const ch of escaped) {
    if (ch > '\x7f') throw invalid('non-ASCII character');
    if (bang) {
      bang = false;
      if (ch < 'a' || ch > 'z') throw invalid(`'!' must be followed by a lowercase letter`);
      out += ch.toUpperCase();
      continue;
    }
    if (ch === '!') {
      bang = true;
      continue;
    }
    // An unescaped uppercase letter could only come from a non-canonical encoder; accepting it
    // would let two different URLs name the same module.
    if (ch >= 'A' && ch <= 'Z') throw invalid('unescaped uppercase letter');
    out += ch;
  }
  if (bang) throw invalid(`trailing '!'`);
  return out;
}

function escapeString(s: string, what: string): string {
  if (s === '') throw new Error(`cannot escape empty ${what}`);
  // '!' would make the encoding ambiguous; Go refuses non-ASCII here for the same reason.
  if (s.includes('!')) {
    throw new Error(`cannot escape ${what} ${JSON.stringify(s)}: it contains '!'`);
  }
  if (/[\u0080-\uffff]/.test(s)) {
    throw new Error(`cannot escape ${what} ${JSON.stringify(s)}: it contains non-ASCII characters`);
  }
  return s.replace(/[A-Z]/g, (c) => '!' + c.toLowerCase());
}
