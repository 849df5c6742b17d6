#!/usr/bin/env node
// A cheap local stand-in for the Bedrock Runtime endpoint, for the benchmark (bench/run). Node 18+, no npm packages.
//
// It speaks Bedrock's wire protocol as the AWS SDK v2 BedrockRuntimeAsyncClient expects it:
//   POST /model/{modelId}/converse          restJson1 Converse response
//   POST /model/{modelId}/converse-stream   application/vnd.amazon.eventstream frames
//   POST /model/{modelId}/invoke            Titan Text Embeddings v2 body ({"inputText": ...})
// on two listeners: one HTTP/1.1 and one HTTP/2 cleartext (h2c, prior knowledge, what the SDK's Netty client speaks
// over plain http:// with protocol HTTP2). Every response is precomputed at start-up so that the stand-in costs
// as little CPU as possible; requests are parsed only as far as needed (embedding dimensions). SigV4 signatures
// are not checked. Shapes follow src/main/java/dev/bedrockgateway/dev/{BedrockSimulator,SimulatedModel,
// SimulatedEmbeddings}.java.
//
// Options:
//   --latency-ms N       delay before a response, or before a stream's first frames (default 0)
//   --stream-events N    contentBlockDelta events per stream, one word each (default 10); also the words of
//                        the non-streaming reply
//   --stream-gap-ms N    delay between two contentBlockDelta events (default 0)
//   --host H             listen address (default 127.0.0.1)
//   --http1-port N       HTTP/1.1 port (default 0: any free port)
//   --h2c-port N         h2c port (default 0: any free port)
//   --tls-dir D          serve the HTTP/1.1 listener over TLS with D/key.pem and D/cert.pem (bench/ab --tls)
// Once listening it prints one JSON line to stdout: {"http1Port":..,"h2cPort":..,"pid":..}.

'use strict';

const fs = require('fs');
const http = require('http');
const https = require('https');
const http2 = require('http2');
const crypto = require('crypto');
const zlib = require('zlib');

function parseArgs(argv) {
  const opts = { latencyMs: 0, streamEvents: 10, streamGapMs: 0, host: '127.0.0.1', http1Port: 0, h2cPort: 0,
    tlsDir: '' };
  const names = {
    '--latency-ms': 'latencyMs', '--stream-events': 'streamEvents', '--stream-gap-ms': 'streamGapMs',
    '--host': 'host', '--http1-port': 'http1Port', '--h2c-port': 'h2cPort', '--tls-dir': 'tlsDir',
  };
  const text = new Set(['host', 'tlsDir']);
  for (let i = 0; i < argv.length; i++) {
    const key = names[argv[i]];
    if (!key || i + 1 >= argv.length) {
      process.stderr.write(`standin: unknown or incomplete option ${argv[i]}\n`);
      process.exit(2);
    }
    const value = argv[++i];
    opts[key] = text.has(key) ? value : Number(value);
    if (!text.has(key) && !(Number.isInteger(opts[key]) && opts[key] >= 0)) {
      process.stderr.write(`standin: ${argv[i - 1]} needs a non-negative integer, got ${value}\n`);
      process.exit(2);
    }
  }
  if (opts.streamEvents < 1) {
    process.stderr.write('standin: --stream-events must be at least 1\n');
    process.exit(2);
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));

// ---- Event-stream encoding (https://smithy.io/2.0/aws/amazon-eventstream.html) ---------------------------------

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

function crc32(buf) {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(buf) >>> 0;
  let c = -1;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** Header: name length u8, name, type 7 (string), value length u16, value. */
function stringHeader(name, value) {
  const n = Buffer.from(name, 'utf8');
  const v = Buffer.from(value, 'utf8');
  const out = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
  let o = out.writeUInt8(n.length, 0);
  o += n.copy(out, o);
  o = out.writeUInt8(7, o);
  o = out.writeUInt16BE(v.length, o);
  v.copy(out, o);
  return out;
}

/** One frame: total length u32, headers length u32, prelude CRC32, headers, payload, message CRC32. */
function eventFrame(eventType, payload) {
  const headers = Buffer.concat([
    stringHeader(':event-type', eventType),
    stringHeader(':content-type', 'application/json'),
    stringHeader(':message-type', 'event'),
  ]);
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const total = 12 + headers.length + body.length + 4;
  const frame = Buffer.alloc(total);
  frame.writeUInt32BE(total, 0);
  frame.writeUInt32BE(headers.length, 4);
  frame.writeUInt32BE(crc32(frame.subarray(0, 8)), 8);
  headers.copy(frame, 12);
  body.copy(frame, 12 + headers.length);
  frame.writeUInt32BE(crc32(frame.subarray(0, total - 4)), total - 4);
  return frame;
}

// ---- Precomputed responses ---------------------------------------------------------------------------------

const WORDS = ['Hello', ' there,', ' this', ' is', ' the', ' benchmark', ' stand-in', ' for', ' Amazon', ' Bedrock.'];
const pieces = Array.from({ length: opts.streamEvents }, (_, i) => WORDS[i % WORDS.length]);
const INPUT_TOKENS = 12;
const usage = { inputTokens: INPUT_TOKENS, outputTokens: pieces.length, totalTokens: INPUT_TOKENS + pieces.length };
const streamMillis = opts.latencyMs + opts.streamGapMs * (pieces.length - 1);

const CONVERSE_BODY = Buffer.from(JSON.stringify({
  output: { message: { role: 'assistant', content: [{ text: pieces.join('') }] } },
  stopReason: 'end_turn',
  usage,
  metrics: { latencyMs: opts.latencyMs },
}));

// Frames are written in three groups: messageStart with the first delta, each further delta alone (gap apart),
// then contentBlockStop + messageStop + metadata. Text blocks get no contentBlockStart, as on Bedrock.
const STREAM_HEAD = Buffer.concat([
  eventFrame('messageStart', { role: 'assistant' }),
  eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: pieces[0] } }),
]);
const STREAM_DELTAS = pieces.slice(1).map((text) => eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text } }));
const STREAM_TAIL = Buffer.concat([
  eventFrame('contentBlockStop', { contentBlockIndex: 0 }),
  eventFrame('messageStop', { stopReason: 'end_turn' }),
  eventFrame('metadata', { usage, metrics: { latencyMs: streamMillis } }),
]);
// With no gap the whole stream goes out in one write.
const STREAM_WHOLE = Buffer.concat([STREAM_HEAD, ...STREAM_DELTAS, STREAM_TAIL]);

// Titan Text Embeddings v2: deterministic unit vector; "embeddingsByType.float" repeats it as Titan v2 does.
const embeddingBodies = new Map();
function embeddingBody(dimensions) {
  let body = embeddingBodies.get(dimensions);
  if (!body) {
    const values = Array.from({ length: dimensions }, (_, i) => Math.sin(i + 1));
    const norm = Math.sqrt(values.reduce((s, v) => s + v * v, 0));
    const vector = values.map((v) => Math.fround(v / norm));
    body = Buffer.from(JSON.stringify({
      embedding: vector, inputTextTokenCount: 1, embeddingsByType: { float: vector },
    }));
    embeddingBodies.set(dimensions, body);
  }
  return body;
}
embeddingBody(1024);

// ---- Serving ------------------------------------------------------------------------------------------------

const ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/;

function later(ms, fn) {
  if (ms > 0) setTimeout(fn, ms);
  else setImmediate(fn);
}

function sendError(res, status, type, message) {
  const body = JSON.stringify({ message });
  res.writeHead(status, {
    'content-type': 'application/json', 'x-amzn-errortype': type, 'x-amzn-requestid': crypto.randomUUID(),
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function sendJson(res, body, extra) {
  if (res.destroyed || res.writableEnded) return;
  const headers = {
    'content-type': 'application/json', 'content-length': body.length, 'x-amzn-requestid': crypto.randomUUID(),
  };
  if (extra) Object.assign(headers, extra);
  res.writeHead(200, headers);
  res.end(body);
}

function stream(res) {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': crypto.randomUUID() });
  if (opts.streamGapMs === 0) {
    res.end(STREAM_WHOLE);
    return;
  }
  res.write(STREAM_HEAD);
  let next = 0;
  const timer = setInterval(() => {
    if (res.destroyed || res.writableEnded) {
      clearInterval(timer);
      return;
    }
    if (next < STREAM_DELTAS.length) {
      res.write(STREAM_DELTAS[next++]);
    }
    if (next >= STREAM_DELTAS.length) {
      clearInterval(timer);
      res.end(STREAM_TAIL);
    }
  }, opts.streamGapMs);
  res.on('close', () => clearInterval(timer));
}

function handle(req, res) {
  const route = req.method === 'POST' ? ROUTE.exec(req.url) : null;
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('error', () => {});
  req.on('end', () => {
    if (!route) {
      sendError(res, 404, 'UnknownOperationException', `No Bedrock Runtime operation for ${req.method} ${req.url}`);
      return;
    }
    switch (route[2]) {
      case 'converse':
        later(opts.latencyMs, () => sendJson(res, CONVERSE_BODY));
        break;
      case 'converse-stream':
        later(opts.latencyMs, () => stream(res));
        break;
      default: {
        let dimensions = 1024;
        try {
          const json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          if (typeof json.inputText !== 'string' || json.inputText === '') {
            sendError(res, 400, 'ValidationException', 'Malformed input request: #/inputText: expected a non-empty string');
            return;
          }
          if (json.dimensions !== undefined) dimensions = json.dimensions;
        } catch (e) {
          sendError(res, 400, 'ValidationException', `Malformed input request: ${e.message}`);
          return;
        }
        if (![256, 512, 1024].includes(dimensions)) {
          sendError(res, 400, 'ValidationException', `Malformed input request: #/dimensions: ${dimensions} is not a valid enum value`);
          return;
        }
        later(opts.latencyMs, () => sendJson(res, embeddingBody(dimensions), {
          'x-amzn-bedrock-input-token-count': '1', 'x-amzn-bedrock-invocation-latency': String(opts.latencyMs),
        }));
      }
    }
  });
}

const h1Options = { keepAliveTimeout: 120000, headersTimeout: 125000, requestTimeout: 0 };
const h1 = opts.tlsDir
  ? https.createServer({ ...h1Options, key: fs.readFileSync(`${opts.tlsDir}/key.pem`),
    cert: fs.readFileSync(`${opts.tlsDir}/cert.pem`) }, handle)
  : http.createServer(h1Options, handle);
h1.keepAliveTimeout = 120000;
h1.maxRequestsPerSocket = 0;
const h2 = http2.createServer({ settings: { maxConcurrentStreams: 4096 } }, handle);
h2.on('sessionError', () => {});

let listening = 0;
function ready() {
  if (++listening < 2) return;
  process.stdout.write(JSON.stringify({
    ...opts, http1Port: h1.address().port, h2cPort: h2.address().port, pid: process.pid,
  }) + '\n');
}
h1.listen(opts.http1Port, opts.host, ready);
h2.listen(opts.h2cPort, opts.host, ready);

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
