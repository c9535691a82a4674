// `npm run demo`: the action at work, in one command, with nothing leaving the machine. It
// builds a sample Go project, serves it through a broken first mirror and a healthy second one
// on loopback, runs dist/ the way a runner does (main, the user's build, post) and prints the
// job summary. Then it runs the same job again on a fresh runner with every mirror dead, and
// the build passes from the module-cache snapshot the first job saved.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../__tests__/support/action-metadata.js';
import { copyBuiltAction } from '../__tests__/support/action-copy.js';
import { startCacheService, type CacheService } from '../__tests__/support/cache-server.js';
import { forceRemove } from '../__tests__/support/fs-cleanup.js';
import { settleGo } from '../__tests__/support/go-install.js';
import type { Mirror } from '../__tests__/support/goproxy-server.js';
import type { Job, StepResult } from '../__tests__/support/runner.js';
import type { Scenario } from '../__tests__/support/scenario.js';

// The fixtures read GO_BIN when they load, so they are loaded once the preflight has settled
// on a Go, which it may have had to unpack first.
let fixtures: typeof import('../__tests__/support/scenario.js');

const MODULES = 12;

// --- terminal output ------------------------------------------------------------------------

const COLOR = process.stdout.isTTY === true && !process.env.NO_COLOR;
const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[[0-9;]*m`, 'g');
const paint = (code: string) => (text: string) =>
  COLOR ? `${ESC}[${code}m${text}${ESC}[0m` : text;
const bold = paint('1');
const dim = paint('2');
const green = paint('32');
const red = paint('31');
const cyan = paint('36');

function say(text = ''): void {
  process.stdout.write(`${text}\n`);
}

function heading(text: string): void {
  say();
  say(bold(cyan(`▶ ${text}`)));
}

/** Columns a string takes in a terminal: emoji take two, variation selectors none. */
function displayWidth(text: string): number {
  const chars = [...text.replace(ANSI, '')];
  let width = 0;
  chars.forEach((ch, i) => {
    if (/[\p{M}\u200d]/u.test(ch)) return;
    const wide =
      /\p{Emoji_Presentation}/u.test(ch) ||
      (/\p{Extended_Pictographic}/u.test(ch) && chars[i + 1] === '\ufe0f');
    width += wide ? 2 : 1;
  });
  return width;
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

// --- the job summary, from GitHub-flavoured Markdown to aligned text ------------------------

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const ESCAPED_PIPE = '\u0000';

/** Inline Markdown and HTML to plain (or bold) text. */
function inline(text: string): string {
  return text
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, (_, inner: string) => bold(inner))
    .replace(/(^|[\s(])_([^_]+)_(?=$|[\s).,:;])/g, '$1$2')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/\\([\\`*_|])/g, '$1')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name])
    .trimEnd();
}

function tableCells(row: string): string[] {
  const cells = row.replace(/\\\|/g, ESCAPED_PIPE).trim().replace(/^\|/, '').replace(/\|$/, '');
  return cells.split('|').map((c) => inline(c.replaceAll(ESCAPED_PIPE, '\\|').trim()));
}

const isSeparatorRow = (cells: string[]) => cells.every((c) => /^:?-{3,}:?$/.test(c));

/** A Markdown table as aligned columns; a header of empty cells (key/value tables) is dropped. */
function renderTable(rows: string[]): string[] {
  const parsed = rows.map(tableCells).filter((cells) => !isSeparatorRow(cells));
  const hasHeader = parsed.length > 1 && parsed[0].some((c) => c !== '');
  const widths = parsed[0].map((_, col) =>
    Math.max(...parsed.map((cells) => displayWidth(cells[col] ?? ''))),
  );
  const line = (cells: string[]) =>
    '  ' +
    widths
      .map((w, col) => padEnd(cells[col] ?? '', w))
      .join('   ')
      .trimEnd();
  if (!hasHeader) return parsed.filter((cells) => cells.some((c) => c !== '')).map(line);
  const [header, ...body] = parsed;
  return [
    line(header.map((h) => bold(h))),
    dim(line(widths.map((w) => '─'.repeat(w)))),
    ...body.map(line),
  ];
}

export function renderMarkdownForTerminal(markdown: string): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim().startsWith('|')) {
      const rows: string[] = [];
      while (i < lines.length && lines[i].trim().startsWith('|')) rows.push(lines[i++]);
      i--;
      out.push(...renderTable(rows));
      continue;
    }
    const title = /^#{1,6}\s+(.*)$/.exec(line);
    if (title) {
      const text = inline(title[1]);
      out.push(bold(text), dim('─'.repeat(displayWidth(text))));
      continue;
    }
    const quote = /^>\s?(.*)$/.exec(line);
    out.push(quote ? `  │ ${inline(quote[1])}` : inline(line));
  }
  // Blank lines left by HTML blocks and Markdown spacing: at most one in a row.
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function printSummary(job: Job): void {
  // The job summary is every step's GITHUB_STEP_SUMMARY, in step order.
  const markdown = job.steps.map((s) => s.result.summary).join('\n');
  say();
  for (const line of renderMarkdownForTerminal(markdown).split('\n')) {
    say(line ? `    ${line}` : '');
  }
}

// --- steps ----------------------------------------------------------------------------------

class StepFailed extends Error {}

/** Names the demo's mirrors in a GOPROXY value or an error: `A`, `B`. */
function nameMirrors(text: string, d: Demo): string {
  return text.replaceAll(d.a.url, 'A').replaceAll(d.b.url, 'B');
}

/** Runs one step of a job, prints one line for it, and stops the demo if it fails. */
async function step(label: string, run: () => Promise<StepResult>): Promise<StepResult> {
  const result = await run();
  const ok = result.exitCode === 0 && !result.timedOut;
  const time = dim(`${(result.durationMs / 1000).toFixed(1)} s`);
  say(`  ${padEnd(label, 44)} ${ok ? green('✔') : red('✘')} ${time}`);
  if (!ok) {
    const errors = result.commands.filter((c) => c.command === 'error').map((c) => c.message);
    const detail = errors.length ? errors.join('\n') : `${result.stdout}\n${result.stderr}`;
    say(red(detail.trim().split('\n').slice(-20).join('\n')));
    throw new StepFailed(`${label} failed`);
  }
  return result;
}

function show(name: string, value: string): void {
  say(`    ${dim(padEnd(name, 12))} ${value}`);
}

// --- the demo -------------------------------------------------------------------------------

/**
 * What has to be there before anything runs, with what to do when it is not. Go is found, or
 * unpacked, as the tests do it.
 */
function preflightProblems(): string[] {
  const problems: string[] = [];
  const go = settleGo({ repoRoot: REPO_ROOT, say: (line) => say(dim(`  ${line}`)) });
  if (go.ok) process.env.GO_BIN = go.path;
  else problems.push(go.problem);
  if (!existsSync(join(REPO_ROOT, 'dist', 'main', 'index.js'))) {
    problems.push(
      'dist/ is missing: it is committed, so check out a full clone or run `npm run build`.',
    );
  }
  return problems;
}

interface Demo {
  s: Scenario;
  service: CacheService;
  a: Mirror;
  b: Mirror;
  actionYml: string;
}

/** What to stop and remove at the end, registered as soon as each thing exists. */
type Cleanups = (() => Promise<void> | void)[];

async function setUp(scratch: string, cleanups: Cleanups): Promise<Demo> {
  heading('A sample Go project');
  const s = fixtures.Scenario.withModules(MODULES, { payloadBytes: 2048 });
  cleanups.push(() => s.close());
  say(`  ${MODULES} modules and an app that imports them all; go.sum written by the real go.`);

  heading('Loopback mirrors and a cache service');
  const a = await s.mirror({ fault: 'status502' });
  const b = await s.mirror();
  const service = await startCacheService();
  cleanups.push(() => service.close());
  show('mirror A', `${a.url}  answers every request with 502 Bad Gateway`);
  show('mirror B', `${b.url}  healthy`);
  show('cache', 'a stand-in for the GitHub Actions cache service (v2 protocol)');
  // Where a runner would download the action to: one copy, used by both jobs.
  const actionYml = copyBuiltAction(join(scratch, '_actions', 'go-resilient-setup'));
  return { s, service, a, b, actionYml };
}

/** The action's inputs, as a workflow would write them. */
function workflowInputs(d: Demo): Record<string, string> {
  return {
    mirrors: `${d.a.url}\n${d.b.url}`,
    'working-directory': 'app',
    // `auto` would probe the public checksum database; the demo stays on loopback. With a
    // complete go.sum, building never asks the database anything.
    sumdb: 'sum.golang.org',
  };
}

async function goAlone(d: Demo): Promise<void> {
  const job = d.s.job();
  const chain = `${d.a.url},${d.b.url},direct`;
  const r = await job.run('go mod download', {
    cwd: 'app',
    env: { GOPROXY: chain },
    timeoutMs: 20_000,
  });
  const firstError = r.stderr.split('\n').find((l) => l.trim() !== '') ?? '';
  say();
  say(
    `  Go alone, with the usual GOPROXY=A,B,direct: ${r.exitCode === 0 ? 'passed' : red('fails')}`,
  );
  say(dim(`    ${nameMirrors(firstError, d).slice(0, 120)}`));
}

async function runJob(d: Demo, title: string): Promise<Job> {
  const job = d.s.job({ actionYmlPath: d.actionYml, env: d.service.env('v2') });
  say(dim(`  ${title}`));
  const main = await step('uses: go-resilient-setup (main)', () => job.runMain(workflowInputs(d)));
  show('cache-hit', main.outputs['cache-hit']);
  show('GOPROXY', nameMirrors(job.env.GOPROXY ?? '', d));
  const build = await step('run: go build && ./app', () => fixtures.goBuild(job));
  const printed = build.stderr.trim().split('\n');
  show('app printed', `${printed.slice(0, 3).join(', ')}, … (${printed.length} lines)`);
  const post = await step('post: go-resilient-setup (post)', () => job.runPost());
  const outcome = /\| outcome \| ([^|]*)\|/.exec(post.summary)?.[1].trim();
  if (outcome) show('snapshot', outcome);
  say();
  say(bold('  Job summary'));
  printSummary(job);
  return job;
}

/** One check the demo's verdict rests on. */
interface Check {
  what: string;
  ok: boolean;
}

function mainOutputs(job: Job): Record<string, string> {
  return job.steps.find((s) => s.kind === 'main')?.result.outputs ?? {};
}

async function coldThenWarm(d: Demo): Promise<Check[]> {
  await goAlone(d);

  heading('First job: a fresh runner, mirror A broken');
  const cold = await runJob(d, 'empty module cache; mirrors: A, B');
  const checks: Check[] = [
    { what: 'the first job exported only the healthy mirror B', ok: cold.env.GOPROXY === d.b.url },
    {
      what: 'the first job saved a snapshot',
      ok: d.service.entries().filter((e) => e.key.startsWith('go-mod-')).length === 1,
    },
  ];

  heading('Second job: a fresh runner, every mirror dead');
  await Promise.all([d.a.close(), d.b.close()]);
  const warm = await runJob(d, 'the same workflow; A and B are shut down and refuse connections');
  checks.push(
    {
      what: 'the second job had an exact cache hit',
      ok: mainOutputs(warm)['cache-hit'] === 'true',
    },
    { what: 'the second job built offline (GOPROXY=off)', ok: warm.env.GOPROXY === 'off' },
  );
  return checks;
}

async function main(): Promise<number> {
  say(bold('go-resilient-setup demo: a broken mirror, a healthy one, then every mirror dead'));
  const problems = preflightProblems();
  if (problems.length) {
    for (const p of problems) say(red(`  ${p}`));
    say(red(bold('FAIL: the demo cannot run here.')));
    return 1;
  }
  fixtures = await import('../__tests__/support/scenario.js');
  const scratch = mkdtempSync(join(tmpdir(), 'grs-demo-'));
  const cleanups: Cleanups = [() => forceRemove(scratch)];
  const cleanUp = async () => {
    // Servers and jobs before the directories they use.
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
  const started = Date.now();
  try {
    const demo = await setUp(scratch, cleanups);
    const failed = (await coldThenWarm(demo)).filter((c) => !c.ok);
    const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
    say();
    for (const c of failed) say(red(`  ✘ ${c.what}: no`));
    if (failed.length) {
      say(red(bold(`FAIL: ${failed.length} check(s) did not hold (${took}).`)));
      return 1;
    }
    say(
      green(
        bold(
          `PASS: the first job built through the healthy mirror and saved a snapshot; the ` +
            `second built with every mirror dead (${took}).`,
        ),
      ),
    );
    return 0;
  } catch (err) {
    say();
    say(red(bold(`FAIL: ${err instanceof StepFailed ? err.message : String(err)}`)));
    return 1;
  } finally {
    await cleanUp();
  }
}

process.exitCode = await main();
