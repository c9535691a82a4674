import { describe, expect, it } from '@jest/globals';
import { renderSummary } from '../../../src/action/render-summary.js';
import type { RunReport } from '../../../src/action/run-report.js';

const base: RunReport = { probed: [], direct: false, goprivate: '', notes: [] };

describe('renderSummary tools table', () => {
  it('shows version, what it was verified against, the source and the cache, per tool', () => {
    const md = renderSummary({
      ...base,
      tools: [
        {
          tool: 'golangci-lint',
          version: 'v2.4.0',
          integrity: `sha256 ${'f'.repeat(64)} (known checksums)`,
          source: 'https://***:***@mirror.example/v2.4.0/golangci-lint-2.4.0-linux-amd64.tar.gz',
          cached: 'no',
          path: '/t/golangci-lint',
        },
        {
          tool: 'govulncheck',
          version: 'v1.1.4',
          integrity: 'go.sum pin',
          source: 'not installed: checksum mismatch | SECURITY ERROR',
          cached: 'no',
          failed: true,
        },
      ],
    });
    expect(md).toContain('### Tools');
    expect(md).toContain('| tool | version | verified against | source | cached |');
    expect(md).toContain(
      `| ✅ golangci-lint | \`v2.4.0\` | sha256 ${'f'.repeat(64)} (known checksums) | https://***:***@mirror.example/v2.4.0/golangci-lint-2.4.0-linux-amd64.tar.gz | no |`,
    );
    // A pipe in a reason must not break the table.
    expect(md).toContain(
      '| ❌ govulncheck | `v1.1.4` | go.sum pin | not installed: checksum mismatch \\| SECURITY ERROR | no |',
    );
  });

  it('says which go.mod a version was read from', () => {
    const md = renderSummary({
      ...base,
      tools: [
        {
          tool: 'golangci-lint',
          version: 'v2.6.1',
          versionFrom: 'app/go.mod',
          integrity: `sha256 ${'e'.repeat(64)} (known checksums, found in one published list only)`,
          source: 'tool cache',
          cached: 'tool cache',
        },
      ],
    });
    expect(md).toContain(
      `| ✅ golangci-lint | \`v2.6.1\` from app/go.mod | sha256 ${'e'.repeat(64)} (known checksums, found in one published list only) | tool cache | tool cache |`,
    );
  });

  it('has no tools section when no tool was asked for', () => {
    expect(renderSummary(base)).not.toContain('### Tools');
  });
});

describe('prefetch in the summary', () => {
  it('a skipped prefetch says why in the summary', () => {
    const summary = renderSummary({
      probed: [],
      direct: false,
      goprivate: '',
      notes: [],
      prefetch: { enabled: true, attempts: [], skipped: 'vendored project' },
    });
    expect(summary).toContain('### Prefetch\n\nSkipped: vendored project.');
  });
});

describe('build cache in the summary', () => {
  it('shows the matched key, whether go.sum matched, and the bytes and time restored', () => {
    const md = renderSummary({
      ...base,
      buildCache: {
        prefix: 'go-build-Linux-x64-go1.26.0-test+-',
        matchedKey: 'go-build-Linux-x64-go1.26.0-test+-0123456789abcdef-fedcba9876543210',
        hit: false,
        filesRestored: 1200,
        bytesRestored: 50 * 1024 * 1024,
        restoreMs: 1500,
        entries: 1200,
      },
    });
    expect(md).toContain('### Build cache');
    expect(md).toContain(
      '| matched key | `go-build-Linux-x64-go1.26.0-test+-0123456789abcdef-fedcba9876543210` |',
    );
    expect(md).toContain('| build-cache-hit (same go.sum) | false |');
    expect(md).toMatch(/\| restored \| 1200 file\(s\), 50(\.0)? MiB in 1\.5 ?s \|/);
  });

  it('says why the build cache was off', () => {
    const md = renderSummary({
      ...base,
      buildCache: {
        hit: false,
        filesRestored: 0,
        bytesRestored: 0,
        restoreMs: 0,
        entries: 0,
        note: 'disabled (cache: false)',
      },
    });
    expect(md).toContain('_disabled (cache: false)_');
  });
});
