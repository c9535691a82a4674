// A private copy of the built action (action.yml and dist/), for runs that take minutes: every
// job then runs the same build of the action, even if dist/ is rebuilt in the meantime.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GovulncheckPin, PinTable } from '../../src/tools/govulncheck-pins.js';
import { loadActionMetadata, REPO_ROOT } from './action-metadata.js';

/** Copies action.yml and dist/ into `dir`; returns the copy's action.yml for JobOptions. */
export function copyBuiltAction(dir: string): string {
  const action = loadActionMetadata();
  for (const entry of [action.main, action.post]) {
    if (entry && !existsSync(join(REPO_ROOT, entry))) {
      throw new Error(`${entry} does not exist; build the action first (npm run build)`);
    }
  }
  mkdirSync(dir, { recursive: true });
  cpSync(join(REPO_ROOT, 'action.yml'), join(dir, 'action.yml'));
  cpSync(join(REPO_ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  return join(dir, 'action.yml');
}

/**
 * Makes a copy's main step build govulncheck from `pins` instead of the shipped pins of the
 * same versions, e.g. pins of stand-in modules. The bundle embeds the pin table as the JSON
 * text of src/tools/govulncheck-pins.json, which must appear exactly once.
 */
export function swapBundledPins(
  copyDir: string,
  shipped: PinTable,
  pins: Record<string, GovulncheckPin>,
): void {
  for (const version of Object.keys(pins)) {
    if (!shipped[version]) throw new Error(`${version} is not a shipped pin to swap`);
  }
  const bundle = join(copyDir, loadActionMetadata(join(copyDir, 'action.yml')).main);
  const text = readFileSync(bundle, 'utf8');
  const embedded = jsonParseCall(shipped);
  const at = text.indexOf(embedded);
  if (at < 0 || text.indexOf(embedded, at + 1) >= 0) {
    throw new Error(
      `${bundle} does not embed the current govulncheck-pins.json exactly once; rebuild the action (npm run build)`,
    );
  }
  const swapped = jsonParseCall({ ...shipped, ...pins });
  writeFileSync(bundle, text.slice(0, at) + swapped + text.slice(at + embedded.length));
}

/** How the bundler embeds a JSON module: its text in a single-quoted string, parsed at load. */
function jsonParseCall(value: unknown): string {
  const json = JSON.stringify(value);
  if (/[\n\r\u2028\u2029]/.test(json)) throw new Error('unexpected line break in the pins JSON');
  return `JSON.parse('${json.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}')`;
}
