import path from 'node:path';

/**
 * Where @actions/cache puts a directory's files inside an archive: the directory relative to
 * the workspace, with `/` separators (`../../go/pkg/mod/cache/download` for a module cache
 * outside the workspace). It is absolute only when no relative path exists (another drive on
 * Windows).
 */
export function memberPrefix(
  workspace: string,
  dir: string,
  paths: Pick<typeof path, 'relative' | 'sep'> = path,
): string {
  const rel = paths.relative(workspace, dir).split(paths.sep).join('/');
  return rel === '' ? '.' : rel;
}

/** Where a member goes: below the entry's `index`-th directory, or why it may not go anywhere. */
export type Placement = { index: number; rel: string } | { refused: string };

/**
 * Places an archive member under one of the entry's directories, given as the prefixes the
 * toolkit wrote for them. A member lands only below its own prefix, and only through plain
 * names: an absolute name that is not such a prefix, a `..` or `.` part anywhere after it, an
 * empty part, a backslash or a NUL is refused, and so is anything under no prefix at all.
 */
export function placeMember(name: string, prefixes: readonly string[]): Placement {
  if (name.includes('\0') || name.includes('\\')) {
    return { refused: `${JSON.stringify(name)}: a name with a NUL or a backslash` };
  }
  const trimmed = name.length > 1 ? name.replace(/\/$/, '') : name;
  let best = -1;
  for (let i = 0; i < prefixes.length; i++) {
    const p = prefixes[i];
    const inside = trimmed === p || trimmed.startsWith(p === '.' ? './' : `${p}/`);
    if (inside && (best < 0 || p.length > prefixes[best].length)) best = i;
  }
  if (best < 0) return { refused: `${name}: ${whyOutside(trimmed)}` };
  const rest = trimmed === prefixes[best] ? '' : trimmed.slice(prefixes[best].length + 1);
  if (rest === '') return { index: best, rel: '' };
  const parts = rest.split('/');
  if (parts.some((s) => s === '' || s === '.' || s === '..')) {
    return { refused: `${name}: a name with an empty, "." or ".." part` };
  }
  return { index: best, rel: parts.join('/') };
}

function whyOutside(name: string): string {
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name))
    return "an absolute name outside the entry's directories";
  return "outside the entry's directories";
}
