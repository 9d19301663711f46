#!/usr/bin/env bash
# Builds (through setup.sh) and runs every test: the lit suite, which also runs
# the GoogleTest binaries as its nested suite test/Unit. Exits non-zero on any
# failure; the last line is the summary "dyt-mlir: N passed, N failed, N skipped".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${DYT_BUILD_DIR:-$ROOT/build}"

"$ROOT/scripts/setup.sh"

LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
set +e
/usr/lib/llvm-22/bin/lit -sv "$BUILD_DIR/test" 2>&1 | tee "$LOG"
status=${PIPESTATUS[0]}
set -e

# lit's closing block lists "  <Label>: N (..%)", labels and counts padded
# to one width ("  Failed:  4 (5.63%)" beside "  Passed: 67 (94.37%)").
count() {
  local n
  n="$(sed -nE "s/^  $1 *: *([0-9]+) \(.*/\1/p" "$LOG" | tail -n 1)"
  echo "${n:-0}"
}
passed=$(($(count Passed) + $(count "Passed With Retry") + $(count "Expectedly Failed")))
failed=$(($(count Failed) + $(count Unresolved) + $(count "Timed Out") + $(count "Unexpectedly Passed")))
skipped=$(($(count Unsupported) + $(count Skipped) + $(count Excluded)))
if ((status == 0 && passed == 0)); then
  echo "test: lit ran no test" >&2
  status=1
fi
echo "dyt-mlir: ${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
