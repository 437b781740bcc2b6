// Which request Content-Types the contract accepts: application/json or application/*+json, in UTF-8.

/** True for `application/json`, `application/json; charset=utf-8`, `application/merge+json`…; false when absent. */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  if (header === 'application/json') return true; // the common case, without allocating
  const [mediaType = '', ...params] = header.split(';');
  const type = mediaType.trim().toLowerCase();
  if (type !== 'application/json' && !(type.startsWith('application/') && type.endsWith('+json'))) return false;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    const charset = param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
    // RFC 8259 §8.1: JSON exchanged between systems MUST be UTF-8.
    if (charset !== 'utf-8' && charset !== 'utf8') return false;
  }
  return true;
}
