import { describe, expect, it } from '@jest/globals';
import {
  GOLANGCI_LINT_TOOL,
  GOVULNCHECK_TOOL,
  toolVersionFromGoMod,
  type ToolVersion,
  type ToolVersionError,
} from '../../../src/gomod/tool-versions.js';

const LINT_V2 = 'github.com/golangci/golangci-lint/v2';
const LINT_V2_CMD = `${LINT_V2}/cmd/golangci-lint`;
const LINT_V1 = 'github.com/golangci/golangci-lint';

const lint = (text: string) => toolVersionFromGoMod(text, 'app/go.mod', GOLANGCI_LINT_TOOL);
const vuln = (text: string) => toolVersionFromGoMod(text, 'app/go.mod', GOVULNCHECK_TOOL);

function found(r: ToolVersion | ToolVersionError): ToolVersion {
  if ('problem' in r) throw new Error(`expected a version, got ${r.problem}: ${r.message}`);
  return r;
}

function failed(r: ToolVersion | ToolVersionError): ToolVersionError {
  if (!('problem' in r)) throw new Error(`expected an error, got ${r.module}@${r.version}`);
  return r;
}

const mod = (...lines: string[]) => ['module example.com/app', '', 'go 1.24', ...lines].join('\n');

describe('toolVersionFromGoMod', () => {
  it('takes a single-line tool directive to the require line of its module', () => {
    const r = found(lint(mod(`tool ${LINT_V2_CMD}`, '', `require ${LINT_V2} v2.4.0`)));
    expect(r).toEqual({
      tool: 'golangci-lint',
      module: LINT_V2,
      version: 'v2.4.0',
      toolLine: { line: 4, text: `tool ${LINT_V2_CMD}` },
      requireLine: { line: 6, text: `require ${LINT_V2} v2.4.0` },
      indirect: false,
    });
  });

  it('finds the tool in a tool block and its module among several require blocks, past comments', () => {
    const text = mod(
      '// Tools the project runs with `go tool`.',
      'tool (',
      '\tgolang.org/x/tools/cmd/stringer // generates String methods',
      `\t${LINT_V2_CMD}`,
      ')',
      '',
      'require (',
      '\texample.com/lib v1.2.3',
      `\t// ${LINT_V2} v2.0.0 is only mentioned in a comment`,
      ')',
      '',
      'require (',
      '\tgolang.org/x/tools v0.30.0 // indirect',
      `\t${LINT_V2} v2.6.1 // indirect`,
      ')',
    );
    const r = found(lint(text));
    expect(r.version).toBe('v2.6.1');
    expect(r.indirect).toBe(true);
    expect(r.toolLine).toEqual({ line: 7, text: `tool ${LINT_V2_CMD}` });
    expect(r.requireLine).toEqual({ line: 17, text: `require ${LINT_V2} v2.6.1 // indirect` });
  });

  it('takes a require line alone, direct or indirect, single or in a block', () => {
    expect(found(lint(mod(`require ${LINT_V2} v2.10.1`))).version).toBe('v2.10.1');
    const indirect = found(lint(mod('require (', `\t${LINT_V2} v2.11.4 // indirect`, ')')));
    expect([indirect.version, indirect.indirect, indirect.toolLine]).toEqual([
      'v2.11.4',
      true,
      undefined,
    ]);
  });

  it('reads quoted paths, CRLF line ends and comments glued to the version', () => {
    const text = mod(`tool "${LINT_V2_CMD}"`, `require "${LINT_V2}" v2.4.0//indirect`).replace(
      /\n/g,
      '\r\n',
    );
    const r = found(lint(text));
    expect([r.version, r.indirect]).toEqual(['v2.4.0', true]);
  });

  it('knows govulncheck by its tool path and by golang.org/x/vuln', () => {
    const viaTool = found(
      vuln(mod('tool golang.org/x/vuln/cmd/govulncheck', 'require golang.org/x/vuln v1.1.4')),
    );
    expect([viaTool.tool, viaTool.module, viaTool.version]).toEqual([
      'govulncheck',
      'golang.org/x/vuln',
      'v1.1.4',
    ]);
    expect(found(vuln(mod('require golang.org/x/vuln v1.6.0 // indirect'))).version).toBe('v1.6.0');
    // The other tool's lines are not this tool's.
    expect(failed(vuln(mod(`tool ${LINT_V2_CMD}`, `require ${LINT_V2} v2.4.0`))).problem).toBe(
      'not-found',
    );
  });

  it('reads golangci-lint v1 from its own module path', () => {
    const r = found(lint(mod(`tool ${LINT_V1}/cmd/golangci-lint`, `require ${LINT_V1} v1.64.8`)));
    expect([r.module, r.version]).toEqual([LINT_V1, 'v1.64.8']);
    expect(found(lint(mod(`require ${LINT_V1} v1.64.6 // indirect`))).module).toBe(LINT_V1);
  });

  it('lets the tool directive choose when both major versions are required', () => {
    const both = ['require (', `\t${LINT_V1} v1.64.8 // indirect`, `\t${LINT_V2} v2.4.0`, ')'];
    const r = found(lint(mod(`tool ${LINT_V2_CMD}`, ...both)));
    expect([r.module, r.version]).toEqual([LINT_V2, 'v2.4.0']);
    const e = failed(lint(mod(...both)));
    expect(e).toEqual({
      problem: 'ambiguous',
      message:
        `app/go.mod requires more than one major version of golangci-lint: line 5 (require ${LINT_V1} v1.64.8 // indirect), ` +
        `line 6 (require ${LINT_V2} v2.4.0); add a tool directive for the one to install`,
    });
  });

  it('says so when go.mod names the tool nowhere', () => {
    expect(
      failed(lint(mod('require example.com/lib v1.0.0', 'tool example.com/lib/cmd/x'))),
    ).toEqual({
      problem: 'not-found',
      message: `app/go.mod has no tool directive for ${LINT_V2_CMD} and no require line for ${LINT_V2}`,
    });
    // A path that only starts like the module is another module.
    expect(failed(lint(mod(`require ${LINT_V2}-fork v2.4.0`))).problem).toBe('not-found');
  });

  it('refuses a tool directive without the require line of its module, naming the line', () => {
    expect(failed(lint(mod(`tool ${LINT_V2_CMD}`, 'require example.com/lib v1.0.0')))).toEqual({
      problem: 'no-require',
      message: `app/go.mod:4: tool ${LINT_V2_CMD}: no require line for ${LINT_V2}, the module that provides it; run \`go mod tidy\` to add it`,
    });
  });

  it('refuses a tool the go command would build from another module', () => {
    const e = failed(
      lint(
        mod(`tool ${LINT_V2_CMD}`, `require ${LINT_V2} v2.4.0`, `require ${LINT_V2}/cmd v2.4.0`),
      ),
    );
    expect(e.problem).toBe('other-module');
    expect(e.message).toBe(
      `app/go.mod:4: tool ${LINT_V2_CMD}: provided by ${LINT_V2}/cmd (line 6), not by ${LINT_V2}`,
    );
  });

  it('refuses two tool directives for different major versions', () => {
    const e = failed(
      lint(
        mod(
          `tool ${LINT_V2_CMD}`,
          `tool ${LINT_V1}/cmd/golangci-lint`,
          `require ${LINT_V2} v2.4.0`,
        ),
      ),
    );
    expect(e.problem).toBe('ambiguous');
    expect(e.message).toContain('line 4');
    expect(e.message).toContain('line 5');
  });

  it('accepts a module required twice at one version, and refuses two versions', () => {
    const same = mod(`require ${LINT_V2} v2.4.0`, 'require (', `\t${LINT_V2} v2.4.0`, ')');
    expect(found(lint(same)).version).toBe('v2.4.0');
    const e = failed(lint(mod(`require ${LINT_V2} v2.4.0`, `require ${LINT_V2} v2.5.0`)));
    expect(e.problem).toBe('ambiguous');
    expect(e.message).toMatch(
      /^app\/go\.mod requires .* more than once, at different versions: line 4 .* line 5/,
    );
  });

  it.each([
    ['a pre-release', 'v2.5.0-rc.1'],
    ['a pseudo-version', 'v2.4.1-0.20250101120000-0123456789ab'],
    ['a pre-release with dotted identifiers', 'v2.0.0-beta.1.x-y'],
  ])('returns %s exactly as go.mod has it', (_what, version) => {
    expect(found(lint(mod(`require ${LINT_V2} ${version}`))).version).toBe(version);
  });

  it('returns +incompatible versions of a path without a major suffix', () => {
    expect(found(lint(mod(`require ${LINT_V1} v2.0.0+incompatible`))).version).toBe(
      'v2.0.0+incompatible',
    );
  });

  it.each([
    [
      `require ${LINT_V2} v2.4`,
      /^app\/go\.mod:4: require .* v2\.4: v2\.4 is not a canonical module version/,
    ],
    [`require ${LINT_V2} latest`, /latest is not a canonical module version/],
    [
      `require ${LINT_V2} v1.64.8`,
      /v1\.64\.8 is not a version of github\.com\/golangci\/golangci-lint\/v2: its path says major version v2/,
    ],
    [`require ${LINT_V1} v2.4.0`, /major versions above v1 need a \/v2 path suffix/],
    [`require ${LINT_V2} v2.4.0+incompatible`, /its path says major version v2/],
    [`require ${LINT_V2} v2.04.0`, /not a canonical module version/],
  ])('refuses a version go.mod cannot hold: %s', (line, message) => {
    const e = failed(lint(mod(line)));
    expect(e.problem).toBe('bad-version');
    expect(e.message).toMatch(message);
  });

  it('takes into account a replace by the same module at another version', () => {
    const r = found(
      lint(mod(`require ${LINT_V2} v2.4.0`, `replace ${LINT_V2} => ${LINT_V2} v2.5.0`)),
    );
    expect(r.version).toBe('v2.5.0');
    expect(r.replaceLine).toEqual({ line: 5, text: `replace ${LINT_V2} => ${LINT_V2} v2.5.0` });
    expect(r.replacedBy).toBeUndefined();
  });

  it('applies a replace of the required version over one of all versions, and ignores other versions', () => {
    const text = mod(
      `require ${LINT_V2} v2.4.0`,
      'replace (',
      `\t${LINT_V2} v2.4.0 => ${LINT_V2} v2.4.1`,
      `\t${LINT_V2} => example.com/fork/v2 v2.9.0`,
      `\t${LINT_V2} v2.3.0 => ../elsewhere`,
      ')',
    );
    expect(found(lint(text)).version).toBe('v2.4.1');
    const other = mod(`require ${LINT_V2} v2.4.0`, `replace ${LINT_V2} v2.3.0 => ../elsewhere`);
    expect(found(lint(other))).not.toHaveProperty('replacedBy');
  });

  it('reports a replace by a fork or a directory, leaving the decision to the caller', () => {
    const fork = found(
      lint(
        mod(`require ${LINT_V2} v2.4.0`, `replace ${LINT_V2} v2.4.0 => example.com/fork/v2 v2.4.0`),
      ),
    );
    expect(fork.version).toBe('v2.4.0');
    expect(fork.replacedBy).toEqual({
      line: 5,
      text: `replace ${LINT_V2} v2.4.0 => example.com/fork/v2 v2.4.0`,
      path: 'example.com/fork/v2',
      version: 'v2.4.0',
    });
    const dir = found(
      lint(mod(`require ${LINT_V2} v2.4.0`, `replace ${LINT_V2} => ./third_party/lint`)),
    );
    expect(dir.replacedBy).toEqual({
      line: 5,
      text: `replace ${LINT_V2} => ./third_party/lint`,
      path: './third_party/lint',
      version: undefined,
    });
  });

  it('refuses a replace that sets a version the module cannot have', () => {
    const e = failed(
      lint(mod(`require ${LINT_V2} v2.4.0`, `replace ${LINT_V2} => ${LINT_V2} v3.0.0`)),
    );
    expect(e.problem).toBe('bad-version');
    expect(e.message).toMatch(/^app\/go\.mod:5: replace /);
  });

  it('reports a go.mod it cannot read as a syntax problem at its line', () => {
    expect(failed(lint(mod('require (', `\t${LINT_V2} v2.4.0`)))).toEqual({
      problem: 'syntax',
      message: 'app/go.mod:5: syntax error (unterminated require block started at line 4)',
    });
    expect(failed(lint(mod(`require ${LINT_V2}`))).message).toMatch(
      /^app\/go\.mod:4: require github\.com\/golangci\/golangci-lint\/v2: usage: require module\/path v1\.2\.3$/,
    );
  });
});
