export const INPUT_NAMES = [
  'mirrors',
  'private-mirrors',
  'private',
  'sumdb',
  'probe-timeout',
  'prefetch',
  'working-directory',
  'cache-dependency-path',
  'cache',
  'cache-key-prefix',
  'save-cache',
  'build-cache',
  'build-cache-key-suffix',
  'golangci-lint-version',
  'golangci-lint-checksum',
  'govulncheck-version',
  'tool-mirrors',
  'offline-bundle',
  'offline-bundle-position',
  'offline-bundle-max-size',
  'token',
] as const;
export type InputName = (typeof INPUT_NAMES)[number];

/** The raw strings the runner hands over, keyed by input name. */
export type RawInputs = Record<InputName, string>;

/** The inputs whose URLs may carry credentials. */
export function secretBearingInputs(raw: RawInputs): string {
  return [raw.mirrors, raw['private-mirrors'], raw['tool-mirrors'], raw['offline-bundle']].join(
    '\n',
  );
}
