// Module path and version rules, as golang.org/x/mod/module.CheckPath and semver define them.
// A go.sum line names files in the module cache, so a path or version outside these rules
// never reaches a file name.

const BAD_WINDOWS_NAMES = new Set([
  'CON',
  'PRN',
  'AUX',
  'NUL',
  ...Array.from({ length: 9 }, (_, i) => `COM${i + 1}`),
  ...Array.from({ length: 9 }, (_, i) => `LPT${i + 1}`),
]);

/** Why `path` is not a module path Go accepts, or undefined when it is one. */
export function checkModulePath(path: string): string | undefined {
  if (path === '') return 'empty string';
  if (path.startsWith('-')) return 'leading dash';
  if (path.includes('//')) return 'double slash';
  if (path.endsWith('/')) return 'trailing slash';
  for (const elem of path.split('/')) {
    const why = checkElem(elem);
    if (why) return why;
  }
  const first = path.split('/')[0];
  if (!first.includes('.')) return 'missing dot in first path element';
  if (!/^[-.0-9a-z]+$/.test(first)) return 'invalid char in first path element';
  if (!splitPathVersionOk(path)) return 'invalid version suffix';
  return undefined;
}

function checkElem(elem: string): string | undefined {
  if (elem === '') return 'empty path element';
  if (/^\.+$/.test(elem)) return `invalid path element "${elem}"`;
  if (elem.startsWith('.')) return 'leading dot in path element';
  if (elem.endsWith('.')) return 'trailing dot in path element';
  const bad = /[^-._~0-9A-Za-z]/.exec(elem);
  if (bad) return `invalid char ${JSON.stringify(bad[0])}`;
  const short = elem.split('.')[0];
  if (BAD_WINDOWS_NAMES.has(short.toUpperCase())) {
    return `"${short}" disallowed as path element component on Windows`;
  }
  if (/~\d+$/.test(short)) return 'trailing tilde and digits in path element';
  return undefined;
}

/** SplitPathVersion's `ok`: a `/vN` (or gopkg.in's `.vN`) suffix is well-formed. */
function splitPathVersionOk(path: string): boolean {
  if (path.startsWith('gopkg.in/')) {
    const m = /\.v(\d+)(-unstable)?$/.exec(path);
    return !!m && (m[1] === '0' || !m[1].startsWith('0'));
  }
  const m = /\/v([0-9.]+)$/.exec(path);
  if (!m || m.index === 0) return true;
  const n = m[1];
  return !n.includes('.') && !n.startsWith('0') && n !== '1';
}

const CANONICAL =
  /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+incompatible)?$/;

/** Why `version` is not a canonical module version (as go.sum writes them), or undefined. */
export function checkModuleVersion(version: string): string | undefined {
  const m = CANONICAL.exec(version);
  if (!m) return 'not a canonical semantic version';
  if (
    m[4]
      ?.slice(1)
      .split('.')
      .some((id) => /^0\d+$/.test(id))
  ) {
    return 'a numeric pre-release part with a leading zero';
  }
  return undefined;
}
