/**
 * `notifyUrl` (seed doc): 「必须以 http:// 或 https:// 开始, 支持大小写字母,数字,'/','&','%','?','='. 暂不支持
 * 通知地址中包含其他字符」. DESIGN reads it as `http(s)://host[:port]` then a path and query in those
 * characters; a host is a DNS name or IPv4 address (its dots and hyphens are allowed there only).
 */
const UMF_NOTIFY_URL = /^https?:\/\/[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?(?:\/[A-Za-z0-9/&%?=]*)?$/;

/** The documented field width. */
export const UMF_NOTIFY_URL_MAX = 256;

/** The URL to send, or why it is left out (the refund then relies on queries). */
export function umfNotifyUrl(url: string | null): { url: string } | { omitted: string } | null {
  if (url === null || url === '') return null;
  if (url.length > UMF_NOTIFY_URL_MAX) return { omitted: `it is longer than ${UMF_NOTIFY_URL_MAX} characters` };
  if (!UMF_NOTIFY_URL.test(url)) {
    return { omitted: 'UMF accepts only http(s)://host[:port] followed by letters, digits and / & % ? =' };
  }
  return { url };
}
