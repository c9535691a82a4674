// What a runner shows of a job once its masks apply: every `::add-mask::` value is replaced by
// `***` in each later line of the log, in every later step, and in the summaries and outputs.
import type { Job, StepResult } from './runner.js';

export interface ShownText {
  /** Which step and stream, e.g. `2 run go env GOPROXY: stderr`. */
  where: string;
  text: string;
}

/**
 * Everything a person can read of the job, masked as the runner masks it. stdout is taken
 * line by line, a mask applying from the line that registers it; stderr, the summary and the
 * outputs get the masks the step had registered by its end.
 */
export function shownByRunner(job: Pick<Job, 'steps'>): ShownText[] {
  const masks: string[] = [];
  const shown: ShownText[] = [];
  job.steps.forEach((step, i) => {
    const where = `${i + 1} ${step.kind} ${step.label}`;
    const stdout: string[] = [];
    for (const line of step.result.stdout.split('\n')) {
      const command = /^::add-mask::(.*)$/.exec(line);
      if (command) masks.push(...maskValues(command[1]));
      else stdout.push(maskLine(line, masks));
    }
    shown.push({ where: `${where}: stdout`, text: stdout.join('\n') });
    for (const [stream, text] of Object.entries(otherTexts(step.result))) {
      shown.push({ where: `${where}: ${stream}`, text: maskText(text, masks) });
    }
  });
  return shown;
}

function otherTexts(result: StepResult): Record<string, string> {
  return {
    stderr: result.stderr,
    summary: result.summary,
    outputs: Object.entries(result.outputs)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  };
}

/** The command's data, unescaped as the runner does; a multi-line value masks each line. */
function maskValues(data: string): string[] {
  const value = data.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
  return [value, ...value.split(/\r?\n/)].filter((v) => v.trim() !== '');
}

function maskText(text: string, masks: readonly string[]): string {
  return text
    .split('\n')
    .map((line) => maskLine(line, masks))
    .join('\n');
}

/** Every occurrence of every mask, overlapping ones merged, becomes one `***`. */
function maskLine(line: string, masks: readonly string[]): string {
  const ranges: [number, number][] = [];
  for (const mask of masks) {
    for (let at = line.indexOf(mask); at >= 0; at = line.indexOf(mask, at + 1)) {
      ranges.push([at, at + mask.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of ranges) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  let out = '';
  let from = 0;
  for (const [start, end] of merged) {
    out += `${line.slice(from, start)}***`;
    from = end;
  }
  return out + line.slice(from);
}
