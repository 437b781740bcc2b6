// The exact bytes of the load engines' POST /user-profiles: one head prefix built once per run, then per request only
// the Content-Length and the body.

const JSON_TYPE = 'application/json';
/** Headers the engine writes itself: the caller's spelling of them is dropped. */
const OWN = new Set(['host', 'content-type', 'content-length', 'transfer-encoding', 'connection']);

export class PostRequestBytes {
  private readonly prefix: Buffer;

  /** `url`: the target (its host:port goes in Host); `headers`: the caller's extra headers (-H), values as given. */
  constructor(url: string, headers: Record<string, string>, path = '/user-profiles') {
    let head = `POST ${path} HTTP/1.1\r\nHost: ${new URL(url).host}\r\n`;
    for (const [name, value] of Object.entries(headers)) if (!OWN.has(name.toLowerCase())) head += `${name}: ${value}\r\n`;
    head += `Content-Type: ${JSON_TYPE}\r\nContent-Length: `;
    this.prefix = Buffer.from(head, 'latin1');
  }

  /** A new buffer holding the whole request (the body is copied: a recycled payload may change after this call). */
  build(body: Buffer): Buffer {
    return this.buildInto(body, undefined);
  }

  /**
   * The whole request written into `scratch` (a view of it is returned), or into a new buffer when it is too small or
   * absent. For a caller that has one request in flight per buffer and reuses it only once that request is over.
   */
  buildInto(body: Buffer, scratch: Buffer | undefined): Buffer {
    const length = String(body.length);
    const size = this.prefix.length + length.length + 4 + body.length;
    const bytes = scratch !== undefined && scratch.length >= size ? scratch.subarray(0, size) : Buffer.allocUnsafe(size);
    let offset = this.prefix.copy(bytes, 0);
    offset += bytes.write(length, offset, 'latin1');
    bytes[offset++] = 13;
    bytes[offset++] = 10;
    bytes[offset++] = 13;
    bytes[offset++] = 10;
    body.copy(bytes, offset);
    return bytes;
  }
}
