// The parts of a go.mod file that decide a module graph, read the way golang.org/x/mod/modfile
// reads them: one directive per line or in a parenthesised block, `//` comments, quoted tokens.

// modfile.GoVersionRE.
const GO_VERSION = /^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$/;

export interface Requirement {
  path: string;
  version: string;
  /** Marked `// indirect`: no package of this module imports it. */
  indirect: boolean;
}

export interface GoModFile {
  module?: string;
  /** The `go` directive, e.g. `1.25.0`. */
  go?: string;
  require: Requirement[];
  /** `replace` and `exclude` lines as written: they change the graph only where this is the main module. */
  replace: string[];
  exclude: string[];
}

/** Parses go.mod text; throws naming `fileName` and the 1-based line of anything malformed. */
export function parseGoMod(text: string, fileName = 'go.mod'): GoModFile {
  const file: GoModFile = { require: [], replace: [], exclude: [] };
  let block: string | undefined;
  text.split('\n').forEach((raw, index) => {
    const fail = (why: string): never => {
      throw new Error(`${fileName}:${index + 1}: ${why}`);
    };
    const { tokens, comment } = tokenize(raw, fail);
    if (tokens.length === 0) return;
    if (block !== undefined) {
      if (tokens.length === 1 && tokens[0] === ')') {
        block = undefined;
        return;
      }
      return directive(file, block, tokens, comment, `${block} ${raw.trim()}`, fail);
    }
    if (tokens.length === 2 && tokens[1] === '(') {
      block = tokens[0];
      return;
    }
    directive(file, tokens[0], tokens.slice(1), comment, raw.trim(), fail);
  });
  if (block !== undefined) throw new Error(`${fileName}: the ${block} ( block is never closed`);
  return file;
}

function directive(
  file: GoModFile,
  verb: string,
  args: string[],
  comment: string | undefined,
  line: string,
  fail: (why: string) => never,
): void {
  switch (verb) {
    case 'module':
      if (args.length !== 1) fail('usage: module module/path');
      file.module = args[0];
      return;
    case 'go':
      if (args.length !== 1 || !GO_VERSION.test(args[0])) {
        fail(`invalid go version '${args.join(' ')}': must match format 1.23.0`);
      }
      file.go = args[0];
      return;
    case 'require':
      if (args.length !== 2) fail('usage: require module/path v1.2.3');
      file.require.push({ path: args[0], version: args[1], indirect: isIndirect(comment) });
      return;
    case 'replace':
      file.replace.push(line);
      return;
    case 'exclude':
      file.exclude.push(line);
      return;
    default:
      // toolchain, godebug, retract, tool, ignore: none of them changes which versions are selected.
      return;
  }
}

// modfile: a comment is an indirect mark when it reads `indirect`, or starts with `indirect;`.
function isIndirect(comment: string | undefined): boolean {
  const text = comment?.trim();
  return text === 'indirect' || (text?.startsWith('indirect;') ?? false);
}

function tokenize(
  line: string,
  fail: (why: string) => never,
): { tokens: string[]; comment?: string } {
  const tokens: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (line.startsWith('//', i)) {
      return { tokens, comment: line.slice(i + 2) };
    } else if (c === '"' || c === '`') {
      const end = quotedEnd(line, i);
      if (end < 0) fail('unterminated quoted string');
      const quoted = line.slice(i, end + 1);
      tokens.push(c === '`' ? quoted.slice(1, -1) : (JSON.parse(quoted) as string));
      i = end + 1;
    } else if (c === '(' || c === ')') {
      tokens.push(c);
      i++;
    } else {
      let end = i;
      while (end < line.length && !' \t\r()"`'.includes(line[end]) && !line.startsWith('//', end)) {
        end++;
      }
      tokens.push(line.slice(i, end));
      i = end;
    }
  }
  return { tokens };
}

function quotedEnd(line: string, start: number): number {
  const quote = line[start];
  for (let i = start + 1; i < line.length; i++) {
    if (quote === '"' && line[i] === '\\') i++;
    else if (line[i] === quote) return i;
  }
  return -1;
}
