/**
 * Reads what `go mod download -x` prints about its HTTP requests:
 *   # get https://mirror/mod/@v/v1.0.0.zip
 *   # get https://mirror/mod/@v/v1.0.0.zip: 200 OK (0.012s)
 *   # get https://mirror/mod/@v/v1.0.0.zip: dial tcp …: connection refused
 * Go prints the second line when the headers arrive, not when the body ends.
 * That is what tells the watchdog which mirror a hung download is waiting on.
 */
export class XTrace {
  private readonly started = new Map<string, number>();
  private readonly answered = new Map<string, string>();

  /** Feeds one stderr line; returns true if it was a request line. */
  feed(line: string, now = Date.now()): boolean {
    const m = /^# get (\S+?)(?:: (.*))?$/.exec(line.trim());
    if (!m) return false;
    const url = stripUserinfo(m[1]);
    if (m[2] === undefined) {
      this.started.set(url, now);
      this.answered.delete(url);
    } else {
      this.answered.set(url, m[2]);
    }
    return true;
  }

  /** Requests sent that never got response headers. */
  unanswered(): string[] {
    return [...this.started.keys()].filter((u) => !this.answered.has(u));
  }

  /** Requests answered 2xx: their bodies may still be in flight. */
  answeredOk(): string[] {
    return [...this.answered].filter(([, outcome]) => /^2\d\d\b/.test(outcome)).map(([u]) => u);
  }

  /** Requests that failed in a way Go does not fall through on with `,`. */
  failures(): { url: string; outcome: string }[] {
    return [...this.answered]
      .filter(([, outcome]) => !/^(2\d\d|404|410)\b/.test(outcome))
      .map(([url, outcome]) => ({ url, outcome: outcome.replace(/\s*\(\d+\.\d+s\)$/, '') }));
  }
}

/** Go redacts passwords in -x output (`user:xxxxx@`); drop userinfo entirely to compare URLs. */
export function stripUserinfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

export interface ModuleFailure {
  module: string;
  version: string;
  /** The checksum of what was downloaded disagrees with go.sum. */
  checksumMismatch: boolean;
  message: string;
}

/**
 * Finds the module versions that `go mod download` reported as failing, e.g.
 *   verifying example.com/a@v1.0.0: checksum mismatch
 *   go: example.com/a@v1.0.0: reading https://…/v1.0.0.zip: 502 Bad Gateway
 *   go: example.com/a@v1.0.0: zip: not a valid zip file
 */
export function parseModuleFailures(stderr: string): ModuleFailure[] {
  const found = new Map<string, ModuleFailure>();
  for (const raw of stderr.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('# get ')) continue;
    const m = /(?:^go: |^verifying |: )([^\s@:]+)@(v[^\s:@]+?)(\/go\.mod)?: (.*)$/.exec(line);
    if (!m) continue;
    const [, module, version, , message] = m;
    const key = `${module}@${version}`;
    const prior = found.get(key);
    const checksumMismatch = /checksum mismatch/.test(message) || prior?.checksumMismatch === true;
    found.set(key, { module, version, checksumMismatch, message: prior?.message ?? message });
  }
  return [...found.values()];
}

/**
 * The end of what Go printed, minus its request trace: Go's own error, such as a go.mod it
 * cannot parse or a go line newer than the toolchain, which no mirror could have caused.
 */
export function goErrorTail(stderr: string, maxLines = 12): string[] {
  const lines = stderr
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('# get '));
  return lines.slice(-maxLines);
}
