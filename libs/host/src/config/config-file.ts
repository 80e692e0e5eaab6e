import { readFileSync } from 'node:fs';
import { extname } from 'node:path';

import { isScalar, LineCounter, parseDocument, visit, YAMLError } from 'yaml';

import { ConfigError } from './config-error';

const EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Reads a configuration file into a plain tree; syntax problems become a ConfigError. */
export function readConfigFile(path: string): unknown {
  const extension = extname(path).toLowerCase();
  if (!EXTENSIONS.includes(extension)) {
    throw new ConfigError(path, [`unsupported file type "${extension}": use ${EXTENSIONS.join(', ')}`]);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [readFailure(error)]);
  }
  return parseConfigText(text, path);
}

/**
 * Parses YAML or JSON (JSON is YAML, and the YAML parser also rejects duplicate keys,
 * which JSON.parse silently merges). Problems carry line and column, never the line's
 * text, which could hold a secret.
 */
export function parseConfigText(text: string, source: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      source,
      doc.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return `line ${line}, column ${col}: ${safeYamlMessage(error)}`;
      }),
    );
  }
  // An unquoted merchant id such as 0000000018 is a YAML number (18); keys are always
  // names or ids in this file, so keep every plain key exactly as written.
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && typeof pair.key.value !== 'string' && typeof pair.key.source === 'string') {
        pair.key.value = pair.key.source;
      }
    },
  });
  let tree: unknown;
  try {
    tree = doc.toJS();
  } catch (error) {
    // An unresolved or excessive alias only shows up here, as a plain Error.
    throw new ConfigError(source, [`(root): ${withoutQuotedSource(String((error as Error).message))}`]);
  }
  if (tree === null || tree === undefined) {
    throw new ConfigError(source, ['(root): the file is empty']);
  }
  return tree;
}

/**
 * The parser sometimes quotes a piece of the text after a colon (an alias, a tag, a
 * bad escape). On a line that holds a key, that piece may be part of it, so drop it.
 */
function safeYamlMessage(error: YAMLError): string {
  if (error.code === 'BAD_DQ_ESCAPE') return 'Invalid escape sequence in a double-quoted string';
  return withoutQuotedSource(error.message);
}

function withoutQuotedSource(message: string): string {
  const colon = message.indexOf(': ');
  return colon < 0 ? message : message.slice(0, colon);
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'file not found';
  return `cannot read the file (${code ?? 'unknown error'})`;
}
