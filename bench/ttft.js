#!/usr/bin/env node
// Time-to-first-token client for bench/run (Node 18+, no npm packages).
//
// Keeps N streaming requests in flight (one per keep-alive HTTP/1.1 connection, each issued again as soon as the
// previous one ends) for a bounded time, and records per stream:
//   ttft  - from sending the request to the first chunk that carries content:
//           --mode openai:  the first SSE "data:" chunk whose choices[0].delta.content is non-empty
//                           (the gateway's role-only first chunk does not count)
//           --mode bedrock: the first event-stream frame with :event-type contentBlockDelta
//   total - from sending the request to the end of the response body.
// Errors: non-200 status, socket errors, streams without content, OpenAI streams not ending in "data: [DONE]".
// --mode bedrock requests carry SigV4 headers of the right shape, as the simulator requires (it checks their shape,
// not the signature); with --token they carry that bearer key instead (the gateway's /bedrock routes).
//
// Usage: node ttft.js --url URL --mode openai|bedrock --body-file FILE [--token T] [--concurrency 64]
//                     [--duration 10] [--warmup 0]
// Prints one line: TTFT_RESULT {json} (times in microseconds).

'use strict';

const http = require('http');
const fs = require('fs');

function parseArgs(argv) {
  const o = { concurrency: 64, duration: 10, warmup: 0, token: '', mode: 'openai' };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    o[k] = argv[i + 1];
  }
  o.concurrency = Number(o.concurrency);
  o.duration = Number(o.duration);
  o.warmup = Number(o.warmup);
  if (!o.url || !o.bodyFile || !['openai', 'bedrock'].includes(o.mode)) {
    process.stderr.write('usage: ttft.js --url URL --mode openai|bedrock --body-file FILE [--token T] '
      + '[--concurrency N] [--duration S] [--warmup S]\n');
    process.exit(2);
  }
  return o;
}

const o = parseArgs(process.argv.slice(2));
const body = fs.readFileSync(o.bodyFile);
const url = new URL(o.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency, maxFreeSockets: o.concurrency });
const headers = { 'content-type': 'application/json', 'content-length': body.length, accept: '*/*' };
if (o.token) headers.authorization = `Bearer ${o.token}`;
if (o.mode === 'bedrock' && !o.token) {  // with a token: the gateway's /bedrock routes, a bearer key
  headers.authorization = 'AWS4-HMAC-SHA256 Credential=AKIDBENCHMARK/20250101/us-east-1/bedrock/aws4_request, '
    + `SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
  headers['x-amz-date'] = '20250101T000000Z';
}

const now = () => Number(process.hrtime.bigint() / 1000n); // µs

/** Does this chunk of an OpenAI SSE body hold the first content? Parses complete events only. */
function openaiScanner() {
  let pending = '';
  return (text) => {
    pending += text;
    let cut;
    while ((cut = pending.indexOf('\n\n')) >= 0) {
      const event = pending.slice(0, cut);
      pending = pending.slice(cut + 2);
      for (const line of event.split('\n')) {
        if (!line.startsWith('data:')) continue;
        const data = line.slice(5).trim();
        if (data === '[DONE]') continue;
        try {
          const choice = JSON.parse(data).choices?.[0];
          if (choice?.delta?.content) return true;
        } catch (e) { /* not JSON: ignore */ }
      }
    }
    return false;
  };
}

/** Does this chunk of an event-stream body complete a contentBlockDelta frame? */
function bedrockScanner() {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 12) {
      const total = pending.readUInt32BE(0);
      if (pending.length < total) return false;
      const headersLength = pending.readUInt32BE(4);
      let p = 12;
      const end = 12 + headersLength;
      while (p < end) {
        const nameLength = pending[p];
        const name = pending.toString('utf8', p + 1, p + 1 + nameLength);
        p += 1 + nameLength;
        const type = pending[p++];
        if (type !== 7) return false; // only string headers are expected here
        const valueLength = pending.readUInt16BE(p);
        const value = pending.toString('utf8', p + 2, p + 2 + valueLength);
        p += 2 + valueLength;
        if (name === ':event-type' && value === 'contentBlockDelta') return true;
      }
      pending = pending.subarray(total);
    }
    return false;
  };
}

const stats = { ttft: [], total: [], errors: { status: 0, socket: 0, noContent: 0, unterminated: 0 }, statusCodes: {} };
let measuring = false;
let stopAt = 0;

function one(done) {
  const started = now();
  let ttft = -1;
  let tail = '';
  let failed = false;
  const scan = o.mode === 'openai' ? openaiScanner() : bedrockScanner();
  const req = http.request({
    host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'POST', headers, agent,
  }, (res) => {
    if (res.statusCode !== 200) {
      failed = true;
      if (measuring) {
        stats.errors.status++;
        stats.statusCodes[res.statusCode] = (stats.statusCodes[res.statusCode] || 0) + 1;
      }
    }
    if (o.mode === 'openai') res.setEncoding('utf8');
    res.on('data', (chunk) => {
      if (ttft < 0 && !failed && scan(chunk)) ttft = now() - started;
      if (o.mode === 'openai') tail = (tail + chunk).slice(-64);
    });
    res.on('end', () => {
      const total = now() - started;
      if (measuring && !failed) {
        if (ttft < 0) stats.errors.noContent++;
        else if (o.mode === 'openai' && !tail.trimEnd().endsWith('data: [DONE]')) stats.errors.unterminated++;
        else {
          stats.ttft.push(ttft);
          stats.total.push(total);
        }
      }
      done();
    });
    res.on('error', () => {
      if (measuring) stats.errors.socket++;
      done();
    });
  });
  req.on('error', () => {
    if (measuring) stats.errors.socket++;
    setTimeout(done, 10);
  });
  req.end(body);
}

function worker(resolve) {
  const loop = () => (now() < stopAt ? one(loop) : resolve());
  loop();
}

function phase(seconds) {
  stopAt = now() + seconds * 1e6;
  return Promise.all(Array.from({ length: o.concurrency }, () => new Promise(worker)));
}

function pct(sorted, p) {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

(async () => {
  if (o.warmup > 0) await phase(o.warmup);
  measuring = true;
  const began = now();
  await phase(o.duration);
  const elapsed = now() - began;
  const ttft = stats.ttft.slice().sort((a, b) => a - b);
  const total = stats.total.slice().sort((a, b) => a - b);
  const summary = (s) => ({ p50: pct(s, 50), p90: pct(s, 90), p99: pct(s, 99), max: s.length ? s[s.length - 1] : 0 });
  const errors = Object.values(stats.errors).reduce((a, b) => a + b, 0);
  process.stdout.write('TTFT_RESULT ' + JSON.stringify({
    streams: ttft.length, duration_us: elapsed, errors, errorDetail: stats.errors, statusCodes: stats.statusCodes,
    ttft_us: summary(ttft), total_us: summary(total),
  }) + '\n');
  agent.destroy();
})();
