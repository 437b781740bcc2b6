// Secrets never reach a result or a report: credentials in URLs and header values are removed here, once.

/** Query parameters whose values are treated as secrets. */
const SECRET_PARAMS = /^(?:token|access_token|id_token|api[-_]?key|key|secret|client_secret|password|passwd|pwd|auth|authorization|signature|sig|session|code)$/i;

/** The URL without user:password@ and with secret-looking query values replaced by "redacted". */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '[unparseable URL]';
  }
  parsed.username = '';
  parsed.password = '';
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAMS.test(name)) parsed.searchParams.set(name, 'redacted');
  }
  return parsed.toString();
}

/** Header names only (values may be credentials: Authorization, Cookie, X-Api-Key…), as `Name: [redacted]`. */
export function redactHeaders(headers: Record<string, string> | Array<[string, string]>): string[] {
  const entries = Array.isArray(headers) ? headers : Object.entries(headers);
  return entries.map(([name]) => `${name}: [redacted]`);
}
