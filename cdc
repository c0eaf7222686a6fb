#!/usr/bin/env bash
# The cdc launcher: builds what is missing (or older than its sources) on first use, then runs the command line.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="$ROOT/cdc-cli/target/cdc-cli.jar"
SPARK_JAR="$ROOT/cdc-spark/target/cdc-spark.jar"
FLINK_JAR="$ROOT/cdc-flink/target/cdc-flink.jar"
LIB="$ROOT/cdc-cli/target/lib"
LOGS="$ROOT/logs"

needs_build() {
  [ -f "$JAR" ] && [ -d "$LIB" ] && [ -f "$SPARK_JAR" ] && [ -f "$FLINK_JAR" ] || return 0
  # any source or POM newer than the jar means the build is stale
  [ -n "$(find "$ROOT/pom.xml" "$ROOT"/cdc-*/pom.xml "$ROOT"/cdc-*/src/main -newer "$JAR" -print -quit 2>/dev/null)" ]
}

if needs_build; then
  mkdir -p "$LOGS"
  echo "cdc: building the project (first use or sources changed); log: logs/build.log" >&2
  started=$(date +%s)
  if ! "$ROOT/mvnw" -B -q -f "$ROOT/pom.xml" -DskipTests -pl cdc-cli,cdc-spark,cdc-flink -am package >"$LOGS/build.log" 2>&1; then
    echo "cdc: build failed; the last lines of logs/build.log:" >&2
    tail -n 30 "$LOGS/build.log" >&2
    exit 1
  fi
  touch "$JAR" "$SPARK_JAR" "$FLINK_JAR" # Maven leaves an unchanged module's jar as it was; the check above compares with these
  echo "cdc: built in $(( $(date +%s) - started )) s" >&2
fi

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# The throughput collector: the generator runs about 40% faster with it than with G1 (see README, Speed).
# shellcheck disable=SC2086
exec "$JAVA" ${JAVA_OPTS:--XX:+UseParallelGC} -Dcdc.home="$ROOT" -cp "$JAR:$LIB/*" dev.cdc.cli.Cdc "$@"
