-- wrk script for bench/run: POSTs one JSON body and prints a machine-readable summary.
-- Usage: wrk ... -s bench/post.lua URL -- BODY_FILE [BEARER_TOKEN]
-- With a token the request is the gateway's (Authorization: Bearer TOKEN). Without, it is Bedrock's own, sent to the
-- stand-in directly: it carries SigV4 headers of the right shape, which the simulator requires (it checks their
-- shape, not the signature, so one fixed pair serves every request).
-- The last line wrk prints is "BENCH_RESULT {json}" with requests, duration, errors and latency percentiles (µs).

function init(args)
  local f = assert(io.open(args[1], "rb"))
  wrk.method = "POST"
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = "application/json"
  if args[2] and args[2] ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. args[2]
  else
    wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDBENCHMARK/20250101/us-east-1/bedrock/aws4_request, "
      .. "SignedHeaders=host;x-amz-date, Signature=" .. string.rep("0", 64)
    wrk.headers["X-Amz-Date"] = "20250101T000000Z"
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"min":%d,"mean":%.1f,"stdev":%.1f,"max":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9)))
end
