# Shared by bench/run and bench/ab (sourced; BENCH_DIR must be set).

# JVM flags: the container's (src/main/docker/Dockerfile.jvm) and the JBoss log manager; see bench/README.md for the
# variants that were compared.
DEFAULT_JVM_FLAGS="-XX:+UseSerialGC -Xms128m -Xmx320m -Xss256k -XX:ReservedCodeCacheSize=48m -Dio.netty.allocator.numDirectArenas=2 -Dio.netty.allocator.numHeapArenas=2 -XX:TrimNativeHeapInterval=2000 -XX:+UseTransparentHugePages -Djava.util.logging.manager=org.jboss.logmanager.LogManager"
# The same with G1, as src/main/docker/Dockerfile.jvm-aot runs on JDK 25 (bench/run --aot): JDK 25's serial collector
# lets the heap grow to -Xmx under embeddings load (see bench/README.md, "JDK 25 and the AOT cache"). Without
# transparent huge pages, which saved CPU on JDK 17 but not on JDK 25 with G1 (bench/README.md).
AOT_JVM_FLAGS="${DEFAULT_JVM_FLAGS/-XX:+UseSerialGC/-XX:+UseG1GC}"
AOT_JVM_FLAGS="${AOT_JVM_FLAGS/ -XX:+UseTransparentHugePages/}"

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# gateway_env STANDIN_PORT PORT MANAGEMENT_PORT SHUTDOWN_TIMEOUT -> the array GATEWAY_ENV, for `env "${GATEWAY_ENV[@]}"`:
# the gateway against the stand-in, with the bench catalog and key, dummy AWS credentials, on 127.0.0.1 only, and the
# container's MALLOC_ARENA_MAX unless the caller's environment sets another.
gateway_env() {
  GATEWAY_ENV=(GATEWAY_BEDROCK_ENDPOINT_OVERRIDE="http://127.0.0.1:$1" GATEWAY_MASTER_KEY=sk-bench
    GATEWAY_CONFIG_FILE="$BENCH_DIR/catalog.yaml" GATEWAY_CONFIG_RELOAD_INTERVAL=0S
    AWS_ACCESS_KEY_ID=AKIDBENCHMARK AWS_SECRET_ACCESS_KEY=bench-secret AWS_REGION=us-east-1
    AWS_EC2_METADATA_DISABLED=true MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
    QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$2" QUARKUS_MANAGEMENT_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT="$3"
    QUARKUS_SHUTDOWN_DELAY=0S QUARKUS_SHUTDOWN_TIMEOUT="$4")
}
