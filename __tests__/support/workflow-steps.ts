// Reads a job of a workflow file, so that a test runs the steps the workflow runs, with the
// inputs, commands and environment written there. `${{ }}` expressions are expanded from a
// table the test gives; one the table lacks is an error, never an empty string, so a change to
// the workflow that the test does not follow fails the test.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface WorkflowStep {
  id?: string;
  uses?: string;
  run?: string;
  with: Record<string, string>;
  /** The job's `env:` and then the step's, expanded. */
  env: Record<string, string>;
  workingDirectory?: string;
}

interface RawStep {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  'working-directory'?: string;
}

interface RawJob {
  env?: Record<string, unknown>;
  steps?: RawStep[];
}

/**
 * A job's steps with every expression expanded. `env` replaces values of the job's `env:`
 * (a harness's loopback mirrors); `env.<name>` expressions see the result. The job's `env:`
 * values themselves must hold no expressions.
 */
export function workflowJob(
  file: string,
  jobId: string,
  opts: { env?: Record<string, string>; expressions: Record<string, string> },
): {
  env: Record<string, string>;
  /** A step by its id; `expressions` adds values known only by then (earlier steps' outputs). */
  step(id: string, expressions?: Record<string, string>): WorkflowStep;
} {
  const doc = parse(readFileSync(file, 'utf8')) as { jobs?: Record<string, RawJob> };
  const job = doc.jobs?.[jobId];
  if (!job) throw new Error(`${file} has no job ${jobId}`);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(job.env ?? {})) {
    env[name] = opts.env?.[name] ?? String(value);
  }
  for (const name of Object.keys(opts.env ?? {})) {
    if (!(name in env)) throw new Error(`${file}: job ${jobId} has no env ${name} to replace`);
  }
  const table: Record<string, string> = { ...opts.expressions };
  for (const [name, value] of Object.entries(env)) table[`env.${name}`] = value;

  return {
    env,
    step(id, expressions = {}) {
      const raw = job.steps?.find((s) => s.id === id);
      if (!raw) throw new Error(`${file}: job ${jobId} has no step with id ${id}`);
      const known = { ...table, ...expressions };
      const expand = (text: unknown) =>
        String(text).replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
          if (!(expr in known)) {
            throw new Error(`${file}: no value for the expression \${{ ${expr} }}`);
          }
          return known[expr];
        });
      const expandAll = (values: Record<string, unknown> = {}) =>
        Object.fromEntries(Object.entries(values).map(([k, v]) => [k, expand(v)]));
      return {
        id: raw.id,
        uses: raw.uses,
        run: raw.run === undefined ? undefined : expand(raw.run),
        with: expandAll(raw.with),
        env: { ...env, ...expandAll(raw.env) },
        workingDirectory:
          raw['working-directory'] === undefined ? undefined : expand(raw['working-directory']),
      };
    },
  };
}
