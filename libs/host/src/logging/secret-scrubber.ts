import type { LogDestination } from './log-destination';
import { REDACTED } from './log-redaction';

/**
 * The last guard before a line is written: any configured secret it holds, in a message or any
 * field, as it is or as JSON escapes it, becomes {@link REDACTED}. Field redaction catches secrets
 * under known names; this catches one that reached a text (an error message quoting a request).
 */
export function scrubSecrets(target: LogDestination, secrets: readonly string[]): LogDestination {
  const forms = [...new Set(secrets.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]))]
    .filter((form) => form.length > 0)
    // The longest first: a PEM whole before its lines.
    .sort((a, b) => b.length - a.length);
  if (!forms.length) return target;
  return {
    write: (line: string) => {
      let scrubbed = line;
      for (const form of forms) if (scrubbed.includes(form)) scrubbed = scrubbed.split(form).join(REDACTED);
      return target.write(scrubbed);
    },
  };
}
