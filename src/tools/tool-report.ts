/** One tool in the job summary. */
export interface ToolReport {
  tool: string;
  version: string;
  /** The go.mod the version was read from, when it was. */
  versionFrom?: string;
  /** What the bytes were checked against: a sha256, or the go.sum pin. */
  integrity: string;
  /** Where the bytes came from (masked), or why nothing was installed. */
  source: string;
  cached: 'tool cache' | 'no';
  /** Absolute path of the installed binary; unset when the install failed. */
  path?: string;
  failed?: boolean;
}
