// Requests that see the response as sent: the coding on the wire, its headers, and the decoded text.
import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** As sent on the wire, still encoded. */
  wire: Buffer;
  /** Decoded. */
  text: string;
}

/** A GET without the automatic decompression of fetch, so the encoding on the wire can be checked. */
export function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const wire = Buffer.concat(chunks);
        const encoding = res.headers['content-encoding'];
        const plain = wire.length === 0 ? wire : encoding === 'br' ? brotliDecompressSync(wire) : encoding === 'gzip' ? gunzipSync(wire) : wire;
        resolve({ status: res.statusCode!, headers: res.headers, wire, text: plain.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
