import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

/** Sockets a transport keeps to gateways, reused across calls and closed when the app shuts down. */
export interface GatewayAgents {
  http: HttpAgent;
  https: HttpsAgent;
}

/** Tuning of {@link createGatewayAgents}; the defaults suit a few gateway hosts at API-scale concurrency. */
export interface GatewayAgentOptions {
  /** Sockets per gateway origin; further calls wait in the agent's queue, within their own deadline. */
  maxSockets?: number;
  /** Idle sockets kept per origin after a burst; the rest are closed rather than held open. */
  maxFreeSockets?: number;
  /**
   * How long an idle socket is kept. Below the 5 s keep-alive timeout of Node servers and common load
   * balancers, so we close an idle socket before the server does, rather than writing a request onto
   * one the server is closing (an ECONNRESET on a signed refund call is an unknown outcome).
   */
  freeSocketTimeoutMs?: number;
}

export const DEFAULT_GATEWAY_AGENT_OPTIONS: Required<GatewayAgentOptions> = {
  maxSockets: 128,
  maxFreeSockets: 16,
  freeSocketTimeoutMs: 4000,
};

export function createGatewayAgents(options: GatewayAgentOptions = {}): GatewayAgents {
  const { maxSockets, maxFreeSockets, freeSocketTimeoutMs } = { ...DEFAULT_GATEWAY_AGENT_OPTIONS, ...options };
  // `timeout` is the idle timeout of free sockets here: the transport bounds calls with its own deadline.
  const settings = {
    keepAlive: true,
    maxSockets,
    maxFreeSockets,
    timeout: freeSocketTimeoutMs,
    scheduling: 'lifo' as const,
  };
  return { http: new HttpAgent(settings), https: new HttpsAgent(settings) };
}

/** Closes every socket, idle or busy; agents stay usable and would open new ones. */
export function destroyGatewayAgents(agents: GatewayAgents): void {
  agents.http.destroy();
  agents.https.destroy();
}
