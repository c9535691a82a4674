// GOPRIVATE-style module path patterns: golang.org/x/mod/module.MatchPrefixPatterns on top of a
// port of Go's path.Match. The port works on UTF-8 bytes, as Go does, so that even odd inputs
// (a '*' that stops inside a multi-byte character, for instance) match exactly as the go command
// would match them.

const SLASH = 0x2f;
const STAR = 0x2a;
const QUESTION = 0x3f;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const CARET = 0x5e;
const DASH = 0x2d;
const RUNE_ERROR = 0xfffd;
const EMPTY = Buffer.alloc(0);

class BadPatternError extends Error {
  constructor() {
    super('syntax error in pattern');
  }
}

/**
 * Reports whether any path prefix of `target` matches one of the comma-separated glob patterns
 * (path.Match syntax), exactly like Go's module.MatchPrefixPatterns: a pattern with N elements is
 * matched against the first N elements of the target, and empty or malformed patterns never
 * match.
 */
export function matchesPrefixPatterns(patterns: string, target: string): boolean {
  for (const glob of splitPatterns(patterns)) {
    const prefix = leadingElements(target, countSlashes(glob) + 1);
    if (prefix === undefined) continue;
    try {
      if (pathMatch(Buffer.from(glob, 'utf8'), Buffer.from(prefix, 'utf8'))) return true;
    } catch (err) {
      // Go ignores path.ErrBadPattern here: a typo in GOPRIVATE simply matches nothing.
      if (!(err instanceof BadPatternError)) throw err;
    }
  }
  return false;
}

/**
 * Checks the syntax of a comma-separated pattern list, returning a message naming the first
 * malformed pattern, or undefined when every pattern is well formed.
 */
export function validatePatterns(patterns: string): string | undefined {
  for (const glob of splitPatterns(patterns)) {
    try {
      // Matching against an empty name still walks the whole pattern, which is how Go's own
      // filepath.Glob checks a pattern's syntax up front.
      pathMatch(Buffer.from(glob, 'utf8'), EMPTY);
    } catch (err) {
      if (!(err instanceof BadPatternError)) throw err;
      return `invalid pattern ${JSON.stringify(glob)}: syntax error in pattern`;
    }
  }
  return undefined;
}

function splitPatterns(patterns: string): string[] {
  // Go trims exactly one trailing slash.
  return patterns
    .split(',')
    .map((glob) => (glob.endsWith('/') ? glob.slice(0, -1) : glob))
    .filter((glob) => glob !== '');
}

function countSlashes(s: string): number {
  let n = 0;
  for (const ch of s) if (ch === '/') n++;
  return n;
}

// The first `count` '/'-separated elements of `target`, or undefined if it has fewer.
function leadingElements(target: string, count: number): string | undefined {
  let seen = 0;
  for (let i = 0; i < target.length; i++) {
    if (target[i] === '/' && ++seen === count) return target.slice(0, i);
  }
  return seen === count - 1 ? target : undefined;
}

// Port of Go's path.Match; throws BadPatternError where Go returns ErrBadPattern.
function pathMatch(pattern: Buffer, name: Buffer): boolean {
  let p = 0;
  let n = 0;
  nextChunk: while (p < pattern.length) {
    const { star, start, end } = scanChunk(pattern, p);
    p = end;
    const chunk = pattern.subarray(start, end);
    if (star && chunk.length === 0) {
      // A trailing '*' matches the rest of the name unless it has a '/'.
      return name.indexOf(SLASH, n) < 0;
    }
    const rest = matchChunk(chunk, name, n);
    // The last chunk must also exhaust the name; otherwise a star may still find a later match.
    if (rest >= 0 && (rest === name.length || p < pattern.length)) {
      n = rest;
      continue;
    }
    if (star) {
      for (let i = n; i < name.length && name[i] !== SLASH; i++) {
        const skipped = matchChunk(chunk, name, i + 1);
        if (skipped < 0 || (p === pattern.length && skipped < name.length)) continue;
        n = skipped;
        continue nextChunk;
      }
    }
    // Before reporting no match, make sure the rest of the pattern is well formed, so that a
    // malformed pattern is an error whatever the name.
    while (p < pattern.length) {
      const next = scanChunk(pattern, p);
      p = next.end;
      matchChunk(pattern.subarray(next.start, next.end), EMPTY, 0);
    }
    return false;
  }
  return n === name.length;
}

// Splits off the next chunk: optional leading stars, then everything up to the next star that is
// not inside a character class.
function scanChunk(pattern: Buffer, from: number): { star: boolean; start: number; end: number } {
  let star = false;
  let start = from;
  while (start < pattern.length && pattern[start] === STAR) {
    start++;
    star = true;
  }
  let inRange = false;
  let i = start;
  scan: for (; i < pattern.length; i++) {
    switch (pattern[i]) {
      case BACKSLASH:
        if (i + 1 < pattern.length) i++;
        break;
      case OPEN_BRACKET:
        inRange = true;
        break;
      case CLOSE_BRACKET:
        inRange = false;
        break;
      case STAR:
        if (!inRange) break scan;
        break;
    }
  }
  return { star, start, end: i };
}

// Matches a star-free chunk at name[pos...], returning the position after the match or -1. After
// a mismatch it keeps walking the chunk without consuming the name, to catch syntax errors.
function matchChunk(chunk: Buffer, name: Buffer, pos: number): number {
  let failed = false;
  let c = 0;
  while (c < chunk.length) {
    if (!failed && pos >= name.length) failed = true;
    switch (chunk[c]) {
      case OPEN_BRACKET: {
        let r = 0;
        if (!failed) {
          const [rune, size] = decodeRune(name, pos);
          r = rune;
          pos += size;
        }
        let matched: boolean;
        [matched, c] = matchClass(chunk, c + 1, r);
        if (!matched) failed = true;
        break;
      }
      case QUESTION:
        if (!failed) {
          if (name[pos] === SLASH) failed = true;
          pos += decodeRune(name, pos)[1];
        }
        c++;
        break;
      case BACKSLASH:
        c++;
        if (c >= chunk.length) throw new BadPatternError();
        failed = matchLiteral(chunk[c], failed);
        c++;
        break;
      default:
        failed = matchLiteral(chunk[c], failed);
        c++;
    }
  }
  return failed ? -1 : pos;

  function matchLiteral(byte: number, alreadyFailed: boolean): boolean {
    if (alreadyFailed) return true;
    return name[pos++] !== byte;
  }
}

// Matches rune r against the character class whose body starts at chunk[from] (just after its
// `[`), returning whether it matched (negation applied) and the position after the closing `]`.
function matchClass(chunk: Buffer, from: number, r: number): [matched: boolean, next: number] {
  let c = from;
  let negated = false;
  if (c < chunk.length && chunk[c] === CARET) {
    negated = true;
    c++;
  }
  let matched = false;
  let ranges = 0;
  for (;;) {
    if (c < chunk.length && chunk[c] === CLOSE_BRACKET && ranges > 0) {
      c++;
      break;
    }
    const [lo, afterLo] = getEscaped(chunk, c);
    let hi = lo;
    c = afterLo;
    if (chunk[c] === DASH) [hi, c] = getEscaped(chunk, c + 1);
    if (lo <= r && r <= hi) matched = true;
    ranges++;
  }
  return [matched !== negated, c];
}

// Reads one possibly backslash-escaped character of a character class.
function getEscaped(chunk: Buffer, at: number): [rune: number, next: number] {
  if (at >= chunk.length || chunk[at] === DASH || chunk[at] === CLOSE_BRACKET) {
    throw new BadPatternError();
  }
  if (chunk[at] === BACKSLASH) {
    at++;
    if (at >= chunk.length) throw new BadPatternError();
  }
  const [rune, size] = decodeRune(chunk, at);
  if (rune === RUNE_ERROR && size === 1) throw new BadPatternError();
  // A class must be closed, so running out of pattern here is an error too.
  if (at + size >= chunk.length) throw new BadPatternError();
  return [rune, at + size];
}

// Go's utf8.DecodeRune: invalid or truncated sequences decode as U+FFFD of length 1.
function decodeRune(buf: Buffer, at: number): [rune: number, size: number] {
  const b0 = buf[at];
  if (b0 < 0x80) return [b0, 1];
  let rune: number;
  let extra: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    rune = b0 & 0x1f;
    extra = 1;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    rune = b0 & 0x0f;
    extra = 2;
    // Excludes overlong forms and UTF-16 surrogates.
    if (b0 === 0xe0) lo = 0xa0;
    if (b0 === 0xed) hi = 0x9f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    rune = b0 & 0x07;
    extra = 3;
    // Excludes overlong forms and code points above U+10FFFF.
    if (b0 === 0xf0) lo = 0x90;
    if (b0 === 0xf4) hi = 0x8f;
  } else {
    return [RUNE_ERROR, 1];
  }
  for (let k = 1; k <= extra; k++) {
    const b = buf[at + k];
    if (b === undefined || b < lo || b > hi) return [RUNE_ERROR, 1];
    rune = (rune << 6) | (b & 0x3f);
    lo = 0x80;
    hi = 0xbf;
  }
  return [rune, extra + 1];
}
