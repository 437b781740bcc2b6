// Short error kinds for requests that got no answer, from undici's and Node's error codes (what the ledger records).

/**
 * 'timeout' for every undici timeout, the system code for socket errors (ECONNREFUSED, ECONNRESET, EPIPE, …),
 * 'connection closed' when the server closed the connection before answering, 'client closed' when the engine's own
 * pool was shut down, 'bad response' for an answer that could not be parsed; otherwise the code or the message.
 */
export function errorKind(error: unknown): string {
  const code = codeOf(error);
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return 'timeout';
    case 'UND_ERR_SOCKET':
      // "other side closed" has no cause; a reset carries the system error as its cause.
      return codeOf((error as { cause?: unknown }).cause) ?? 'connection closed';
    case 'UND_ERR_DESTROYED':
    case 'UND_ERR_CLOSED':
      return 'client closed';
    case 'UND_ERR_ABORTED':
      return 'aborted';
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
    case 'UND_ERR_HEADERS_OVERFLOW':
    case 'UND_ERR_RES_EXCEEDED_MAX_SIZE':
      return 'bad response';
    case undefined:
      return error instanceof Error && error.message !== '' ? error.message : 'unknown';
    default:
      return code.startsWith('HPE_') ? 'bad response' : code;
  }
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}
