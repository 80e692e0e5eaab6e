import { z } from 'zod';

import { webhookSecretProblem } from '@refundhub/core';

/**
 * A webhook secret (`whsec_` and the key in base64, as Standard Webhooks has it), or a list of them
 * while a secret is rotated: every one signs, so receivers holding the old or the new one verify.
 * Read as a list. Problems say what is expected, never the value.
 */
export function webhookSecrets() {
  return z
    .union([z.string(), z.array(z.string()).min(1)], {
      error: 'expected a "whsec_..." secret, or a list of them while a secret is rotated',
    })
    .superRefine((value, ctx) => {
      const list = typeof value === 'string' ? [value] : value;
      list.forEach((secret, i) => {
        const problem = webhookSecretProblem(secret);
        if (problem) ctx.addIssue({ code: 'custom', path: typeof value === 'string' ? [] : [i], message: problem });
      });
    })
    .transform((value): string[] => (typeof value === 'string' ? [value] : value));
}
