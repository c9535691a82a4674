// Removing test dirs that may hold a Go module cache: go makes it read-only unless
// -modcacherw was in effect, and an action under test may have changed GOFLAGS.
import { chmodSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

function makeWritable(dir: string): void {
  try {
    chmodSync(dir, 0o755);
  } catch {
    return;
  }
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) makeWritable(join(dir, entry.name));
  }
}

export function forceRemove(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    makeWritable(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}
