import { join } from 'node:path';

import { importedSpecifiers, packageNameOf, undeclaredImports, workspaceDirs } from './support/declared-imports';

/**
 * Every app and package declares what it imports, so an installed tarball finds all of it.
 * The rule is in test/support/declared-imports.ts and the README ("Publishing the packages").
 */
const ROOT = join(__dirname, '..');

describe('declared imports', () => {
  it.each(workspaceDirs(ROOT).map((dir) => [dir.slice(ROOT.length + 1), dir]))(
    '%s imports only what it declares',
    (_name, workspaceDir) => {
      expect(undeclaredImports({ root: ROOT, workspaceDir })).toEqual([]);
    },
  );

  it('sees imports, re-exports, requires, dynamic and type-only imports', () => {
    const text = [
      "import { a } from '@scope/one/sub';",
      "export * from 'two';",
      "const three = require('three/lib');",
      "void import('four');",
      "import type { Five } from 'five';",
      "import { six } from './six';",
      "import { readFileSync } from 'node:fs';",
      "import { join } from 'path';",
      'const sql = `select * from refund`;',
    ].join('\n');
    const names = importedSpecifiers(text).map(packageNameOf).filter(Boolean);
    expect(names).toEqual(['@scope/one', 'two', 'three', 'four', 'five']);
  });
});
