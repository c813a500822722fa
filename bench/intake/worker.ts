// The transport baseline: a bare Fastify server, set up as intake's body handling is (every body
// unparsed, @fastify/multipart for multipart), that only drains each upload and answers 202. No
// auth, validation, storage or Kafka: what HTTP and multipart parsing alone cost on this machine.
// Forked by the suite; sends `{ port }` once it listens, exits on SIGTERM.
import multipart from '@fastify/multipart';
import Fastify from 'fastify';

const GiB = 1024 ** 3;

const app = Fastify({ logger: false, bodyLimit: 4 * GiB });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
await app.register(multipart, { throwFileSizeLimit: true, preservePath: true });

app.post('/v1/bundles', async (request, reply) => {
  let bytes = 0;
  if (request.isMultipart()) {
    const parts = request.parts({
      limits: { fileSize: 2 * GiB + 1, files: 50_000, fieldSize: 16 * 1024 ** 2, parts: 100_001 },
    });
    for await (const part of parts) {
      if (part.type !== 'file') continue;
      for await (const chunk of part.file) bytes += (chunk as Buffer).length;
    }
  } else {
    for await (const chunk of request.body as AsyncIterable<Buffer>) bytes += chunk.length;
  }
  return reply.code(202).send({ status: 'drained', bytes });
});

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address() as { port: number };
process.send!({ port: address.port });
process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
