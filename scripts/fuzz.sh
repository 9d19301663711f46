#!/usr/bin/env bash
# Runs the libFuzzer target dyt-fuzz (fuzz/dyt-fuzz.cpp) for a given time and
# turns what it finds into regression tests.
#
#   scripts/fuzz.sh [SECONDS]        default 600; DYT_FUZZ_JOBS=N forked jobs (1)
#
# Builds build-asan/ (clang-22, -DDYT_SANITIZE=ON -DDYT_FUZZ=ON) if needed,
# seeds the corpus with every lit test's MLIR (split at "// -----"), keeps the
# grown corpus in build-asan/fuzz/corpus between runs, and minimises each
# crash/timeout/OOM input into test/Fuzz/<kind>-<hash>.mlir: a lit test that
# replays the input through dyt-opt (test/Fuzz/Inputs/replay.py) and expects
# no crash. Those tests fail until the bug is fixed; that is the point.
# Exits 1 when something was found.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${DYT_FUZZ_BUILD_DIR:-$ROOT/build-asan}"
SECONDS_TO_RUN="${1:-600}"
JOBS="${DYT_FUZZ_JOBS:-1}"
LLVM_PREFIX=/usr/lib/llvm-22

if [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
  cmake -G Ninja -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DMLIR_DIR="$LLVM_PREFIX/lib/cmake/mlir" \
    -DLLVM_EXTERNAL_LIT="$LLVM_PREFIX/bin/lit" \
    -DDYT_SANITIZE=ON -DDYT_FUZZ=ON >/dev/null
fi
cmake --build "$BUILD_DIR" --target dyt-fuzz dyt-opt

WORK="$BUILD_DIR/fuzz"
mkdir -p "$WORK/seeds" "$WORK/corpus" "$WORK/artifacts"
# Seeds: each split-input chunk of each lit test, RUN/CHECK comments and all
# (the parser skips comments; the fuzzer learns to drop them).
python3 - "$ROOT/test" "$WORK/seeds" <<'PY'
import hashlib, os, pathlib, sys
root, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
n = 0
for path in sorted(root.rglob("*.mlir")):
    for chunk in path.read_text(errors="replace").split("// -----"):
        data = chunk.encode()
        if 0 < len(data) <= 16384:
            (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
            n += 1
print(f"fuzz: {n} seeds from {root}")
PY

# Options for an uninstrumented libMLIR.so (test/lit_sanitizers.py says why).
export ASAN_OPTIONS="detect_leaks=0:detect_container_overflow=0:alloc_dealloc_mismatch=0:detect_odr_violation=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
FUZZ="$BUILD_DIR/bin/dyt-fuzz"
LOG="$WORK/fuzz.log"
before=$(ls "$WORK/artifacts" | wc -l)
cd "$WORK"  # libFuzzer's fork mode writes into the current directory
set +e
# Fork mode with -ignore_crashes: one crash (often a known upstream parser
# bug) does not end the run; every crasher lands in artifacts/.
# -timeout: one input taking 30 s is a hang; -rss_limit_mb: one using 4 GiB
# is a resource bug (the machine running CI has little memory).
"$FUZZ" "$WORK/corpus" "$WORK/seeds" -dict="$ROOT/fuzz/mlir.dict" \
  -max_total_time="$SECONDS_TO_RUN" -max_len=16384 -timeout=30 \
  -rss_limit_mb=4096 -print_final_stats=1 \
  -fork="$JOBS" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
  -artifact_prefix="$WORK/artifacts/" >"$LOG" 2>&1
set -e
# Fork mode reports "#N: cov: ... exec/s: ... crash: ... time: ...".
grep -E "^#[0-9]+:" "$LOG" | tail -n 1 || true

# Each crasher: minimised, then sorted by where it crashed. A stack through
# this project's sources (lib/, include/dyt, tools/) or a dyt-fuzz verdict
# ("dyt-fuzz: ...") is ours and becomes test/Fuzz/<kind>-<hash>.mlir;
# anything else crashed inside upstream MLIR and is listed in
# $WORK/upstream.txt to report (its test would fail until upstream fixes it).
found=0
minimised_count=0
for artifact in "$WORK"/artifacts/crash-* "$WORK"/artifacts/timeout-* "$WORK"/artifacts/oom-* "$WORK"/artifacts/slow-unit-*; do
  [[ -f "$artifact" ]] || continue
  name="$(basename "$artifact")"
  kind="${name%%-*}"
  minimised="$WORK/artifacts/min/$name"
  mkdir -p "$WORK/artifacts/min"
  # Minimising takes up to 30 s a crasher; DYT_FUZZ_MINIMISE (default 12)
  # caps how many per run (the rest are kept as found).
  if [[ "$kind" == crash && ! -f "$minimised" ]] && ((minimised_count++ < ${DYT_FUZZ_MINIMISE:-12})); then
    "$FUZZ" -minimize_crash=1 -max_total_time=30 -runs=100000 \
      -exact_artifact_path="$minimised" "$artifact" >"$WORK/minimise.log" 2>&1 || true
  fi
  [[ -f "$minimised" ]] || cp "$artifact" "$minimised"
  hash="$(sha1sum "$minimised" | cut -c1-12)"
  report="$("$FUZZ" "$minimised" 2>&1 || true)"
  if ! grep -qE "^dyt-fuzz: |$ROOT/(lib|include/dyt|tools)/" <<<"$report"; then
    if ! grep -q "$hash" "$WORK/upstream.txt" 2>/dev/null; then
      where="$(grep -m1 -oE "in mlir::[A-Za-z_:]+" <<<"$report" || echo "in upstream")"
      echo "$hash $minimised $where" >>"$WORK/upstream.txt"
      echo "fuzz: upstream crash $where: $minimised"
    fi
    continue
  fi
  test_file="$ROOT/test/Fuzz/$kind-$hash.mlir"
  [[ -f "$test_file" ]] && continue
  {
    echo "// Found by scripts/fuzz.sh ($kind), minimised. Must not crash."
    echo "// RUN: %fuzz_replay %s"
    echo
    cat "$minimised"
  } >"$test_file"
  echo "fuzz: new regression test $test_file"
  found=1
done
after=$(ls "$WORK/artifacts" | wc -l)
echo "fuzz: corpus $(ls "$WORK/corpus" | wc -l) inputs; artifacts $before -> $after"
exit "$found"
