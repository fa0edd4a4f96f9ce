// Baseline for the framework ceiling: a bare node:http handler answering every request with the same
// bytes the forum sends. Usage: bare-http.ts <port> <body | @file> <content-type> [content-encoding]
// (a file for bodies that are binary or too long for an argument, such as the gzipped homepage).
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [port, body, contentType, contentEncoding] = process.argv.slice(2);
const bytes = body?.startsWith('@') ? readFileSync(body.slice(1)) : Buffer.from(body ?? '');
const headers: http.OutgoingHttpHeaders = { 'content-type': contentType ?? 'application/json', 'content-length': bytes.length };
if (contentEncoding) headers['content-encoding'] = contentEncoding;
const server = http.createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(bytes);
});
server.listen(Number(port ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`bare-http listening on ${typeof address === 'object' && address ? address.port : port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
