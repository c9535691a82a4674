// Reads the action's own action.yml the way the runner does, so tests exercise the declared
// inputs and defaults rather than a copy of them.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** Repository root, found from this file's location (`__tests__/support/`). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
}

export interface ActionMetadata {
  /** Path of action.yml; runs.main and runs.post are relative to its directory. */
  path: string;
  dir: string;
  using: string;
  main: string;
  post?: string;
  postIf?: string;
  inputs: Record<string, ActionInput>;
  outputs: string[];
}

export function loadActionMetadata(actionYmlPath = join(REPO_ROOT, 'action.yml')): ActionMetadata {
  let text: string;
  try {
    text = readFileSync(actionYmlPath, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${actionYmlPath}: ${(err as Error).message}`, { cause: err });
  }
  const doc = parse(text) as {
    inputs?: Record<string, { description?: string; required?: boolean; default?: unknown }>;
    outputs?: Record<string, unknown>;
    runs?: { using?: string; main?: string; post?: string; 'post-if'?: string };
  };
  if (!doc?.runs?.main) throw new Error(`${actionYmlPath}: runs.main is missing`);
  const inputs: Record<string, ActionInput> = {};
  for (const [name, spec] of Object.entries(doc.inputs ?? {})) {
    inputs[name] = {
      description: spec?.description,
      required: spec?.required,
      // The runner hands every default to the action as a string (`5` -> '5', `true` -> 'true').
      default:
        spec?.default === undefined || spec.default === null ? undefined : String(spec.default),
    };
  }
  return {
    path: actionYmlPath,
    dir: dirname(actionYmlPath),
    using: doc.runs.using ?? '',
    main: doc.runs.main,
    post: doc.runs.post,
    postIf: doc.runs['post-if'],
    inputs,
    outputs: Object.keys(doc.outputs ?? {}),
  };
}

/** The variable @actions/core getInput reads: spaces become `_`, dashes stay. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/**
 * Evaluates the few `${{ }}` expressions an input default can sensibly use. Anything else
 * throws, telling the test to pass that input explicitly rather than hand the action a
 * literal `${{ ... }}`.
 */
export function expandDefault(value: string, context: Record<string, string>): string {
  return value.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expr: string) => {
    if (expr in context) return context[expr];
    throw new Error(`input default uses unsupported expression \${{ ${expr} }}; pass the input`);
  });
}
