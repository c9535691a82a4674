// The public contract: action.yml, the inputs the code reads, and the documentation must name
// the same inputs and outputs, with the same defaults. The Inputs and Outputs tables are looked
// for in README.md and docs/*.md, so they may move between pages but never go missing.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INPUT_NAMES } from '../../src/config/inputs.js';
import { loadActionMetadata, REPO_ROOT } from '../support/action-metadata.js';

const action = loadActionMetadata();
const docs = [
  'README.md',
  ...readdirSync(join(REPO_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
].map((path) => ({ path, text: readFileSync(join(REPO_ROOT, path), 'utf8') }));

/** The text of the one `## <title>` section among the docs, up to the next `#` or `##` heading. */
const section = (title: string) => {
  const found = docs.flatMap(({ path, text }) => {
    const start = text.indexOf(`\n## ${title}\n`);
    if (start < 0) return [];
    const end = text.slice(start + 1).search(/\n##? /);
    return [{ path, body: end < 0 ? text.slice(start) : text.slice(start, start + 1 + end) }];
  });
  if (found.length !== 1) {
    throw new Error(
      `expected one "## ${title}" section in README.md and docs/*.md, found ${found.length}` +
        (found.length ? `: ${found.map((f) => f.path).join(', ')}` : ''),
    );
  }
  return found[0].body;
};

describe('the public contract', () => {
  it('action.yml declares exactly the inputs the action reads', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...INPUT_NAMES].sort());
  });

  it.each(Object.keys(action.inputs))('the docs document input %s and its default', (name) => {
    const row = section('Inputs')
      .split('\n')
      .find((l) => l.startsWith(`| \`${name}\` `));
    expect(row).toBeDefined();
    const def = action.inputs[name].default?.trim() ?? '';
    const shown = row!.split('|')[2];
    if (def === '') expect(shown).toContain('empty');
    else expect(shown).toContain(def.split('\n')[0]);
  });

  it.each(action.outputs)('the docs document output %s', (name) => {
    expect(section('Outputs')).toContain(`| \`${name}\` `);
  });
});
