#!/usr/bin/env bash
# Runs a real single-node Apache Kafka broker (KRaft, broker and controller in one JVM)
# from jars that Maven fetches from Maven Central, because these machines have no Docker.
#
#   kafka.sh fetch    download the broker jars into the cache (once)
#   kafka.sh start    format the data folder if needed, start in the background, wait until ready
#   kafka.sh stop     stop the broker started by this script
#   kafka.sh status   print "running <pid> <bootstrap>" or "stopped"
#   kafka.sh run      start in the foreground (for containers and debugging)
#
# Settings (environment): KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093),
# KAFKA_HOME_DIR (<repo>/.run/kafka: data, logs, pid), KAFKA_CACHE_DIR (<repo>/.cache/kafka),
# KAFKA_HEAP (1G), KAFKA_PARTITIONS (6).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"
home="${KAFKA_HOME_DIR:-$repo/.run/kafka}"
cache="${KAFKA_CACHE_DIR:-$repo/.cache/kafka}/$version"
heap="${KAFKA_HEAP:-1G}"
partitions="${KAFKA_PARTITIONS:-6}"
libs="$cache/libs"
pidfile="$home/kafka.pid"

log() { echo "[kafka] $*" >&2; }

fetch() {
  if [ -f "$libs/.complete" ]; then return 0; fi
  command -v mvn >/dev/null || { log "Maven (mvn) is required to fetch the broker jars"; exit 1; }
  command -v java >/dev/null || { log "Java 17 or newer is required to run the broker"; exit 1; }
  log "fetching Apache Kafka $version jars from Maven Central into $libs"
  rm -rf "$libs"; mkdir -p "$libs"
  mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs"
  touch "$libs/.complete"
}

write_config() {
  mkdir -p "$home/data" "$home/logs"
  cat > "$home/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$home/data
num.partitions=$partitions
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
delete.topic.enable=true
# a master person's event carries its golden record and record list: allow up to 8 MiB
message.max.bytes=8388608
replica.fetch.max.bytes=8388608
log.retention.check.interval.ms=60000
PROPS
}

is_running() {
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

format() {
  if [ ! -f "$home/data/meta.properties" ]; then
    local uuid
    uuid="$(java -cp "$libs/*" kafka.tools.StorageTool random-uuid)"
    java -Xmx256M -Dkafka.logs.dir="$home/logs" -Dlog4j2.configurationFile="$here/log4j2.properties" \
      -cp "$libs/*" kafka.tools.StorageTool format -t "$uuid" -c "$home/server.properties" --ignore-formatted >/dev/null
  fi
}


start() {
  if is_running; then log "already running (pid $(cat "$pidfile")) on 127.0.0.1:$port"; return 0; fi
  if port_open; then log "port $port is already in use by another process; set KAFKA_PORT"; exit 1; fi
  fetch; write_config; format
  log "starting broker on 127.0.0.1:$port (logs: $home/logs)"
  nohup java -Xms256M "-Xmx$heap" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    "-Dkafka.logs.dir=$home/logs" "-Dlog4j2.configurationFile=$here/log4j2.properties" \
    -cp "$libs/*" kafka.Kafka "$home/server.properties" >"$home/logs/stdout.log" 2>&1 &
  echo $! > "$pidfile"
  for _ in $(seq 1 120); do
    if ! is_running; then log "broker exited during start; see $home/logs/stdout.log and server.log"; tail -20 "$home/logs/stdout.log" >&2; exit 1; fi
    if port_open && grep -q "Kafka Server started" "$home/logs/server.log" 2>/dev/null; then
      log "ready on 127.0.0.1:$port (pid $(cat "$pidfile"))"; return 0
    fi
    sleep 0.5
  done
  log "broker did not become ready within 60 s"; exit 1
}

stop() {
  if ! is_running; then log "not running"; rm -f "$pidfile"; return 0; fi
  local pid; pid="$(cat "$pidfile")"
  kill "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; log "stopped"; return 0; }; sleep 0.5; done
  log "broker did not stop in 30 s; killing"; kill -9 "$pid" || true; rm -f "$pidfile"
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) if is_running; then echo "running $(cat "$pidfile") 127.0.0.1:$port"; else echo "stopped"; fi ;;
  run) fetch; write_config; format; exec java -Xms256M "-Xmx$heap" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    "-Dkafka.logs.dir=$home/logs" "-Dlog4j2.configurationFile=$here/log4j2.properties" \
    -cp "$libs/*" kafka.Kafka "$home/server.properties" ;;
  *) echo "usage: kafka.sh fetch|start|stop|status|run" >&2; exit 2 ;;
esac
