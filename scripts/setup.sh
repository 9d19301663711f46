#!/usr/bin/env bash
# Installs what is missing from Debian's packages, configures build/ (Release)
# and builds; then creates the Python environment .venv/ (torch, torch-mlir,
# ... pinned in python/requirements.txt) for the `dyt` package in python/.
# Idempotent: a second run installs nothing and rebuilds only what changed.
# DYT_SKIP_PYTHON=1 skips the Python environment.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${DYT_BUILD_DIR:-$ROOT/build}"
LLVM_PREFIX=/usr/lib/llvm-22

PACKAGES=(
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools clang-22
  libomp-22-dev cmake ninja-build g++ libgtest-dev python3-numpy
  python3-venv
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [[ "$(id -u)" != 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

mkdir -p "$BUILD_DIR"
# One compiler family for C and C++ (mixing gcc and clang breaks LLVM's
# flag handling, see shared/TOOLCHAIN.md).
cmake -G Ninja -S "$ROOT" -B "$BUILD_DIR" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ \
  -DMLIR_DIR="$LLVM_PREFIX/lib/cmake/mlir" \
  -DLLVM_EXTERNAL_LIT="$LLVM_PREFIX/bin/lit" \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
  >"$BUILD_DIR/configure.log" 2>&1 || { cat "$BUILD_DIR/configure.log"; exit 1; }

cmake --build "$BUILD_DIR"
echo "setup: tools in $BUILD_DIR/bin, plugin in $BUILD_DIR/lib/DytPlugin.so"

# Python: .venv/ from PyPI with the pinned set. A marker holding the
# requirements file's hash makes a second run a no-op. Debian's interpreter,
# not whatever `python3` comes first on PATH.
if [[ "${DYT_SKIP_PYTHON:-0}" != 1 ]]; then
  VENV="$ROOT/.venv"
  REQS="$ROOT/python/requirements.txt"
  MARKER="$VENV/.dyt-requirements.sha256"
  want="$(sha256sum "$REQS" | cut -d' ' -f1)"
  if [[ ! -x "$VENV/bin/python" || "$(cat "$MARKER" 2>/dev/null)" != "$want" ]]; then
    echo "setup: installing python/requirements.txt into $VENV (torch pulls CUDA wheels, a few GB)"
    [[ -x "$VENV/bin/python" ]] || /usr/bin/python3 -m venv "$VENV"
    start=$SECONDS
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check \
      --progress-bar off -r "$REQS"
    echo "$want" >"$MARKER"
    echo "setup: python environment ready in $((SECONDS - start)) s"
  fi
fi
