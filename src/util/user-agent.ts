/**
 * The User-Agent of every request the action makes itself (probes, downloads). It also tells
 * that traffic apart from the cache service's, which runs at the same time.
 */
export const OWN_USER_AGENT = 'go-resilient-setup';
