// HTTP
export { GatewayTransport } from './http/gateway-transport';
export type { TransportRequest, TransportResult } from './http/gateway-transport';
export { AxiosGatewayTransport } from './http/axios-gateway-transport';
export { NodeHttpGatewayTransport } from './http/node-http-gateway-transport';
export { defaultGatewayTransport } from './http/default-gateway-transport';
export { provideGatewayTransport, provideGatewayTransportFrom } from './http/gateway-transport.provider';
export type { GatewayTransportBinding, GatewayTransportOption } from './http/gateway-transport.provider';
export { classifyAnswer, parseOrUnknown, GatewayHttp } from './http/gateway-http';
export type { AnswerBody, ParsedAnswer } from './http/gateway-http';

// Signing
export { encodeText } from './signing/charset';
export type { Charset } from './signing/charset';
export { canonicalEntries, canonicalPairs, joinPairs, joinValues, withKey } from './signing/sign-string';
export type { CanonicalOptions, SignableFields, SignableValue, SignOrder } from './signing/sign-string';
export { md5Hex, sameSignature } from './signing/digest';
export { signRsa, verifyRsa } from './signing/rsa';
export type { RsaHash, SignatureEncoding } from './signing/rsa';
export { rsaPrivateKey, rsaPublicKey } from './signing/rsa-keys';
export { VariantVerifier } from './signing/variant-verifier';

// Money and time
export { AmountError, fenToWire, wireToFen, jsonToFen } from './money/fen';
export { formatChinaTime, parseChinaTime, chinaCalendarDaysBetween, refundWindowRefusal } from './time/china-time';
export type { ChinaTimePattern } from './time/china-time';

// Mapping
export { unknownOutcome, isUnknownOutcome } from './mapping/unknown-outcome';
export type { UnknownOutcomeExtras } from './mapping/unknown-outcome';
export { answerMismatch } from './mapping/answer-checks';
export { OutcomeReporter } from './mapping/outcome-reporter';
export { errorCodeOptionsOf, errorCodesOf, unlistedCodeOutcome } from './mapping/error-codes';
export type { AnswerContext, ErrorCodeOptions, ErrorCodes } from './mapping/error-codes';

// Notifications: what a gateway reads of one, bounded before it is parsed
export { DEFAULT_NOTIFICATION_LIMITS, notificationLimits } from './notifications/notification-limits';
export type { NotificationLimits } from './notifications/notification-limits';
export { notificationShapeRefusal, readNotificationText } from './notifications/notification-body';
export type { NotificationFormat } from './notifications/notification-body';
export { formShapeProblem, jsonShapeProblem, xmlShapeProblem } from './notifications/shape-scan';
export type { ShapeLimits } from './notifications/shape-scan';

// Credentials and options
export { GatewayCredentials } from './credentials/gateway-credentials';
export { checkBaseUrl, oneOf, positiveInteger } from './options/option-checks';

// Operator configuration and gateway definitions (config/ and definition/ are maintained alongside
// the hosts; re-exported whole so their public names follow those files).
export * from './config/schema-primitives';
export * from './config/gateway-config.schema';
export * from './definition/gateway-definition';
