// A fresh self-signed TLS certificate for `stampede serve --tls` without --tls-cert/--tls-key (loopback testing only).

import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { generate } from 'selfsigned';

export interface CertificatePair {
  cert: Buffer;
  key: Buffer;
  /** SHA-256 fingerprint, AA:BB:…, so a user can pin what the banner printed. */
  fingerprint256: string;
}

/** Valid for a week from now, for localhost, the loopback addresses and `host`; EC P-256 (cheap handshakes). */
export async function selfSignedCertificate(host: string): Promise<CertificatePair> {
  const names = new Set(['localhost', '127.0.0.1', '::1', host]);
  const altNames = [...names].map((name) => (isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name }));
  const now = new Date();
  const pems = await generate([{ name: 'commonName', value: 'stampede reference service' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate: new Date(now.getTime() + 7 * 86_400_000), // a week: a test certificate, not a deployment's
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  const cert = Buffer.from(pems.cert);
  return { cert, key: Buffer.from(pems.private), fingerprint256: new X509Certificate(cert).fingerprint256 };
}
