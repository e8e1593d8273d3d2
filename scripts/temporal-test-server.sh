#!/bin/sh
# The Temporal Java SDK's time-skipping test server (jars from Maven Central, see scripts/install-tools.sh).
# @temporalio/testing starts it through this script: createTimeSkipping({ server: { executable:
# { type: 'existing-path', path }, extraArgs } }) with the port as first argument.
#
# With `--initial-time=<ISO-8601 instant>` the server's clock starts at that instant instead of the real
# now (test/helpers/temporal.ts TEST_EPOCH): the stock main class has no such flag, so a small launcher
# (scripts/PinnedTestServer.java) builds the same server with its initial time; it is compiled once into
# .cache/ (`temporal-test-server.sh --build` does only that; the jest global setup calls it).
DIR=$(cd "$(dirname "$0")/.." && pwd)
JARS="$DIR/.tools/temporal-test-server/*"
SRC="$DIR/scripts/PinnedTestServer.java"
OUT="$DIR/.cache/temporal-test-server"

build() {
  [ "$OUT/PinnedTestServer.class" -nt "$SRC" ] && return 0
  mkdir -p "$OUT"
  tmp=$(mktemp -d "$OUT/build.XXXXXX") || return 1
  # compiled aside and renamed into place: two servers starting at once never see half a class file
  javac -nowarn -cp "$JARS" -d "$tmp" "$SRC" && mv -f "$tmp/PinnedTestServer.class" "$OUT/PinnedTestServer.class"
  rc=$?
  rm -rf "$tmp"
  return $rc
}

if [ "$1" = "--build" ]; then build; exit $?; fi

MAIN=io.temporal.testserver.TestServer
CP="$JARS"
for a in "$@"; do
  case "$a" in --initial-time=*) build || exit 1; MAIN=PinnedTestServer; CP="$OUT:$JARS" ;; esac
done
exec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -Xss2m -cp "$CP" "$MAIN" "$@"
