// The go this process runs, settled once when it loads: the tests get it through GO_BIN, which
// Jest's global set-up exports, and the demo loads this only after it has settled on a Go.
import { findGo } from './go-lookup.js';

// Lookups are re-exported so that tests and scripts keep one import for everything about Go.
export {
  findGo,
  GO_MISSING,
  goInstallRoot,
  goVersion,
  type GoLookup,
  type GoSource,
} from './go-lookup.js';

const lookup = findGo();
/**
 * The go every test, the demo and the benchmark run. `go` when none was found: Jest's global
 * set-up and the demo's preflight have stopped with the reason before anything runs it.
 */
export const GO_BIN = lookup.ok ? lookup.path : 'go';

/** Throws the one-line reason when no usable Go was found. */
export function requireGo(): void {
  if (!lookup.ok) throw new Error(lookup.problem);
}
