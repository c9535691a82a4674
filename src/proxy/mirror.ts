/** One GOPROXY mirror, as the user listed it. */
export interface Mirror {
  /** What Go gets in GOPROXY: normalised, credentials included. */
  url: string;
  /** Credentials masked: the only form logs, the summary and outputs may show. */
  display: string;
  /** The URL without credentials, for the action's own requests. */
  requestUrl: string;
  /** `Basic …` header built from the URL's credentials (Node's fetch refuses userinfo URLs). */
  authorization?: string;
  /** Listed in `private-mirrors`: serves private modules, joined with `,`. */
  private: boolean;
  /**
   * The offline bundle's module tree, and where the user put it. Its place in the chain is
   * theirs to choose, never the probe times': a local directory always answers fastest.
   */
  bundle?: 'first' | 'last';
}
