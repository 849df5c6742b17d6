#!/usr/bin/env node
// Records and renders the results of bench/run.
//   node report.js record FILE key=value...   append one JSON line (values that look like numbers or JSON are parsed)
//   node report.js render FILE OUT.md         write the markdown report
//   node report.js check FILE                 exit 1 when any measured run had errors

'use strict';

const fs = require('fs');

const [command, file, ...rest] = process.argv.slice(2);

function parseValue(v) {
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (v.startsWith('{') || v.startsWith('[')) {
    try { return JSON.parse(v); } catch (e) { return v; }
  }
  return v;
}

function load() {
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

const errorsOf = (r) => Object.values(r.errors).reduce((a, b) => a + b, 0);
const ms = (us, d = 2) => (us / 1000).toFixed(d);
const signed = (us) => (us >= 0 ? '+' : '') + ms(us);
const mb = (kb) => (kb / 1024).toFixed(0);
const rate = (r) => r.requests / r.duration_us * 1e6;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

// TTFT runs, by level of streams at a time (reports before issue 28 had one run at --connections streams).
function ttftLevels(ttft, meta, scenario) {
  const level = (r) => Number(r.streams || meta.connections);
  const levels = [...new Set(ttft.filter((r) => r.scenario === scenario).map(level))].sort((a, b) => a - b);
  return levels.map((n) => {
    const runs = (target) => ttft.filter((r) => r.scenario === scenario && r.target === target && level(r) === n);
    // The median over the rounds of each figure: rounds alternate floor and gateway, so drift hits both alike.
    const summary = (target) => {
      const rs = runs(target);
      if (!rs.length) return null;
      const of = (key, p) => median(rs.map((r) => r.result[key][p]));
      return {
        rounds: rs.length, streams: rs.reduce((a, r) => a + r.result.streams, 0),
        rate: median(rs.map((r) => r.result.streams / r.result.duration_us * 1e6)),
        ttft: { p50: of('ttft_us', 'p50'), p90: of('ttft_us', 'p90'), p99: of('ttft_us', 'p99') },
        total: { p50: of('total_us', 'p50'), p99: of('total_us', 'p99') },
        errors: rs.reduce((a, r) => a + r.result.errors, 0),
        errorRuns: rs.filter((r) => r.result.errors),
      };
    };
    return { level: n, floor: summary('floor'), gateway: summary('gateway') };
  });
}
const atATime = (n) => (n === 1 ? 'one stream at a time' : `${n} streams at a time`);

function errorText(r) {
  const parts = Object.entries(r.errors).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`);
  return parts.length ? `**${parts.join(', ')}**` : '0';
}

const ENDPOINTS = {
  chat: 'chat (non-streaming)',
  stream: 'chat (stream)',
  embed: 'embeddings',
};

function render(records, out) {
  const meta = records.find((r) => r.type === 'meta');
  const scenarios = records.filter((r) => r.type === 'scenario');
  const wrk = records.filter((r) => r.type === 'wrk');
  const ttft = records.filter((r) => r.type === 'ttft');
  const finals = records.filter((r) => r.type === 'final');
  const errorLogs = records.filter((r) => r.type === 'errors');
  const L = [];

  L.push('# bedrock-gateway benchmark', '');
  L.push(`Produced by \`bench/run\` (see bench/README.md). Single runs on a shared machine: treat differences of a few`
    + ' percent as noise.', '');
  L.push('| | |', '|---|---|');
  L.push(`| Date | ${meta.date} |`);
  L.push(`| Commit (of the gateway's checkout) | ${meta.commit} |`);
  L.push(`| Machine | ${meta.nproc} CPUs, ${meta.cpu}, ${meta.kernel} |`);
  L.push(`| Java | ${String(meta.java).replace(/\|/g, '\\|').split(';').join('<br>')} |`);
  L.push(`| Node / wrk | ${meta.node} / ${meta.wrk} |`);
  L.push(`| Gateway | \`${meta.gateway}\` |`);
  L.push(`| JVM flags | \`${meta.jvmFlags}\` |`);
  L.push(`| Gateway → stand-in | ${meta.protocol === 'HTTP2' ? 'HTTP/2 cleartext (h2c, prior knowledge)' : 'HTTP/1.1'}`
    + ` (\`GATEWAY_BEDROCK_PROTOCOL=${meta.protocol}\`); floor runs reach the stand-in over HTTP/1.1 |`);
  L.push(`| Load | wrk, ${meta.connections} connections, ${meta.threads} threads; after start-up ${meta.startWarmup} s of mixed warm-up load (${meta.warmupConnections || meta.connections} connections); then per endpoint ${meta.duration} s measured after`
    + ` ${meta.warmup} s warm-up per endpoint (floor: 2 s) |`);
  L.push(meta.ttftStreams === undefined
    ? `| TTFT client | bench/ttft.js, ${meta.connections} concurrent streams, ${meta.ttftDuration} s |`
    : `| TTFT client | bench/ttft.js (raw HTTP), after the stream runs and ${meta.ttftWarmup} s of streams only (8 at a`
      + ` time): per level of streams at a time (${meta.ttftStreams}), ${meta.ttftRounds} rounds of a floor run and a`
      + ` gateway run, ${meta.ttftDuration} s each; figures are medians over the rounds |`);
  L.push(`| Stream shape | ${meta.streamEvents} text deltas (contentBlockDelta) per stream |`);
  L.push('');

  // Summary of what issue 7 asks for.
  L.push('## Summary', '');
  for (const s of scenarios) {
    const gw = (e) => wrk.find((r) => r.scenario === s.scenario && r.endpoint === e && r.target === 'gateway');
    const fl = (e) => wrk.find((r) => r.scenario === s.scenario && r.endpoint === e && r.target === 'floor');
    const parts = [];
    const chat = gw('chat');
    const chatFloor = fl('chat');
    if (chat && chatFloor) {
      parts.push(`non-streaming chat adds **${signed(chat.result.latency_us.p50 - chatFloor.result.latency_us.p50)} ms`
        + ` p50 / ${signed(chat.result.latency_us.p99 - chatFloor.result.latency_us.p99)} ms p99**`);
    }
    const added = ttftLevels(ttft, meta, s.scenario).filter((l) => l.floor && l.gateway)
      .map(({ level, floor, gateway }) => `${signed(gateway.ttft.p50 - floor.ttft.p50)} ms p50 /`
        + ` ${signed(gateway.ttft.p99 - floor.ttft.p99)} ms p99 ${atATime(level)}`);
    if (added.length) parts.push(`streaming adds to the time to first token **${added.join(', ')}**`);
    const rates = wrk.filter((r) => r.scenario === s.scenario && r.target === 'gateway')
      .map((r) => `${ENDPOINTS[r.endpoint]} ${rate(r.result).toFixed(0)} req/s`);
    if (rates.length) parts.push(`throughput ${rates.join(', ')}`);
    const errs = wrk.filter((r) => r.scenario === s.scenario && r.target === 'gateway')
      .reduce((a, r) => a + errorsOf(r.result), 0)
      + ttft.filter((r) => r.scenario === s.scenario && r.target === 'gateway').reduce((a, r) => a + r.result.errors, 0);
    parts.push(errs === 0 ? 'zero errors' : `**${errs} errors**`);
    const final = finals.find((f) => f.scenario === s.scenario);
    parts.push(`ready ${s.startupMs} ms after process start`);
    if (final) parts.push(`peak RSS ${mb(final.vmhwmKb)} MB`);
    L.push(`- **${s.scenario}** (stand-in latency ${s.latencyMs} ms, ${meta.connections} connections): ${parts.join('; ')}.`);
  }
  L.push('');

  for (const s of scenarios) {
    L.push(`## Scenario \`${s.scenario}\`: stand-in latency ${s.latencyMs} ms`, '');
    L.push(`Stand-in: ${s.latencyMs} ms before each response or before a stream's first frames, then`
      + ` ${meta.streamEvents} deltas ${s.streamGapMs} ms apart. Gateway ready ${s.startupMs} ms after process start`
      + ` (RSS then ${mb(s.readyRssKb)} MB).`, '');
    const windows = records.filter((r) => r.type === 'warmup' && r.scenario === s.scenario);
    if (windows.length) {
      L.push(`Start-up warm-up (mixed load over the endpoints, ${meta.warmupConnections || meta.connections} connections), requests/s per`
        + ` ${(windows[0].result.duration_us / 1e6).toFixed(0)} s window from ready on: `
        + windows.map((w) => rate(w.result).toFixed(0) + (errorsOf(w.result) ? ` (**${errorsOf(w.result)} errors**)` : ''))
          .join(', ') + ` — the JIT compilers share the ${meta.nproc} CPUs with the load, so the gateway reaches its`
        + ' steady state only after minutes.', '');
    }
    L.push('| Endpoint | Target | Requests/s | p50 ms | p99 ms | Errors | Added p50 ms | Added p99 ms'
      + ' | Gateway CPU ms/req | Gateway cores busy | Stand-in CPU ms/req | Gateway peak RSS MB'
      + ' | Allocated KB/req | GC pauses, % of time | Full GCs |');
    L.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
    for (const e of Object.keys(ENDPOINTS)) {
      const fl = wrk.find((r) => r.scenario === s.scenario && r.endpoint === e && r.target === 'floor');
      const gw = wrk.find((r) => r.scenario === s.scenario && r.endpoint === e && r.target === 'gateway');
      if (fl) {
        const r = fl.result;
        L.push(`| ${ENDPOINTS[e]} | stand-in (floor) | ${rate(r).toFixed(0)} | ${ms(r.latency_us.p50)} | ${ms(r.latency_us.p99)}`
          + ` | ${errorText(r)} | | | | | ${(fl.standinCpuMs / r.requests).toFixed(3)} | | | | |`);
      }
      if (gw) {
        const r = gw.result;
        const added = (p) => (fl ? signed(r.latency_us[p] - fl.result.latency_us[p]) : '');
        L.push(`| ${ENDPOINTS[e]} | gateway | ${rate(r).toFixed(0)} | ${ms(r.latency_us.p50)} | ${ms(r.latency_us.p99)}`
          + ` | ${errorText(r)} | ${added('p50')} | ${added('p99')} | ${(gw.gatewayCpuMs / r.requests).toFixed(3)}`
          + ` | ${(gw.gatewayCpuMs / 1000 / (r.duration_us / 1e6)).toFixed(2)}`
          + ` | ${(gw.standinCpuMs / r.requests).toFixed(3)} | ${mb(gw.vmhwmKb)}`
          // GC figures from the gateway's own jvm_gc_* metrics (absent in reports made before they were recorded).
          + (gw.allocatedBytes === undefined ? ' | | | |'
            : ` | ${(gw.allocatedBytes / 1024 / r.requests).toFixed(1)}`
              + ` | ${(gw.gcPauseMs / 10 / (r.duration_us / 1e6)).toFixed(1)} | ${gw.fullGcs} |`));
      }
    }
    L.push('');
    if (s.latencyMs > 0) {
      const bound = Object.keys(ENDPOINTS).filter((e) => {
        const fl = wrk.find((r) => r.scenario === s.scenario && r.endpoint === e && r.target === 'floor');
        const gw = wrk.find((r) => r.scenario === s.scenario && r.endpoint === e && r.target === 'gateway');
        return fl && gw && rate(gw.result) < 0.9 * rate(fl.result);
      });
      if (bound.length) {
        L.push(`Note: ${meta.connections} connections against a ${s.latencyMs} ms stand-in offer up to about`
          + ` ${(meta.connections * 1000 / s.latencyMs).toFixed(0)} requests/s; for ${bound.map((e) => ENDPOINTS[e]).join(', ')}`
          + ' the gateway served clearly fewer than the floor: in a closed loop its added latency lowers the rate, and'
          + ' here the gateway, the stand-in and wrk share two cores, so the added latency includes waiting for CPU.'
          + ' Fewer `--connections` (with `--warmup-connections` to warm up) give the added latency of an unloaded'
          + ' gateway.', '');
      }
    }
    const levels = ttftLevels(ttft, meta, s.scenario);
    if (levels.length) {
      L.push('Time to first token (floor: the first contentBlockDelta frame from the stand-in; gateway: the first SSE'
        + ' chunk with delta.content), medians over the rounds:', '');
      L.push('| Streams at a time | Target | Rounds | Streams | Streams/s | TTFT p50 ms | TTFT p90 ms | TTFT p99 ms'
        + ' | Added TTFT p50 ms | Added TTFT p99 ms | Whole stream p50 ms | Whole stream p99 ms | Errors |');
      L.push('|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
      for (const { level, floor, gateway } of levels) {
        for (const [label, t] of [['stand-in (floor)', floor], ['gateway', gateway]]) {
          if (!t) continue;
          const added = (p) => (t === gateway && floor ? signed(t.ttft[p] - floor.ttft[p]) : '');
          const errs = t.errors ? `**${t.errorRuns.map((r) => Object.entries(r.result.errorDetail).filter(([, n]) => n)
            .map(([k, n]) => `${k} ${n}`).join(', ')).join('; ')}**` : '0';
          L.push(`| ${level} | ${label} | ${t.rounds} | ${t.streams} | ${t.rate.toFixed(0)} | ${ms(t.ttft.p50)}`
            + ` | ${ms(t.ttft.p90)} | ${ms(t.ttft.p99)} | ${added('p50')} | ${added('p99')}`
            + ` | ${ms(t.total.p50)} | ${ms(t.total.p99)} | ${errs} |`);
        }
      }
      L.push('');
    }
    const logSummary = records.find((r) => r.type === 'log' && r.scenario === s.scenario);
    if (logSummary) {
      const text = String(logSummary.summary || '').replace(/^\n+|\s+$/g, '');
      const total = text ? text.split('\n').reduce((a, l) => a + (parseInt(l, 10) || 0), 0) : 0;
      L.push(`Gateway log over the whole scenario (warm-ups included): ${total} WARN/ERROR lines`
        + (total ? ' (counted, most frequent first; wrk and the TTFT client close their connections with requests in'
          + ' flight when a run ends, which the gateway logs):' : '.'), '');
      if (total) L.push('```', text, '```', '');
      if (logSummary.shutdownMs !== undefined) {
        L.push(`Shutdown: the gateway exited ${logSummary.shutdownMs} ms after SIGTERM (run with`
          + ' QUARKUS_SHUTDOWN_DELAY=0S, QUARKUS_SHUTDOWN_TIMEOUT=10S)'
          + (logSummary.shutdownTimedOut === 'yes'
            ? ' — **"Timed out waiting for graceful shutdown"**: requests still counted as in flight after the load ended.'
            : '.'), '');
      }
    }
    for (const e of errorLogs.filter((x) => x.scenario === s.scenario)) {
      L.push(`Gateway log (WARN/ERROR, counted) during the \`${e.endpoint}\` run:`, '', '```', String(e.log || '(none)'), '```', '');
    }
  }

  L.push('## Reading the table', '');
  L.push('- *Requests/s*, *p50*, *p99*: wrk\'s count and latency histogram of the measured run (for streams: until the'
    + ' last byte). wrk keeps each connection busy with one request at a time (closed loop), so with the stand-in'
    + ' answering in 0 ms the latency is mostly queueing in a saturated machine.');
  L.push('- *Added*: gateway minus floor at the same percentile — the floor is the same request shape sent straight to'
    + ' the stand-in (Bedrock\'s own API), so this is what the gateway adds.');
  L.push('- *Errors*: wrk\'s socket errors (connect, read, write, timeout > 10 s) and HTTP statuses ≥ 400. They must be 0.');
  L.push('- *Gateway CPU ms/req*: utime+stime of the gateway process over the measured run (/proc/PID/stat) divided'
    + ' by its requests; *cores busy* is the same CPU time divided by the run\'s wall time.');
  L.push('- *Gateway peak RSS*: VmHWM of the gateway process after the run — a process-lifetime peak, so it only grows'
    + ' through a scenario (each scenario starts a fresh gateway).');
  L.push('- *Allocated KB/req*, *GC pauses* and *Full GCs*: from the gateway\'s own metrics (`jvm_gc_memory_allocated_bytes_total`,'
    + ' `jvm_gc_pause_seconds`, read on the management port before and after the run): heap allocated per request (the'
    + ' counter advances at each young collection, so it is exact to within one young generation), the share of the'
    + ' run\'s wall time the JVM was paused for GC, and the full (major) collections during the run.');
  L.push('- wrk, the stand-in and the TTFT client run on the same machine as the gateway and take CPU from it.');
  L.push('');
  fs.writeFileSync(out, L.join('\n'));
}

switch (command) {
  case 'record': {
    const o = {};
    for (const a of rest) {
      const i = a.indexOf('=');
      const key = a.slice(0, i);
      o[key] = key === 'commit' ? a.slice(i + 1) : parseValue(a.slice(i + 1));
    }
    fs.appendFileSync(file, JSON.stringify(o) + '\n');
    break;
  }
  case 'render':
    render(load(), rest[0]);
    break;
  case 'check': {
    const records = load();
    const bad = records.filter((r) => (r.type === 'wrk' && errorsOf(r.result) > 0) || (r.type === 'ttft' && r.result.errors > 0));
    for (const r of bad) {
      process.stderr.write(`errors: ${r.scenario} ${r.endpoint || 'ttft'} ${r.target}\n`);
    }
    process.exit(bad.length ? 1 : 0);
  }
  // eslint-disable-next-line no-fallthrough
  default:
    process.stderr.write('usage: report.js record|render|check FILE ...\n');
    process.exit(2);
}
