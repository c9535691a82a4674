// The statements of a go.mod file, read the way golang.org/x/mod/modfile reads them: tokens,
// `//` comments, and `verb ( … )` blocks. Only the syntax is checked here; what a directive's
// arguments mean is up to the reader of the statements.

/** One directive, from a line of its own or from inside a `verb ( … )` block. */
export interface ModStatement {
  /** `require`, `replace`, `tool`, … (the block's verb for a line inside a block). */
  verb: string;
  /** The tokens after the verb as written, quotes included. */
  args: string[];
  /** 1-based line of its first token. */
  line: number;
  /** The `//` comment ending its line, without the slashes. */
  comment?: string;
}

/** A go.mod syntax error, at `file:line`. */
export class ModFileSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'ModFileSyntaxError';
  }
}

type TokenKind = 'ident' | 'string' | 'punct' | 'newline' | 'comment' | 'eol-comment' | 'eof';

interface Token {
  kind: TokenKind;
  text: string;
  line: number;
}

const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',']);
// unicode.IsPrint without the space: letters, marks, numbers, punctuation and symbols.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

function isIdentChar(c: string): boolean {
  return !PUNCTUATION.has(c) && PRINTABLE.test(c);
}

/** Splits go.mod text into tokens as modfile's lexer does. */
function tokenize(text: string, file: string): Token[] {
  const lexer = new Lexer([...text], file);
  lexer.run();
  return lexer.tokens;
}

class Lexer {
  readonly tokens: Token[] = [];
  private i = 0;
  private line = 1;
  // Whether something other than blanks came before i on the current line.
  private lineHasText = false;

  constructor(
    private readonly chars: string[],
    private readonly file: string,
  ) {}

  run(): void {
    const { chars } = this;
    while (this.i < chars.length) {
      const c = chars[this.i];
      if (c === ' ' || c === '\t' || c === '\r') {
        this.i++;
        continue;
      }
      if (this.startsWith('//')) {
        this.lineComment();
        continue;
      }
      if (this.startsWith('/*')) this.fail(BLOCK_COMMENT);
      if (c === '\n') {
        this.tokens.push({ kind: 'newline', text: c, line: this.line });
        this.i++;
        this.line++;
        this.lineHasText = false;
        continue;
      }
      this.lineHasText = true;
      if (PUNCTUATION.has(c)) {
        this.tokens.push({ kind: 'punct', text: c, line: this.line });
        this.i++;
      } else if (c === '"' || c === '`') this.quoted(c);
      else this.ident(c);
    }
    this.tokens.push({ kind: 'eof', text: '', line: this.line });
  }

  private fail(reason: string): never {
    throw new ModFileSyntaxError(this.file, this.line, reason);
  }

  private startsWith(s: string): boolean {
    return this.chars.slice(this.i, this.i + s.length).join('') === s;
  }

  private lineComment(): void {
    const { chars, i } = this;
    let end = i;
    while (end < chars.length && chars[end] !== '\n') end++;
    const body = chars
      .slice(i + 2, end)
      .join('')
      .replace(/\r$/, '');
    // A comment after a statement ends that statement's line; one alone on its line does not.
    const kind = this.lineHasText ? 'eol-comment' : 'comment';
    this.tokens.push({ kind, text: body, line: this.line });
    this.i = end < chars.length ? end + 1 : end;
    this.line++;
    this.lineHasText = false;
  }

  private quoted(quote: string): void {
    const { chars, i } = this;
    let j = i + 1;
    for (;;) {
      if (j >= chars.length) this.fail('unexpected EOF in string');
      if (chars[j] === '\n') this.fail('unexpected newline in string');
      if (chars[j] === quote) break;
      if (chars[j] === '\\' && quote === '"') j++;
      j++;
    }
    this.tokens.push({ kind: 'string', text: chars.slice(i, j + 1).join(''), line: this.line });
    this.i = j + 1;
  }

  private ident(c: string): void {
    const { chars, i } = this;
    if (!isIdentChar(c)) this.fail(`unexpected input character ${JSON.stringify(c)}`);
    let j = i;
    while (j < chars.length && isIdentChar(chars[j])) {
      if (chars[j] === '/' && chars[j + 1] === '/') break;
      if (chars[j] === '/' && chars[j + 1] === '*') this.fail(BLOCK_COMMENT);
      j++;
    }
    this.tokens.push({ kind: 'ident', text: chars.slice(i, j).join(''), line: this.line });
    this.i = j;
  }
}

const BLOCK_COMMENT = 'go.mod files must use // comments (not /* */ comments)';

const endsLine = (t: Token) => t.kind === 'newline' || t.kind === 'eol-comment' || t.kind === 'eof';
const isPunct = (t: Token, c: string) => t.kind === 'punct' && t.text === c;
const commentOf = (t: Token) => (t.kind === 'eol-comment' ? t.text : undefined);

/**
 * The statements of a go.mod (or go.work) file, in order. Throws ModFileSyntaxError, naming
 * `file` and the line, for what modfile also refuses: an unterminated string or block, a block
 * comment, a block header of more than one word, text after a block's `)`.
 */
export function parseModStatements(text: string, file = 'go.mod'): ModStatement[] {
  const parser = new StatementParser(tokenize(text, file), file);
  while (parser.peek().kind !== 'eof') parser.statement();
  return parser.statements;
}

class StatementParser {
  readonly statements: ModStatement[] = [];
  private at = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly file: string,
  ) {}

  // The eof token is never consumed, so peeking past the end stays safe.
  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.at + ahead, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.at++;
    return t;
  }

  /** One top-level statement or block, with what ends it. */
  statement(): void {
    const first = this.next();
    if (first.kind === 'newline' || first.kind === 'comment') return;
    const words = [first.text];
    for (;;) {
      const t = this.next();
      if (endsLine(t)) {
        this.statements.push({
          verb: words[0],
          args: words.slice(1),
          line: first.line,
          comment: commentOf(t),
        });
        return;
      }
      const opensBlock = isPunct(t, '(') && endsLine(this.peek());
      const emptyBlock = isPunct(t, '(') && isPunct(this.peek(), ')') && endsLine(this.peek(1));
      if (opensBlock || emptyBlock) {
        if (words.length > 1) {
          throw new ModFileSyntaxError(
            this.file,
            first.line,
            `unknown block type: ${words.join(' ')}`,
          );
        }
        if (opensBlock) this.block(first);
        else {
          this.next();
          this.next();
        }
        return;
      }
      // `(` or `( )` in the middle of a line is just more tokens.
      words.push(t.text);
    }
  }

  /** The rest of a line after `first`, and the token that ended it (consumed). */
  private restOfLine(first: Token): { words: string[]; end: Token } {
    const words = [first.text];
    for (;;) {
      const t = this.next();
      if (endsLine(t)) return { words, end: t };
      words.push(t.text);
    }
  }

  /** After `verb (` and its line end: the block's lines, up to and including its `)`. */
  private block(verb: Token): void {
    for (;;) {
      const t = this.next();
      if (t.kind === 'eof') {
        throw new ModFileSyntaxError(
          this.file,
          t.line,
          `syntax error (unterminated ${verb.text} block started at line ${verb.line})`,
        );
      }
      if (t.kind === 'newline' || t.kind === 'comment' || t.kind === 'eol-comment') continue;
      if (isPunct(t, ')')) {
        if (!endsLine(this.peek())) {
          throw new ModFileSyntaxError(
            this.file,
            t.line,
            'syntax error (expected newline after closing paren)',
          );
        }
        this.next();
        return;
      }
      const inner = this.restOfLine(t);
      this.statements.push({
        verb: verb.text,
        args: inner.words,
        line: t.line,
        comment: commentOf(inner.end),
      });
    }
  }
}

/**
 * A module path or version token as modfile's parseString reads it: a double-quoted Go string
 * is unquoted; any other quote in it is an error. Returns undefined for an invalid token.
 */
export function unquoteModToken(token: string): string | undefined {
  if (token.startsWith('"')) {
    if (token.length < 2 || !token.endsWith('"')) return undefined;
    try {
      // Go's escapes that a module path could hold are JSON's too; anything else is refused.
      const value: unknown = JSON.parse(token);
      return typeof value === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }
  return /["'`]/.test(token) ? undefined : token;
}

/** True for the `// indirect` (or `// indirect; …`) comment that go mod tidy writes. */
export function isIndirectComment(comment: string | undefined): boolean {
  if (comment === undefined) return false;
  const fields = comment.trim().split(/\s+/);
  return (fields.length === 1 && fields[0] === 'indirect') || fields[0] === 'indirect;';
}

/** A go.mod line, for messages: its number, and the directive as written with its block's verb. */
export interface GoModLine {
  line: number;
  text: string;
}

export interface ModRequire {
  path: string;
  version: string;
  indirect: boolean;
  at: GoModLine;
}

export interface ModReplace {
  oldPath: string;
  /** Unset when the replace applies to every version. */
  oldVersion?: string;
  newPath: string;
  /** Unset when the replacement is a directory. */
  newVersion?: string;
  at: GoModLine;
}

export interface ModTool {
  path: string;
  at: GoModLine;
}

/** The `require`, `replace` and `tool` directives of a go.mod, in file order. */
export interface ModRequirements {
  requires: ModRequire[];
  replaces: ModReplace[];
  tools: ModTool[];
}

/**
 * Reads the directives that say which module versions a build uses. Throws ModFileSyntaxError
 * for a malformed one, with modfile's usage message; other directives are not looked at, so a
 * newer Go's additions never stop the reading.
 */
export function parseModRequirements(text: string, file = 'go.mod'): ModRequirements {
  const out: ModRequirements = { requires: [], replaces: [], tools: [] };
  for (const s of parseModStatements(text, file)) {
    if (s.verb !== 'require' && s.verb !== 'replace' && s.verb !== 'tool') continue;
    const at: GoModLine = {
      line: s.line,
      text: [s.verb, ...s.args].join(' ') + (s.comment === undefined ? '' : ` //${s.comment}`),
    };
    const fail = (reason: string): never => {
      throw new ModFileSyntaxError(file, s.line, `${at.text}: ${reason}`);
    };
    const args = s.args.map((a) => unquoteModToken(a) ?? fail('invalid quoted string'));
    if (s.verb === 'require') {
      if (args.length !== 2) fail('usage: require module/path v1.2.3');
      out.requires.push({
        path: args[0],
        version: args[1],
        indirect: isIndirectComment(s.comment),
        at,
      });
    } else if (s.verb === 'tool') {
      if (args.length !== 1) fail('tool directive expects exactly one argument');
      out.tools.push({ path: args[0], at });
    } else {
      const arrow = args[1] === '=>' ? 1 : 2;
      if (args[arrow] !== '=>' || args.length < arrow + 2 || args.length > arrow + 3) {
        fail(
          'usage: replace module/path [v1.2.3] => other/module v1.4 or replace module/path [v1.2.3] => ../local/directory',
        );
      }
      out.replaces.push({
        oldPath: args[0],
        oldVersion: arrow === 2 ? args[1] : undefined,
        newPath: args[arrow + 1],
        newVersion: args[arrow + 2],
        at,
      });
    }
  }
  return out;
}

// modfile.GoVersionRE.
const GO_VERSION = /^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$/;

/** The parts of a go.mod that decide a module graph when it is not the main module's. */
export interface GoModFile {
  module?: string;
  /** The `go` directive, e.g. `1.25.0`. */
  go?: string;
  require: Omit<ModRequire, 'at'>[];
  /** `replace` and `exclude` lines as written: they change the graph only where this is the main module. */
  replace: string[];
  exclude: string[];
}

/**
 * Reads module, go, require, replace and exclude the way modfile does; throws
 * ModFileSyntaxError naming `file` and the line of anything malformed. The other directives
 * (toolchain, godebug, retract, tool, ignore) never change which versions are selected.
 */
export function parseGoMod(text: string, file = 'go.mod'): GoModFile {
  const statements = parseModStatements(text, file);
  const { requires, replaces } = parseModRequirements(text, file);
  const out: GoModFile = {
    require: requires.map(({ path, version, indirect }) => ({ path, version, indirect })),
    replace: replaces.map((r) => r.at.text),
    exclude: [],
  };
  for (const s of statements) {
    const args = s.args.map((a) => unquoteModToken(a) ?? a);
    const fail = (reason: string): never => {
      throw new ModFileSyntaxError(file, s.line, reason);
    };
    if (s.verb === 'module') {
      if (args.length !== 1) fail('usage: module module/path');
      out.module = args[0];
    } else if (s.verb === 'go') {
      if (args.length !== 1 || !GO_VERSION.test(args[0])) {
        fail(`invalid go version '${args.join(' ')}': must match format 1.23.0`);
      }
      out.go = args[0];
    } else if (s.verb === 'exclude') {
      out.exclude.push([s.verb, ...s.args].join(' '));
    }
  }
  return out;
}
