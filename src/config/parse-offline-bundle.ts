import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { maskUrl } from '../util/mask.js';
import { parseSize } from '../util/size.js';
import type { RawInputs } from './inputs.js';
import { parseMirrorUrl } from './parse-mirror-list.js';
import type { PathKind } from './read-files.js';
import type { OfflineBundleConfig } from './types.js';

/** `offline-bundle`, `offline-bundle-position` and `offline-bundle-max-size`. */
export function parseOfflineBundle(
  raw: RawInputs,
  workspace: string,
  pathKind: (p: string) => PathKind,
  problems: string[],
): OfflineBundleConfig | undefined {
  const rawPosition = raw['offline-bundle-position'].trim().toLowerCase() || 'last';
  let position: OfflineBundleConfig['position'] = 'last';
  if (rawPosition === 'first' || rawPosition === 'last') position = rawPosition;
  else {
    problems.push(
      `offline-bundle-position: "${raw['offline-bundle-position'].trim()}" must be first (air-gapped: the bundle leads the chain) or last (a last-resort fallback)`,
    );
  }
  const size = parseSize('offline-bundle-max-size', raw['offline-bundle-max-size']);
  if ('problem' in size) problems.push(size.problem);
  const entry = raw['offline-bundle'].trim();
  if (!entry) return undefined;
  const display = maskUrl(entry);
  const rest = { display, position, maxBytes: 'bytes' in size ? size.bytes : 0 };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) {
    if (!/^(https?|file):/i.test(entry)) {
      problems.push(
        `offline-bundle: "${display}" uses an unsupported scheme; give a path, or an https://, http:// or file:// URL`,
      );
      return undefined;
    }
    if (/^file:/i.test(entry)) {
      let file: string;
      try {
        file = fileURLToPath(entry);
      } catch {
        problems.push(
          `offline-bundle: "${display}" is not a file URL with an absolute path, e.g. file:///srv/bundles/go.tar.zst`,
        );
        return undefined;
      }
      return checkedFile(file, rest, pathKind, problems);
    }
    const url = parseMirrorUrl(
      'offline-bundle',
      entry,
      false,
      problems,
      'https://artifacts.corp.example/go-bundle.tar.zst',
    );
    return url && { location: { url }, ...rest };
  }
  return checkedFile(path.resolve(workspace, entry), rest, pathKind, problems);
}

function checkedFile(
  file: string,
  rest: Omit<OfflineBundleConfig, 'location'>,
  pathKind: (p: string) => PathKind,
  problems: string[],
): OfflineBundleConfig | undefined {
  const kind = pathKind(file);
  if (kind !== 'file') {
    problems.push(
      `offline-bundle: "${rest.display}" ${kind === 'missing' ? 'does not exist' : 'is a directory, not a bundle file'} (${file}); give the path of a .tar.zst or .tar.gz made by go-resilient-setup bundle, relative to the workspace or absolute`,
    );
    return undefined;
  }
  return { location: { file }, ...rest };
}
