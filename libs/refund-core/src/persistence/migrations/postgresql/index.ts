import type { MigrationObject } from '@mikro-orm/core';

import { Migration20261122212553 } from './Migration20261122212553';
import { Migration20261130020000 } from './Migration20261130020000';
import { Migration20261130050000 } from './Migration20261130050000';
import { Migration20261130060000 } from './Migration20261130060000';
import { Migration20261130070000 } from './Migration20261130070000';
import { Migration20261130080000 } from './Migration20261130080000';
import { Migration20261130090000 } from './Migration20261130090000';
import { Migration20261130100000 } from './Migration20261130100000';
import { Migration20261130110000 } from './Migration20261130110000';
import { Migration20261130120000 } from './Migration20261130120000';
import { Migration20261201000000 } from './Migration20261201000000';

/** In order; listed explicitly so compiled and source builds find the same migrations. */
export const POSTGRESQL_MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261122212553', class: Migration20261122212553 },
  { name: 'Migration20261130020000', class: Migration20261130020000 },
  { name: 'Migration20261130050000', class: Migration20261130050000 },
  { name: 'Migration20261130060000', class: Migration20261130060000 },
  { name: 'Migration20261130070000', class: Migration20261130070000 },
  { name: 'Migration20261130080000', class: Migration20261130080000 },
  { name: 'Migration20261130090000', class: Migration20261130090000 },
  { name: 'Migration20261130100000', class: Migration20261130100000 },
  { name: 'Migration20261130110000', class: Migration20261130110000 },
  { name: 'Migration20261130120000', class: Migration20261130120000 },
  { name: 'Migration20261201000000', class: Migration20261201000000 },
];
