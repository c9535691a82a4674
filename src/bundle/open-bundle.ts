import fs from 'node:fs';
import path from 'node:path';
import type { Config, OfflineBundleConfig } from '../config/types.js';
import type { Project } from '../gomod/discover.js';
import type { Log } from '../host/log.js';
import { openBundle, type OpenedBundle } from './open.js';
import { platformName, toolPlatform } from '../tools/platform.js';
import { runnerTemp } from '../util/runner.js';
import { downloadBundle } from './download-bundle.js';
import type { OfflineBundle } from './offline-bundle.js';

/**
 * Fetches the bundle when it is a URL, unpacks it into the runner's temp directory and checks
 * every file against its manifest and every module against the project's go.sum, holding it to
 * `offline-bundle-max-size` throughout. Any mismatch throws, naming the file, and the temp
 * directory is gone: nothing from a bad bundle is used.
 */
export async function openOfflineBundle(
  config: Config,
  project: Project,
  log: Log,
): Promise<OfflineBundle | undefined> {
  const want = config.offlineBundle;
  if (!want) return undefined;
  return log.group(`Opening the offline bundle ${want.display}`, async () => {
    const work = fs.mkdtempSync(path.join(runnerTemp(), 'go-resilient-setup-bundle-'));
    try {
      return asOfflineBundle(want, await fetchAndOpen(want, project, work, log), log);
    } catch (err) {
      fs.rmSync(work, { recursive: true, force: true });
      throw err;
    }
  });
}

interface Fetched {
  opened: OpenedBundle;
  downloadMs?: number;
  verifyMs: number;
}

async function fetchAndOpen(
  want: OfflineBundleConfig,
  project: Project,
  work: string,
  log: Log,
): Promise<Fetched> {
  const cap = { bytes: want.maxBytes, setting: 'offline-bundle-max-size' };
  let file: string;
  let downloadMs: number | undefined;
  if ('file' in want.location) file = want.location.file;
  else {
    const started = Date.now();
    file = path.join(work, 'bundle');
    const { bytes } = await downloadBundle(want.location.url, file, cap, log.info);
    downloadMs = Date.now() - started;
    log.info(`downloaded ${bytes} bytes from ${want.display} in ${downloadMs} ms`);
  }
  const started = Date.now();
  try {
    const opened = await openBundle(file, path.join(work, 'unpacked'), {
      goSum: readGoSumLines(project),
      cap,
    });
    return { opened, downloadMs, verifyMs: Date.now() - started };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(
      `offline-bundle: ${want.display} was refused, and nothing from it is used: ${why}`,
      { cause: err },
    );
  } finally {
    if (!('file' in want.location)) fs.rmSync(file, { force: true });
  }
}

function asOfflineBundle(
  want: OfflineBundleConfig,
  { opened, downloadMs, verifyMs }: Fetched,
  log: Log,
): OfflineBundle {
  const platform = toolPlatform();
  const tools = opened.manifest.tools.map((t) =>
    [t.name, t.name === 'golangci-lint' ? `v${t.version}` : t.version, t.platform]
      .filter(Boolean)
      .join(' '),
  );
  log.info(
    `verified ${opened.modules} module versions and ${tools.length} tool(s) in ${verifyMs} ms; its mirror goes ${want.position} in the chain`,
  );
  const url = opened.moduleMirror;
  return {
    mirror: { url, display: url, requestUrl: url, private: false, bundle: want.position },
    golangciLintArchive: (version) => {
      const a = opened.toolArchive('golangci-lint', version, platformName(platform));
      return a && { path: a.path, sha256: a.sha256 };
    },
    report: {
      display: want.display,
      position: want.position,
      modules: opened.modules,
      bytes: opened.bytes,
      tools,
      ...(downloadMs !== undefined && { downloadMs }),
      verifyMs,
      used: [],
    },
  };
}

/** Every line of the project's go.sum files: the bundle must agree with each it shares. */
function readGoSumLines(project: Project): string[] {
  return project.goSumFiles.flatMap((f) =>
    fs
      .readFileSync(f, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  );
}
