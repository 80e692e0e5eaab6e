import { AxiosGatewayTransport } from './axios-gateway-transport';
import type { GatewayTransport } from './gateway-transport';
import { NodeHttpGatewayTransport } from './node-http-gateway-transport';

/** The variables axios reads a proxy from (through proxy-from-env), lower or upper case. */
const PROXY_VARIABLES = [
  'npm_config_http_proxy',
  'npm_config_https_proxy',
  'http_proxy',
  'https_proxy',
  'npm_config_proxy',
  'all_proxy',
];

/** Whether the environment names a proxy that the axios transport would send gateway calls through. */
export function namesProxy(env: Readonly<Record<string, string | undefined>>): boolean {
  return PROXY_VARIABLES.some((name) => Boolean(env[name] || env[name.toUpperCase()]));
}

/**
 * The transport a module gets when it is given none: {@link NodeHttpGatewayTransport}, at about half
 * the CPU per call of axios, unless the environment names a proxy. Axios honours `HTTPS_PROXY` and
 * its kin and node:http does not, so a host whose gateway calls leave through a proxy (a fixed
 * egress address the gateway allow-lists) keeps the axios transport rather than bypassing it.
 */
export function defaultGatewayTransport(
  input: { env: Readonly<Record<string, string | undefined>> } = { env: process.env },
): GatewayTransport {
  return namesProxy(input.env) ? new AxiosGatewayTransport() : new NodeHttpGatewayTransport();
}
