import { describe, expect, it } from 'vitest';
import { connect, type PeerCertificate } from 'node:tls';
import { useServices } from '../testing/services.ts';

const start = useServices();

function peerCertificate(port: number, alpn: string): Promise<{ certificate: PeerCertificate; protocol: string | false | null }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ALPNProtocols: [alpn], servername: 'localhost' }, () => {
      resolve({ certificate: socket.getPeerCertificate(), protocol: socket.alpnProtocol });
      socket.end();
    });
    socket.once('error', reject);
  });
}

describe('startService({ tls: true }) without a certificate: a generated self-signed one', () => {
  it('serves HTTPS with it (HTTP/1.1 and, with http2, h2 by ALPN); its fingerprint is the one reported; it names the loopback', async () => {
    const service = await start({ tls: true, http2: true });
    expect(service.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const h2 = await peerCertificate(service.port, 'h2');
    expect(h2.protocol).toBe('h2');
    expect(h2.certificate.fingerprint256).toBe(service.selfSignedFingerprint);
    expect(h2.certificate.subjectaltname).toContain('IP Address:127.0.0.1');
    expect(h2.certificate.subjectaltname).toContain('DNS:localhost');
    expect((await peerCertificate(service.port, 'http/1.1')).protocol).toBe('http/1.1');
  });

  it('without tls: plain HTTP, nothing generated', async () => {
    const service = await start({ tls: false });
    expect(service.selfSignedFingerprint).toBeUndefined();
    expect(service.url).toMatch(/^http:/);
  });
});
