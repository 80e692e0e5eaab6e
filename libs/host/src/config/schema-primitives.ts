// The configuration primitives live with the gateway kit, so each gateway's own schema uses the same ones.
export {
  SANDBOX_BASE_URL,
  baseUrl,
  boolean,
  duration,
  httpUrl,
  identifier,
  integer,
  secret,
} from '@refundhub/gateway-kit';
