// Baseline for the framework ceiling: a bare node:http handler answering every request with the same
// bytes the forum's health route sends. Usage: bare-http.ts <port> <body> <content-type>
import http from 'node:http';

const [port, body, contentType] = process.argv.slice(2);
const bytes = Buffer.from(body ?? '');
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': contentType ?? 'application/json', 'content-length': bytes.length });
  res.end(bytes);
});
server.listen(Number(port ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`bare-http listening on ${typeof address === 'object' && address ? address.port : port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
