// Benchmark baseline: a bare node:http server that reads the body and answers 201 with no other work.
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(201, { 'content-length': '0' });
    res.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(`LISTENING http://127.0.0.1:${port}`);
});
