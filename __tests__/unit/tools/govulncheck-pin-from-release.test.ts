import { describe, expect, it } from '@jest/globals';
import { hashGoMod } from '../../../src/gomod/dirhash.js';
import {
  addPin,
  pinFromRelease,
  setGoMax,
  type ReleaseFiles,
} from '../../../src/tools/govulncheck-pin-from-release.js';
import type { GovulncheckPin } from '../../../src/tools/govulncheck-pins.js';

const h = (seed: string) => `h1:${seed.padEnd(43, 'A')}=`;

const goMod = `module golang.org/x/vuln

go 1.25.0

require (
	github.com/google/go-cmdtest v0.4.1-0.20220921163831-55ab3332a786
	golang.org/x/tools v0.48.0
	golang.org/x/tools/go/packages/packagestest v0.1.1-deprecated
)

require golang.org/x/tools/go/expect v0.1.1-deprecated // indirect
`;

// Written as a tidy go.sum is: sorted, with the go.mod sums of versions only the graph holds.
const goSum = [
  `github.com/google/go-cmdtest v0.4.1-0.20220921163831-55ab3332a786 ${h('cmdtest')}`,
  `github.com/google/go-cmdtest v0.4.1-0.20220921163831-55ab3332a786/go.mod ${h('cmdtestmod')}`,
  `github.com/google/go-cmp v0.3.1/go.mod ${h('cmp031mod')}`,
  `golang.org/x/tools v0.47.0 ${h('tools047')}`,
  `golang.org/x/tools v0.47.0/go.mod ${h('tools047mod')}`,
  `golang.org/x/tools v0.48.0 ${h('tools')}`,
  `golang.org/x/tools v0.48.0/go.mod ${h('toolsmod')}`,
  `golang.org/x/tools/go/expect v0.1.1-deprecated ${h('expect')}`,
  `golang.org/x/tools/go/expect v0.1.1-deprecated/go.mod ${h('expectmod')}`,
  `golang.org/x/tools/go/packages/packagestest v0.1.1-deprecated ${h('packagestest')}`,
  `golang.org/x/tools/go/packages/packagestest v0.1.1-deprecated/go.mod ${h('packagestestmod')}`,
  '',
].join('\n');

const vulnSum = `golang.org/x/vuln v1.6.0 ${h('vuln')}\ngolang.org/x/vuln v1.6.0/go.mod ${hashGoMod(goMod)}\n`;

const release: ReleaseFiles = {
  version: 'v1.6.0',
  goMod,
  goSum,
  vulnSum,
  vulnSumSource: 'computed from the tag',
};

const errorOf = (files: ReleaseFiles): string => {
  try {
    pinFromRelease(files);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('pinFromRelease did not fail');
};

describe('pinFromRelease', () => {
  it("keeps every selected version's lines and every go.mod line, and adds x/vuln's own", () => {
    const { pin, dropped } = pinFromRelease(release);
    expect(pin.go).toBe('1.25.0');
    expect(pin.require).toEqual({
      'github.com/google/go-cmdtest': 'v0.4.1-0.20220921163831-55ab3332a786',
      'golang.org/x/tools': 'v0.48.0',
      'golang.org/x/tools/go/expect': 'v0.1.1-deprecated',
      'golang.org/x/tools/go/packages/packagestest': 'v0.1.1-deprecated',
      'golang.org/x/vuln': 'v1.6.0',
    });
    expect(pin.sum).toEqual([
      `github.com/google/go-cmdtest v0.4.1-0.20220921163831-55ab3332a786 ${h('cmdtest')}`,
      `github.com/google/go-cmdtest v0.4.1-0.20220921163831-55ab3332a786/go.mod ${h('cmdtestmod')}`,
      `github.com/google/go-cmp v0.3.1/go.mod ${h('cmp031mod')}`,
      `golang.org/x/tools v0.47.0/go.mod ${h('tools047mod')}`,
      `golang.org/x/tools v0.48.0 ${h('tools')}`,
      `golang.org/x/tools v0.48.0/go.mod ${h('toolsmod')}`,
      `golang.org/x/tools/go/expect v0.1.1-deprecated ${h('expect')}`,
      `golang.org/x/tools/go/expect v0.1.1-deprecated/go.mod ${h('expectmod')}`,
      `golang.org/x/tools/go/packages/packagestest v0.1.1-deprecated ${h('packagestest')}`,
      `golang.org/x/tools/go/packages/packagestest v0.1.1-deprecated/go.mod ${h('packagestestmod')}`,
      `golang.org/x/vuln v1.6.0 ${h('vuln')}`,
      `golang.org/x/vuln v1.6.0/go.mod ${hashGoMod(goMod)}`,
    ]);
    // Go never downloads a version it does not select.
    expect(dropped).toEqual([`golang.org/x/tools v0.47.0 ${h('tools047')}`]);
    expect(pin.source).toContain('golang/vuln go.mod at v1.6.0');
    expect(pin.source).toContain('golang.org/x/vuln lines: computed from the tag.');
  });

  it('sorts as go.sum does, whatever order the inputs come in', () => {
    const shuffled = goSum.split('\n').reverse().join('\n');
    expect(pinFromRelease({ ...release, goSum: shuffled }).pin).toEqual(
      pinFromRelease(release).pin,
    );
  });

  it('records that the provenance of the x/vuln lines was not given', () => {
    const { pin } = pinFromRelease({ ...release, vulnSumSource: undefined });
    expect(pin.source).toContain('golang.org/x/vuln lines: provenance not recorded.');
  });

  it.each([
    [
      `golang.org/x/tools v0.48.0 ${h('tools')}`,
      'go.sum has no zip line (h1) for golang.org/x/tools v0.48.0',
    ],
    [
      `golang.org/x/tools v0.48.0/go.mod ${h('toolsmod')}`,
      'go.sum has no /go.mod line for golang.org/x/tools v0.48.0',
    ],
    [
      `golang.org/x/tools/go/expect v0.1.1-deprecated ${h('expect')}`,
      'go.sum has no zip line (h1) for golang.org/x/tools/go/expect v0.1.1-deprecated',
    ],
  ])('fails without %s, naming the module and version', (line, message) => {
    expect(errorOf({ ...release, goSum: goSum.replace(`${line}\n`, '') })).toBe(
      `cannot pin govulncheck v1.6.0:\n  - ${message}`,
    );
  });

  it('lists every problem at once', () => {
    const message = errorOf({
      ...release,
      goSum: goSum
        .split('\n')
        .filter((l) => !l.startsWith('golang.org/x/tools/go/packages/packagestest'))
        .join('\n'),
      vulnSum: `golang.org/x/vuln v1.5.0 ${h('old')}\n`,
    });
    expect(message.split('\n')).toEqual([
      'cannot pin govulncheck v1.6.0:',
      '  - x-vuln.sum has a line for golang.org/x/vuln v1.5.0; it may only hold golang.org/x/vuln v1.6.0',
      '  - x-vuln.sum needs one zip line (h1) for golang.org/x/vuln v1.6.0',
      '  - x-vuln.sum needs one /go.mod line for golang.org/x/vuln v1.6.0',
      '  - go.sum has no zip line (h1) for golang.org/x/tools/go/packages/packagestest v0.1.1-deprecated',
      '  - go.sum has no /go.mod line for golang.org/x/tools/go/packages/packagestest v0.1.1-deprecated',
    ]);
  });

  it("refuses x/vuln lines whose go.mod hash is not the given go.mod's", () => {
    const other = goMod.replace('v0.48.0', 'v0.47.0');
    expect(errorOf({ ...release, goMod: other, goSum: goSum })).toContain(
      `x-vuln.sum's golang.org/x/vuln v1.6.0/go.mod hash ${hashGoMod(goMod)} is not that of the given go.mod (${hashGoMod(other)}); is go.mod golang/vuln's at v1.6.0?`,
    );
  });

  it.each([
    [
      'the go.mod of another module',
      goMod.replace('module golang.org/x/vuln', 'module example.com/x'),
      'go.mod is the go.mod of example.com/x, not of golang.org/x/vuln',
    ],
    [
      'no go directive',
      goMod.replace('go 1.25.0\n', ''),
      'go.mod has no go directive, so the Go it needs is unknown',
    ],
    [
      'a replace directive',
      `${goMod}\nreplace golang.org/x/tools => ../tools\n`,
      'go.mod has "replace golang.org/x/tools => ../tools", which the build module cannot reproduce',
    ],
    [
      'an exclude directive',
      `${goMod}\nexclude golang.org/x/tools v0.47.0\n`,
      'go.mod has "exclude golang.org/x/tools v0.47.0", which the build module cannot reproduce',
    ],
  ])('refuses %s', (_name, text, message) => {
    const files = {
      ...release,
      goMod: text,
      vulnSum: `golang.org/x/vuln v1.6.0 ${h('vuln')}\ngolang.org/x/vuln v1.6.0/go.mod ${hashGoMod(text)}\n`,
    };
    expect(errorOf(files)).toContain(`  - ${message}`);
  });

  it('refuses a version that is not a release tag', () => {
    expect(errorOf({ ...release, version: 'latest' })).toBe(
      '"latest" is not a govulncheck release tag such as v1.6.0',
    );
    expect(errorOf({ ...release, version: '1.6.0' })).toContain('"1.6.0" is not');
  });

  it('refuses a go.sum with two hashes for one line', () => {
    const twice = `${goSum}golang.org/x/tools v0.48.0 ${h('other')}\n`;
    expect(errorOf({ ...release, goSum: twice })).toContain(
      `go.sum has two hashes for golang.org/x/tools v0.48.0: ${h('tools')} and ${h('other')}`,
    );
  });
});

describe('addPin', () => {
  const pin = pinFromRelease(release).pin;
  const older: GovulncheckPin = {
    go: '1.22.0',
    require: { 'golang.org/x/vuln': 'v1.1.4' },
    sum: [],
  };
  const newer: GovulncheckPin = {
    go: '1.26.0',
    require: { 'golang.org/x/vuln': 'v1.10.0' },
    sum: [],
  };

  it('adds a version in order, newest first', () => {
    const table = addPin({ 'v1.1.4': older, 'v1.10.0': newer }, 'v1.6.0', pin);
    expect(Object.keys(table)).toEqual(['v1.10.0', 'v1.6.0', 'v1.1.4']);
    expect(table['v1.6.0']).toBe(pin);
    expect(table['v1.1.4']).toBe(older);
  });

  it('leaves a table that already has the same pin as it was', () => {
    const table = { 'v1.6.0': pin, 'v1.1.4': older };
    expect(addPin(table, 'v1.6.0', structuredClone(pin))).toEqual(table);
  });

  it('refuses to change a pinned version, naming it and what differs', () => {
    const changed = { ...pin, sum: pin.sum.map((l) => l.replace(h('tools'), h('other'))) };
    expect(() => addPin({ 'v1.6.0': pin }, 'v1.6.0', changed)).toThrow(
      'govulncheck v1.6.0 is already pinned, with a different sum; a shipped pin is never changed. Remove it by hand first if it really is wrong.',
    );
    expect(() => addPin({ 'v1.6.0': pin }, 'v1.6.0', { ...pin, go: '1.24.0' })).toThrow(
      'with a different go;',
    );
  });

  it('keeps the newest Go a pinned version records when the same pin is added again', () => {
    const table = setGoMax({ 'v1.6.0': pin }, 'v1.6.0', '1.26', 'Go 1.27 fails');
    expect(addPin(table, 'v1.6.0', structuredClone(pin))).toEqual(table);
  });
});

describe('setGoMax', () => {
  const pin = pinFromRelease(release).pin;
  const table = { 'v1.6.0': pin };

  it('records the newest Go that builds a pinned version, and why, after its go line', () => {
    const updated = setGoMax(table, 'v1.6.0', '1.26', ' Go 1.27 changed go/token ');
    expect(updated['v1.6.0']).toEqual({
      ...pin,
      goMax: '1.26',
      goMaxSource: 'Go 1.27 changed go/token',
    });
    expect(Object.keys(updated['v1.6.0'])).toEqual([
      'go',
      'goMax',
      'goMaxSource',
      'source',
      'require',
      'sum',
    ]);
    expect(table['v1.6.0'].goMax).toBeUndefined();
    // The same again changes nothing.
    expect(setGoMax(updated, 'v1.6.0', '1.26', 'Go 1.27 changed go/token')).toEqual(updated);
  });

  it('refuses what would not be a range of Go releases, or has no evidence', () => {
    expect(() => setGoMax(table, 'v1.7.0', '1.26', 'why')).toThrow(
      'govulncheck v1.7.0 is not pinned; pin it first',
    );
    expect(() => setGoMax(table, 'v1.6.0', '1.26.1', 'why')).toThrow(
      '--go-max "1.26.1" is not a Go minor release such as 1.24',
    );
    expect(() => setGoMax(table, 'v1.6.0', '1.24', 'why')).toThrow(
      '--go-max 1.24 is older than the Go govulncheck v1.6.0 needs (go 1.25.0): no Go would build it',
    );
    expect(setGoMax(table, 'v1.6.0', '1.25', 'why')['v1.6.0'].goMax).toBe('1.25');
    expect(() => setGoMax(table, 'v1.6.0', '1.26', '  ')).toThrow('--go-max needs --go-max-source');
  });

  it('refuses to change a newest Go already recorded', () => {
    const updated = setGoMax(table, 'v1.6.0', '1.26', 'Go 1.27 fails');
    expect(() => setGoMax(updated, 'v1.6.0', '1.25', 'Go 1.26 fails')).toThrow(
      'govulncheck v1.6.0 already records goMax 1.26; remove it by hand first if it really is wrong',
    );
  });
});
