// A private copy of the built action (action.yml and dist/), for runs that take minutes: every
// job then runs the same build of the action, even if dist/ is rebuilt in the meantime.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
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
