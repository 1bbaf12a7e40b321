#!/usr/bin/env bash
# One suite run in a JVM of its own, with extra JVM options (what `hako suite` forks, see `hako suite --dry-run`).
#   run-one.sh WORKLOAD ALLOCATOR [JVM options...] [-- suite-run options, e.g. --scale 0.5]
#   THREADS=N (default 2) sets --threads.
# Examples:
#   run-one.sh rptest hako -Dhako.stats=true
#   run-one.sh sh8bench hako -XX:StartFlightRecording=filename=/tmp/sh8.jfr,settings=profile
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
W="$1"; A="$2"; shift 2
JVM=(); RUN=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--" ]; then shift; RUN=("$@"); break; fi
  JVM+=("$1"); shift
done
CP="$ROOT/lab/target/hako-lab.jar:$(ls "$ROOT"/lab/target/lib/*.jar | tr '\n' ':')"
exec "$JAVA" --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true "${JVM[@]}" -cp "$CP" \
  dev.hako.lab.cli.HakoCli suite run --workload "$W" --allocator "$A" --threads "${THREADS:-2}" "${RUN[@]}"
