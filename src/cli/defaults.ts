import type { RawInputs } from '../config/inputs.js';

/**
 * action.yml's defaults, as the runner would hand them over. The bundle cannot read action.yml
 * at run time, so they are written out here; a unit test keeps the two equal.
 */
export const ACTION_DEFAULTS: RawInputs = {
  mirrors: 'https://proxy.golang.org\ndirect\n',
  'private-mirrors': '',
  private: '',
  sumdb: 'auto',
  'probe-timeout': '5',
  prefetch: 'true',
  'working-directory': '.',
  'cache-dependency-path': '**/go.sum',
  cache: 'true',
  'cache-key-prefix': 'go-mod',
  'save-cache': 'true',
  'build-cache': 'true',
  'build-cache-key-suffix': '',
  'golangci-lint-version': '',
  'golangci-lint-checksum': '',
  'govulncheck-version': '',
  'tool-mirrors': 'https://github.com/golangci/golangci-lint/releases/download',
  'offline-bundle': '',
  'offline-bundle-position': 'last',
  'offline-bundle-max-size': '2GiB',
  // The job's token exists on a runner only; the command line never deletes cache entries.
  token: '',
};
