import { Controller, Get } from '@nestjs/common';

import type { ApiKeyRecord, ApiKeyScope } from './api-keys';
import { Caller } from './caller.decorator';

/** What the caller's key is: enough for a client to show what it may see and do. */
export interface MeBody {
  /** The key's name as configured (recorded with each refund it requests). */
  name: string;
  /** `["*"]` for every merchant, else `<gateway>:<merchantId>` entries. */
  merchants: string[];
  scopes: ApiKeyScope[];
}

@Controller('me')
export class MeController {
  @Get()
  me(@Caller() caller: ApiKeyRecord): MeBody {
    return {
      name: caller.name,
      merchants: caller.scope === '*' ? ['*'] : [...caller.scope],
      scopes: [...(caller.scopes ?? [])],
    };
  }
}
