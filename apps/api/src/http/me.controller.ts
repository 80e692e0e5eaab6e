import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiSchema, ApiTags } from '@nestjs/swagger';

import type { ApiKeyRecord, ApiKeyScope } from './api-keys';
import { Caller } from './caller.decorator';
import { API_KEY_SECURITY, ApiErrors } from './openapi';

/** What the caller's key is: enough for a client to show what it may see and do. */
export interface MeBody {
  /** The key's name as configured (recorded with each refund it requests). */
  name: string;
  /** `["*"]` for every merchant, else `<gateway>:<merchantId>` entries. */
  merchants: string[];
  scopes: ApiKeyScope[];
}

@ApiSchema({ name: 'Me', description: "The caller's API key: its name, the merchants it may act for, its scopes." })
export class MeSchema implements MeBody {
  @ApiProperty({ example: 'shop-a' })
  name!: string;

  @ApiProperty({
    type: [String],
    description: '`["*"]` for every merchant, else `<gateway>:<merchantId>` entries.',
    example: ['leshua:0000000018'],
  })
  merchants!: string[];

  @ApiProperty({ enum: ['operator'], isArray: true, description: '`operator`: may settle refunds by hand.' })
  scopes!: ApiKeyScope[];
}

@ApiTags('keys')
@ApiBearerAuth(API_KEY_SECURITY)
@Controller('me')
export class MeController {
  @Get()
  @ApiOperation({
    summary: "The caller's key: name, merchants and scopes",
    description: 'What this key may see and do, so that a client can show only what it may use. Never the key itself.',
  })
  @ApiOkResponse({ type: MeSchema, example: { name: 'shop-a', merchants: ['leshua:0000000018'], scopes: [] } })
  @ApiErrors('MISSING_API_KEY', 'INVALID_API_KEY', 'RATE_LIMITED_KEY', 'RATE_LIMITED_ADDRESS')
  me(@Caller() caller: ApiKeyRecord): MeBody {
    return {
      name: caller.name,
      merchants: caller.scope === '*' ? ['*'] : [...caller.scope],
      scopes: [...(caller.scopes ?? [])],
    };
  }
}
