import type { NotificationLimits } from './notification-limits';

/**
 * One pass over a notification's text, before any parser sees it, that counts its fields and measures
 * its nesting, and stops at the first limit passed. Each scan reads every character at most once and
 * allocates nothing that grows with the text, so a hostile body costs a bounded, linear amount of work
 * however it is shaped; the parser then only ever sees a text as small as the gateway's own.
 *
 * A scan does not validate: a text that is not well-formed is left to the parser to refuse. It only
 * ever over-counts (an XML attribute is not an element, but `<` inside one would count), which at worst
 * refuses a text no gateway sends.
 */

export type ShapeLimits = Pick<NotificationLimits, 'maxFields' | 'maxDepth'>;

/** Why the XML text is refused before parsing, or null when it is within the limits. */
export function xmlShapeProblem(text: string, limits: ShapeLimits): string | null {
  let elements = 0;
  let depth = 0;
  let at = 0;
  for (;;) {
    const open = text.indexOf('<', at);
    if (open < 0) return null;
    if (text.startsWith('<![CDATA[', open)) {
      at = skipPast(text, ']]>', open + 9);
    } else if (text.startsWith('<!--', open)) {
      at = skipPast(text, '-->', open + 4);
    } else if (text.startsWith('<?', open)) {
      at = skipPast(text, '?>', open + 2);
    } else if (text.startsWith('<!', open)) {
      // Nothing a gateway sends has one, and a DTD is how entity expansion gets in.
      return 'markup declarations (DOCTYPE, ENTITY) are not accepted';
    } else {
      const close = tagEnd(text, open + 1);
      if (close < 0) return null;
      if (text[open + 1] === '/') {
        depth = Math.max(0, depth - 1);
      } else {
        elements += 1;
        if (elements > limits.maxFields) return `more than ${limits.maxFields} elements`;
        // An empty element (`<b/>`) sits one level down too; it just opens none for what follows.
        if (depth + 1 > limits.maxDepth) return `elements nested deeper than ${limits.maxDepth}`;
        if (text[close - 1] !== '/') depth += 1;
      }
      at = close + 1;
    }
    if (at < 0) return null;
  }
}

/** Why the JSON text is refused before parsing, or null when it is within the limits. */
export function jsonShapeProblem(text: string, limits: ShapeLimits): string | null {
  // Only whether each open container is an object or an array; its depth is the stack's length.
  const containers: Array<'object' | 'array'> = [];
  let fields = 0;
  let arrayJustOpened = false;
  const count = (): string | null => {
    fields += 1;
    return fields > limits.maxFields ? `more than ${limits.maxFields} members or items` : null;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === ' ' || char === '\n' || char === '\r' || char === '\t') continue;
    if (arrayJustOpened) {
      arrayJustOpened = false;
      if (char !== ']') {
        const problem = count();
        if (problem) return problem;
      }
    }
    if (char === '"') {
      i = stringEnd(text, i + 1);
      if (i < 0) return null;
    } else if (char === '{' || char === '[') {
      containers.push(char === '{' ? 'object' : 'array');
      if (containers.length > limits.maxDepth) return `nested deeper than ${limits.maxDepth}`;
      arrayJustOpened = char === '[';
    } else if (char === '}' || char === ']') {
      containers.pop();
    } else if ((char === ':' && containers.at(-1) === 'object') || (char === ',' && containers.at(-1) === 'array')) {
      const problem = count();
      if (problem) return problem;
    }
  }
  return null;
}

/** Why the form text (`a=1&b=2`) is refused before parsing, or null when it is within the limits. */
export function formShapeProblem(text: string, limits: ShapeLimits): string | null {
  let pairs = text.length > 0 ? 1 : 0;
  for (let at = text.indexOf('&'); at >= 0; at = text.indexOf('&', at + 1)) {
    pairs += 1;
    if (pairs > limits.maxFields) return `more than ${limits.maxFields} fields`;
  }
  return null;
}

/** The index just past `end` from `from`, or -1 when it never comes. */
function skipPast(text: string, end: string, from: number): number {
  const found = text.indexOf(end, from);
  return found < 0 ? -1 : found + end.length;
}

/** The index of the `>` that ends a tag begun before `from`, outside quoted attribute values; -1 if none. */
function tagEnd(text: string, from: number): number {
  let quote: string | null = null;
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (quote !== null) {
      if (char === quote) quote = null;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '>') {
      return i;
    }
  }
  return -1;
}

/** The index of the quote that ends a JSON string whose text starts at `from`; -1 if it never ends. */
function stringEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i;
  }
  return -1;
}
