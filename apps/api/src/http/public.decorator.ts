import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_ROUTE = 'refundhub:public-route';

/** Opts a controller or route out of the API key check (gateway callbacks, health probes). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_ROUTE, true);
