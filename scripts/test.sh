#!/usr/bin/env bash
# Builds (through setup.sh) and runs every test: the lit suite, which also runs
# the GoogleTest binaries as its nested suite test/Unit, then the Python
# package's pytest suite (python/tests, with .venv/). Exits non-zero on any
# failure; the last line is the summary "dyt-mlir: N passed, N failed, N skipped"
# over both. DYT_SKIP_PYTHON=1 leaves pytest out. DYT_SANITIZE=1 also runs the
# lit suite under ASan + UBSan (scripts/sanitize.sh, build-asan/).
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

# pytest: its closing line reads "3 failed, 20 passed, 1 skipped, 1 xfailed
# in 41.2s" (any subset, in any order).
if [[ "${DYT_SKIP_PYTHON:-0}" != 1 ]]; then
  PYLOG="$(mktemp)"
  trap 'rm -f "$LOG" "$PYLOG"' EXIT
  set +e
  PYTHONPATH="$ROOT/python${PYTHONPATH:+:$PYTHONPATH}" DYT_BUILD_DIR="$BUILD_DIR" \
    "$ROOT/.venv/bin/python" -m pytest -q -rfEs "$ROOT/python/tests" 2>&1 | tee "$PYLOG"
  pystatus=${PIPESTATUS[0]}
  set -e
  pycount() {
    local n
    n="$(tail -n 1 "$PYLOG" | grep -oE "[0-9]+ $1\b" | cut -d' ' -f1)"
    echo "${n:-0}"
  }
  pypassed=$(($(pycount passed) + $(pycount xfailed) + $(pycount xpassed)))
  pyfailed=$(($(pycount failed) + $(pycount error) + $(pycount errors)))
  pyskipped=$(pycount skipped)
  if ((pystatus != 0 && pyfailed == 0)); then
    pyfailed=1  # pytest could not run (no .venv, collection error, ...)
  fi
  passed=$((passed + pypassed))
  failed=$((failed + pyfailed))
  skipped=$((skipped + pyskipped))
  if ((pystatus != 0)); then status=1; fi
fi

# --- ASan + UBSan (issue 8) -------------------------------------------------
# DYT_SANITIZE=1 also builds build-asan/ (clang-22, -DDYT_SANITIZE=ON) and
# runs the lit suite (GoogleTest included) there, via scripts/sanitize.sh;
# its counts join the summary (README, "Sanitizers, fuzzing, differential
# testing"). .ci/run turns it on.
# DYT_SANITIZE_SKIP_AFTER=M (minutes, CI sets it) skips it, as one skipped
# test, when the run has already taken M minutes: CI's limit is 90 minutes.
if [[ "${DYT_SANITIZE:-0}" == 1 && -n "${DYT_SANITIZE_SKIP_AFTER:-}" ]] &&
  ((SECONDS > DYT_SANITIZE_SKIP_AFTER * 60)); then
  echo "test: skipping the ASan + UBSan run: $((SECONDS / 60)) min already, over DYT_SANITIZE_SKIP_AFTER=$DYT_SANITIZE_SKIP_AFTER"
  skipped=$((skipped + 1))
elif [[ "${DYT_SANITIZE:-0}" == 1 ]]; then
  set +e
  "$ROOT/scripts/sanitize.sh" 2>&1 | tee "$LOG"
  sanstatus=${PIPESTATUS[0]}
  set -e
  passed=$((passed + $(count Passed) + $(count "Passed With Retry") + $(count "Expectedly Failed")))
  sanfailed=$(($(count Failed) + $(count Unresolved) + $(count "Timed Out") + $(count "Unexpectedly Passed")))
  if ((sanstatus != 0 && sanfailed == 0)); then sanfailed=1; fi  # build failed
  failed=$((failed + sanfailed))
  skipped=$((skipped + $(count Unsupported) + $(count Skipped) + $(count Excluded)))
  if ((sanstatus != 0)); then status=1; fi
fi
# --- end ASan + UBSan --------------------------------------------------------

echo "dyt-mlir: ${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
