import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBundle } from '../bundle/open.js';
import { BundleError } from '../bundle/manifest.js';
import { discoverProject } from '../gomod/discover.js';
import { parseSize } from '../util/size.js';
import { ACTION_DEFAULTS } from './defaults.js';
import { parseCommandLine, UsageError, type FlagSpec } from './flags.js';

export const VERIFY_USAGE = `Usage: go-resilient-setup verify FILE [flags]

Checks an offline bundle as the action does before it uses one: every file against the
manifest's size and sha256, no file missing or extra, every module against its go.sum lines and
against the project's go.sum, golangci-lint archives against the action's checksum table and
govulncheck's modules against its pins. Each problem names the file and what is wrong with it.

Flags:
  --dir DIR         the Go project whose go.sum files the bundle must agree with (default:
                    the current directory; without go.sum files only the manifest is checked)
  --max-size SIZE   the most the bundle may be, and may unpack to, as the action's
                    offline-bundle-max-size: e.g. 2GiB, 500MB or bytes (default: ${ACTION_DEFAULTS['offline-bundle-max-size']})
  --json            print one JSON object instead of text

Exit status: 0 when the bundle is sound, 1 when it is not, 2 for a usage error.`;

const SPEC: FlagSpec = {
  dir: { type: 'string' },
  'max-size': { type: 'string' },
  json: { type: 'boolean' },
};

/** `verify`: open the bundle into a temporary directory, report, and remove it again. */
export async function verifyCommand(argv: string[], print: (text: string) => Promise<void>) {
  const { values, args } = parseCommandLine(argv, SPEC, ['FILE']);
  const file = path.resolve(args[0]);
  if (!fs.existsSync(file)) throw new UsageError(`FILE: "${args[0]}" does not exist`);
  const dir = path.resolve(typeof values.dir === 'string' ? values.dir : '.');
  if (!fs.existsSync(dir)) throw new UsageError(`--dir: "${String(values.dir)}" does not exist`);
  const rawSize = values['max-size'];
  const size = parseSize(
    '--max-size',
    typeof rawSize === 'string' ? rawSize : ACTION_DEFAULTS['offline-bundle-max-size'],
  );
  if ('problem' in size) throw new UsageError(size.problem);
  const project = await discoverProject(dir, ['**/go.sum']);
  const goSum = project.goSumFiles.flatMap((f) => fs.readFileSync(f, 'utf8').split('\n'));
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'go-resilient-setup-verify-'));
  fs.rmSync(dest, { recursive: true });
  try {
    const opened = await openBundle(file, dest, {
      goSum,
      cap: { bytes: size.bytes, setting: '--max-size' },
    });
    const result = {
      ok: true,
      file,
      files: opened.manifest.files.length,
      modules: opened.modules,
      bytes: opened.bytes,
      tools: opened.manifest.tools.map((t) =>
        [t.name, t.version, t.platform].filter(Boolean).join(' '),
      ),
      goSumFiles: project.goSumFiles.map((f) => path.relative(dir, f)),
    };
    const against =
      result.goSumFiles.length > 0
        ? `and with ${result.goSumFiles.join(', ')}`
        : `(no go.sum under ${dir}: only the manifest was checked)`;
    await print(
      values.json
        ? `${JSON.stringify(result, null, 2)}\n`
        : `OK ${file}\n  ${result.files} files, ${result.modules} module versions, tools: ${result.tools.join(', ') || 'none'}\n  consistent with its manifest ${against}\n`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof BundleError)) throw err;
    await print(
      values.json
        ? `${JSON.stringify({ ok: false, file, problem: err.message }, null, 2)}\n`
        : `FAILED ${err.message}\n`,
    );
    return 1;
  } finally {
    fs.rmSync(dest, { recursive: true, force: true });
  }
}
