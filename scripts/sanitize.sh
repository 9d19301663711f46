#!/usr/bin/env bash
# The ASan + UBSan configuration: builds build-asan/ with clang-22 and
# -DDYT_SANITIZE=ON -DDYT_FUZZ=ON (our code instrumented; Debian's libMLIR.so
# is not, see test/lit_sanitizers.py) and runs the whole lit suite, GoogleTest
# binaries included, there. scripts/test.sh calls it when DYT_SANITIZE=1;
# it can also run alone (after scripts/setup.sh). Prints lit's summary.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${DYT_SANITIZE_BUILD_DIR:-$ROOT/build-asan}"
LLVM_PREFIX=/usr/lib/llvm-22

# The sanitizer and libFuzzer runtimes of clang-22 (not in setup.sh's list:
# only this configuration needs them).
for pkg in clang-22 libclang-rt-22-dev; do
  if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" != "install ok installed" ]]; then
    SUDO=""
    if [[ "$(id -u)" != 0 ]]; then SUDO="sudo"; fi
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends clang-22 libclang-rt-22-dev
    break
  fi
done

start=$SECONDS
mkdir -p "$BUILD_DIR"
cmake -G Ninja -S "$ROOT" -B "$BUILD_DIR" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
  -DMLIR_DIR="$LLVM_PREFIX/lib/cmake/mlir" \
  -DLLVM_EXTERNAL_LIT="$LLVM_PREFIX/bin/lit" \
  -DDYT_SANITIZE=ON -DDYT_FUZZ=ON \
  >"$BUILD_DIR/configure.log" 2>&1 || { cat "$BUILD_DIR/configure.log"; exit 1; }
cmake --build "$BUILD_DIR"
echo "sanitize: build-asan built in $((SECONDS - start)) s"
start=$SECONDS
set +e
"$LLVM_PREFIX/bin/lit" -sv "$BUILD_DIR/test"
status=$?
set -e
echo "sanitize: lit under ASan + UBSan took $((SECONDS - start)) s"
exit "$status"
