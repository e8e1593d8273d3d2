#!/bin/sh
# The Temporal Java SDK's time-skipping test server (jars from Maven Central, see scripts/install-tools.sh).
# @temporalio/testing starts it through this script: createTimeSkipping({ server: { executable:
# { type: 'existing-path', path } } }) with the port as argument.
DIR=$(cd "$(dirname "$0")/.." && pwd)
exec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -Xss2m -cp "$DIR/.tools/temporal-test-server/*" io.temporal.testserver.TestServer "$@"
