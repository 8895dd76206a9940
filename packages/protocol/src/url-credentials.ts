/** `scheme://userinfo@`: the part of a URL that may hold a user name and password. */
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i;

/**
 * `url` with its userinfo (`user:password@`) shown as `***@`, for messages and logs: credentials
 * in a URL must never be echoed. Works on text that is not a valid URL too.
 */
export function redactUrlCredentials(url: string): string {
  return url.replace(USERINFO, '$1***@');
}
