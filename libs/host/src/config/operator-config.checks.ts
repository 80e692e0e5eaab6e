import { ConfigProblem } from './config-path';
import { installedGatewayIds } from '../gateways/installed-gateways';

/**
 * Checks that span sections. They read the raw (interpolated) tree defensively instead
 * of refining the schema, because a zod refinement is skipped as soon as any field
 * below it is invalid, and the operator should see every problem in one run.
 */
export function checkApiKeys(raw: unknown): ConfigProblem[] {
  const api = record(raw)?.['api'];
  const list = record(api)?.['keys'];
  if (!Array.isArray(list)) return [];

  const problems: ConfigProblem[] = [];
  const gateways = record(record(raw)?.['gateways']);
  const nameAt = new Map<string, number>();
  const hashAt = new Map<string, number>();

  list.forEach((entry, index) => {
    const key = record(entry);
    if (!key) return;
    const path = ['api', 'keys', index];

    const name = key['name'];
    if (typeof name === 'string' && name !== '') {
      const first = nameAt.get(name);
      if (first === undefined) nameAt.set(name, index);
      else problems.push({ path: [...path, 'name'], message: `same name as api.keys.${first}` });
    }

    const hash = key['sha256'];
    if (typeof hash === 'string' && hash !== '') {
      const first = hashAt.get(hash.toLowerCase());
      if (first === undefined) hashAt.set(hash.toLowerCase(), index);
      else problems.push({ path: [...path, 'sha256'], message: `same key as api.keys.${first}` });
    }

    const scope = key['merchants'];
    if (!Array.isArray(scope)) return;
    scope.forEach((item, i) => {
      const problem = typeof item === 'string' ? scopeProblem(item, gateways) : undefined;
      if (problem) problems.push({ path: [...path, 'merchants', i], message: problem });
    });
  });
  return problems;
}

function scopeProblem(item: string, gateways: Record<string, unknown> | undefined): string | undefined {
  const colon = item.indexOf(':');
  if (item === '*' || colon <= 0) return undefined; // the schema reports malformed entries
  const gateway = item.slice(0, colon);
  const merchantId = item.slice(colon + 1);
  const installed = installedGatewayIds();
  if (!installed.includes(gateway)) return `unknown gateway "${gateway}" (one of ${installed.join(', ')})`;
  const block = record(gateways?.[gateway]);
  if (!block) return `gateway "${gateway}" is not configured under gateways`;
  const merchants = record(block['merchants']);
  if (!merchants || !Object.prototype.hasOwnProperty.call(merchants, merchantId)) {
    return `merchant "${merchantId}" is not configured under gateways.${gateway}.merchants`;
  }
  return undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
