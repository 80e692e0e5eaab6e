import type {
  BaofooAnswerEnvelope,
  BaofooNotificationEnvelope,
  BaofooReceivedRequestEnvelope,
  BaofooRefundAnswerData,
  BaofooRefundNotificationData,
  BaofooRefundQueryAnswerData,
  BaofooRequestEnvelope,
} from './baofoo.types';

/** A body or `dataContent` that is not Baofoo's format. The client reports it as a `malformed` outcome. */
export class BaofooParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** How a received field is read: text (a number becomes its decimal text) or an amount (kept as sent). */
type FieldKind = 'text' | 'amount';
type FieldSpec<T> = { readonly [K in keyof T]-?: FieldKind };

const REQUEST_ENVELOPE_FIELDS: FieldSpec<BaofooRequestEnvelope> = {
  merId: 'text',
  terId: 'text',
  method: 'text',
  charset: 'text',
  version: 'text',
  format: 'text',
  timestamp: 'text',
  signType: 'text',
  signSn: 'text',
  ncrptnSn: 'text',
  dgtlEnvlp: 'text',
  signStr: 'text',
  bizContent: 'text',
};

const ANSWER_ENVELOPE_FIELDS: FieldSpec<BaofooAnswerEnvelope> = {
  returnCode: 'text',
  returnMsg: 'text',
  merId: 'text',
  terId: 'text',
  charset: 'text',
  version: 'text',
  format: 'text',
  signType: 'text',
  signSn: 'text',
  ncrptnSn: 'text',
  signStr: 'text',
  dataContent: 'text',
};

const NOTIFICATION_ENVELOPE_FIELDS: FieldSpec<BaofooNotificationEnvelope> = {
  merId: 'text',
  terId: 'text',
  charset: 'text',
  version: 'text',
  format: 'text',
  signType: 'text',
  signSn: 'text',
  ncrptnSn: 'text',
  notifyType: 'text',
  signStr: 'text',
  dataContent: 'text',
};

const RESULT_FIELDS = { resultCode: 'text', refundState: 'text', errCode: 'text', errMsg: 'text' } as const;

const REFUND_ANSWER_FIELDS: FieldSpec<BaofooRefundAnswerData> = {
  ...RESULT_FIELDS,
  originTradeNo: 'text',
  originOutTradeNo: 'text',
  outTradeNo: 'text',
  tradeNo: 'text',
  refundAmt: 'amount',
  totalAmt: 'amount',
  reqReserved: 'text',
};

const QUERY_ANSWER_FIELDS: FieldSpec<BaofooRefundQueryAnswerData> = {
  ...RESULT_FIELDS,
  tradeNo: 'text',
  outTradeNo: 'text',
  finishTime: 'text',
  succAmt: 'amount',
};

const NOTIFICATION_DATA_FIELDS: FieldSpec<BaofooRefundNotificationData> = {
  ...RESULT_FIELDS,
  agentMerId: 'text',
  agentTerId: 'text',
  merId: 'text',
  terId: 'text',
  tradeNo: 'text',
  outTradeNo: 'text',
  finishTime: 'text',
  succAmt: 'amount',
  txnTime: 'text',
};

/** A form body (`application/x-www-form-urlencoded`, UTF-8); absent values are left out, empty ones kept. */
export function encodeBaofooForm(fields: Readonly<Record<string, string | undefined>>): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) form.append(name, value);
  }
  return form.toString();
}

/** Reads a form body. A field given twice is refused: which one was signed would be a guess. */
export function decodeBaofooForm(body: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    if (Object.prototype.hasOwnProperty.call(fields, name)) throw new BaofooParseError(`Field ${name} is repeated`);
    fields[name] = value;
  }
  return fields;
}

/**
 * The request body: the envelope as form fields (the Baofoo Java demo's encoding, proven in the
 * sandbox; a JSON body was refused there).
 */
export function encodeBaofooRequestEnvelope(envelope: BaofooRequestEnvelope): string {
  return encodeBaofooForm({ ...envelope });
}

/** A request envelope as Baofoo (the sandbox) reads it; unknown fields are dropped. */
export function decodeBaofooRequestEnvelope(body: string): BaofooReceivedRequestEnvelope {
  return readFields(decodeBaofooForm(body), REQUEST_ENVELOPE_FIELDS, 'request');
}

/**
 * `bizContent` / `dataContent`: the business fields as a JSON string. `JSON.stringify` leaves CJK and
 * `<>&` unescaped, as Baofoo's own clients do; the string returned is the one to sign and to send.
 */
export function stringifyBaofooContent(content: object): string {
  return JSON.stringify(content);
}

/** Reads a JSON object (a `bizContent`, for the sandbox, or any `dataContent`) without judging its fields. */
export function parseBaofooJsonObject(text: string, what = 'content'): Record<string, unknown> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new BaofooParseError(`${what} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new BaofooParseError(`${what} is not a JSON object`);
  }
  return document as Record<string, unknown>;
}

/** The answer envelope (JSON). `dataContent` must be a string: its signature covers its exact text. */
export function parseBaofooAnswer(text: string): BaofooAnswerEnvelope {
  return readFields(parseBaofooJsonObject(text, 'answer'), ANSWER_ENVELOPE_FIELDS, 'answer');
}

/** The answer envelope as Baofoo (the sandbox) writes it. */
export function encodeBaofooAnswer(envelope: BaofooAnswerEnvelope): string {
  return JSON.stringify(envelope);
}

/**
 * A notification body. The Content-Type is undocumented and Baofoo's sender has posted non-JSON bodies,
 * so both are read: JSON when the type says so or the body is an object, form fields otherwise.
 */
export function parseBaofooNotification(input: {
  body: string;
  contentType: string | null;
}): BaofooNotificationEnvelope {
  const json = baofooNotificationFormat(input) === 'json';
  const document = json ? parseBaofooJsonObject(input.body, 'notification') : decodeBaofooForm(input.body);
  return readFields(document, NOTIFICATION_ENVELOPE_FIELDS, 'notification');
}

/** How a notification body is read: JSON when the type says so or the body is an object, form fields otherwise. */
export function baofooNotificationFormat(input: { body: string; contentType: string | null }): 'json' | 'form' {
  return /json/i.test(input.contentType ?? '') || input.body.trimStart().startsWith('{') ? 'json' : 'form';
}

/** A notification as Baofoo (the sandbox) posts it, as JSON or as form fields. */
export function encodeBaofooNotification(input: { envelope: BaofooNotificationEnvelope; format: 'json' | 'form' }): {
  body: string;
  contentType: string;
} {
  return input.format === 'json'
    ? { body: JSON.stringify(input.envelope), contentType: 'application/json; charset=utf-8' }
    : {
        body: encodeBaofooForm({ ...input.envelope }),
        contentType: 'application/x-www-form-urlencoded; charset=utf-8',
      };
}

/** `dataContent` of an `order_refund` answer, read leniently (numbers where strings are documented). */
export function parseBaofooRefundAnswerData(dataContent: string): BaofooRefundAnswerData {
  return readFields(parseBaofooJsonObject(dataContent, 'dataContent'), REFUND_ANSWER_FIELDS, 'dataContent');
}

/** `dataContent` of a `refund_query` answer, read leniently. */
export function parseBaofooQueryAnswerData(dataContent: string): BaofooRefundQueryAnswerData {
  return readFields(parseBaofooJsonObject(dataContent, 'dataContent'), QUERY_ANSWER_FIELDS, 'dataContent');
}

/** `dataContent` of a REFUND notification, read leniently (a numeric `merId` has been seen). */
export function parseBaofooNotificationData(dataContent: string): BaofooRefundNotificationData {
  return readFields(parseBaofooJsonObject(dataContent, 'dataContent'), NOTIFICATION_DATA_FIELDS, 'dataContent');
}

/**
 * Picks the documented fields. Null is absent; a text field accepts a string, or a number as its
 * decimal text (only a safe integer, so an id is never silently rounded); an amount keeps a number or
 * a string as sent, for `jsonToFen`. Anything else is not Baofoo's format.
 */
function readFields<T>(document: Readonly<Record<string, unknown>>, spec: FieldSpec<T>, where: string): T {
  const fields: Record<string, string | number> = {};
  for (const [name, kind] of Object.entries<FieldKind>(spec)) {
    if (!Object.prototype.hasOwnProperty.call(document, name)) continue;
    const value = document[name];
    if (value === null || value === undefined) continue;
    if (typeof value === 'string') fields[name] = value;
    else if (typeof value === 'number' && Number.isFinite(value) && (kind === 'amount' || Number.isSafeInteger(value)))
      fields[name] = kind === 'amount' ? value : String(value);
    else throw new BaofooParseError(`${where} field ${name} is not ${kind === 'amount' ? 'an amount' : 'text'}`);
  }
  // Every key of the spec is a field of T, and each value has the kind T declares for it.
  return fields as T;
}
