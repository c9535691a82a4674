import type http from 'node:http';
import { HttpClient, getProxyUrl } from '@actions/http-client';
import { OWN_USER_AGENT } from './user-agent.js';

/**
 * The agent that routes a request through the runner's proxy (https_proxy, no_proxy), or
 * undefined to go direct. @actions/http-client knows those settings; its agent cache ignores
 * the protocol, hence a fresh client for each proxied request.
 */
export function proxyAgent(url: URL): http.Agent | undefined {
  if (!getProxyUrl(url.toString())) return undefined;
  return new HttpClient(OWN_USER_AGENT, [], { keepAlive: false }).getAgent(url.toString());
}
