'use strict';
/**
 * A keep-alive HTTP server answering every POST with a typical Leshua refund answer, run as a child
 * process so its CPU is not counted as the client's. Sends `{ port }` once listening, and on
 * request the number of connections it accepted, so a run shows whether the client reused sockets.
 */
const { createServer } = require('node:http');

const { REFUND_ANSWER } = require('./refund-answer');

const length = String(Buffer.byteLength(REFUND_ANSWER));
let connections = 0;
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': length });
    response.end(REFUND_ANSWER);
  });
});
server.keepAliveTimeout = 5000;
server.on('connection', () => connections++);
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', (message) => {
  if (message === 'connections') process.send({ connections });
  if (message === 'stop') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
