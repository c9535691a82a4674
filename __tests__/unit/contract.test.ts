// The public contract: action.yml, the inputs the code reads, and the README must name the
// same inputs and outputs, with the same defaults.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INPUT_NAMES } from '../../src/config/inputs.js';
import { loadActionMetadata, REPO_ROOT } from '../support/action-metadata.js';

const action = loadActionMetadata();
const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const section = (title: string) => {
  const start = readme.indexOf(`## ${title}\n`);
  return readme.slice(start, readme.indexOf('\n## ', start + 1));
};

describe('the public contract', () => {
  it('action.yml declares exactly the inputs the action reads', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...INPUT_NAMES].sort());
  });

  it.each(Object.keys(action.inputs))('README documents input %s and its default', (name) => {
    const row = section('Inputs')
      .split('\n')
      .find((l) => l.startsWith(`| \`${name}\` `));
    expect(row).toBeDefined();
    const def = action.inputs[name].default?.trim() ?? '';
    const shown = row!.split('|')[2];
    if (def === '') expect(shown).toContain('empty');
    else expect(shown).toContain(def.split('\n')[0]);
  });

  it.each(action.outputs)('README documents output %s', (name) => {
    expect(section('Outputs')).toContain(`| \`${name}\` `);
  });
});
