#!/usr/bin/env bash
# Training run for the JVM's class archive, of one of two kinds, chosen by the file name's extension:
#   NAME.jsa  a dynamic CDS archive (JDK 17+: -XX:ArchiveClassesAtExit, run with -XX:SharedArchiveFile), used by
#             src/main/docker/Dockerfile.jvm and by bench/run --aot on JDK 17-24;
#   NAME.aot  an AOT cache (JDK 25+: JEP 483, 514; -XX:AOTCacheOutput, run with -XX:AOTCache), used by
#             src/main/docker/Dockerfile.jvm-aot and by bench/run --aot on JDK 25+.
# See docs/performance/investigations.md ("Start-up: a class archive trained on the gateway").
#
#   aot-train.sh ARCHIVE_FILE COMMAND [ARGS...]
#       e.g. aot-train.sh app.jsa java -Xmx320m -jar target/quarkus-app/quarkus-run.jar
#       (after ./mvnw package, whose aot-jar layout puts every class on the JDK's own class path)
#
# Starts the gateway with COMMAND and the archive's output option (passed in JDK_JAVA_OPTIONS, so COMMAND may be a
# launcher script), sends it the requests of ordinary use on every endpoint, stops it, and checks that the JVM wrote
# the archive as it exited. A gateway started later with the archive, on the same JDK build and the same class path
# (the same jar files), finds the classes it loaded already parsed and verified (and, with the AOT cache, linked).
#
# The requests go to a Bedrock endpoint at TRAIN_BEDROCK_ENDPOINT. By default nothing listens there, so every model
# call fails at once with a 502: that still trains parsing, translation, signing, the HTTP client and the error paths,
# but not the reading of Bedrock's answers (classes the archive lacks are loaded from the jars as usual). Point it at
# a stand-in (the Bedrock simulator, started as bench/common.sh's start_simulator does) to train those too. Other settings: TRAIN_PORT, TRAIN_MANAGEMENT_PORT (18080, 19000),
# TRAIN_ROUNDS (40).
set -euo pipefail
export LC_ALL=C   # ${#body} counts bytes

(( $# >= 2 )) || { echo "usage: aot-train.sh ARCHIVE_FILE COMMAND [ARGS...]" >&2; exit 2; }
cache="$1"; shift
port="${TRAIN_PORT:-18080}"
mgmt="${TRAIN_MANAGEMENT_PORT:-19000}"
rounds="${TRAIN_ROUNDS:-40}"
key=sk-aot-training
case "$cache" in
  *.jsa) OUTPUT_FLAGS="-XX:ArchiveClassesAtExit=$cache" ;;
  # Classes only, no method profiles (JEP 515): replaying the profiles of a short training run made chat cost 16 %
  # more CPU per request under load (0.484 vs 0.416 ms, bench/ab), and start-up did not suffer without them.
  *.aot) OUTPUT_FLAGS="-XX:AOTCacheOutput=$cache -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining" ;;
  *) echo "aot-train: the archive's name must end in .jsa (JDK 17+ CDS) or .aot (JDK 25+ AOT cache)" >&2; exit 2 ;;
esac
rm -f "$cache"

# The bundled catalog (gpt-4o-mini, text-davinci-003, text-embedding-3-small) unless GATEWAY_CONFIG_FILE is set.
GATEWAY_BEDROCK_ENDPOINT_OVERRIDE="${TRAIN_BEDROCK_ENDPOINT:-http://127.0.0.1:9}" GATEWAY_MASTER_KEY="$key" \
  AWS_ACCESS_KEY_ID=AKIDAOTTRAINING AWS_SECRET_ACCESS_KEY=aot-training AWS_REGION=us-east-1 \
  AWS_EC2_METADATA_DISABLED=true GATEWAY_CONFIG_RELOAD_INTERVAL=0S \
  QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$port" \
  QUARKUS_MANAGEMENT_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT="$mgmt" QUARKUS_SHUTDOWN_DELAY=0S \
  JDK_JAVA_OPTIONS="${JDK_JAVA_OPTIONS:-} $OUTPUT_FLAGS" \
  "$@" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true' EXIT

# HTTP/1.1 through bash's /dev/tcp, so that the image needs no curl. request PORT METHOD PATH [JSON [KEY]]
request() {
  local body="${4:-}" auth=""
  [[ -n "${5-$key}" ]] && auth="Authorization: Bearer ${5-$key}"$'\r\n'
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 0
  local head='%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Type: application/json\r\nContent-Length: %d\r\n'
  printf "$head"'Connection: close\r\n\r\n%s' "$2" "$3" "$auth" "${#body}" "$body" >&3
  timeout 60 cat <&3 >/dev/null || true
  exec 3<&-
}
post() { request "$port" POST "$@"; }

for ((i = 0; ; i++)); do
  (exec 3<>"/dev/tcp/127.0.0.1/$mgmt") 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { echo "aot-train: the gateway exited during start-up" >&2; exit 1; }
  (( i < 1200 )) || { echo "aot-train: the gateway did not start within 120 s" >&2; exit 1; }
  sleep 0.1
done

for ((r = 0; r < rounds; r++)); do
  request "$mgmt" GET /q/health/ready
  request "$port" GET /v1/models
  request "$port" GET /v1/models/gpt-4o-mini
  post /v1/chat/completions '{"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],"max_tokens":64,"temperature":0.2}'
  post /v1/chat/completions '{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}'
  post /chat/completions '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Weather in Paris?"}],"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],"tool_choice":"auto"}'
  post /v1/chat/completions '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"object","properties":{"x":{"type":"string"}}}}}}'
  post /v1/completions '{"model":"text-davinci-003","prompt":"Say hi","max_tokens":16}'
  post /v1/embeddings '{"model":"text-embedding-3-small","input":["hello","world"]}'
  # Refusals: malformed JSON, unknown model, wrong type, no key.
  post /v1/chat/completions '{"model":'
  post /v1/chat/completions '{"model":"no-such-model","messages":[{"role":"user","content":"Hi"}]}'
  post /v1/chat/completions '{"model":"gpt-4o-mini","messages":"Hi"}'
  request "$port" GET /v1/models "" ""
done
request "$mgmt" GET /q/metrics

trap - EXIT
kill -TERM "$pid"
wait "$pid" || true   # 143 after SIGTERM; the JVM writes the archive on its way out
[[ -s "$cache" ]] || { echo "aot-train: no archive was written to $cache (.aot needs JDK 25+)" >&2; exit 1; }
echo "aot-train: wrote $cache ($(wc -c <"$cache") bytes)"
