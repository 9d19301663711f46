#!/usr/bin/env bash
# Installs the benchmark peers that come from PyPI into bench/.venv (ignored
# by git): IREE's compiler and runtime (iree-compile, iree-benchmark-module)
# and, with --with-torch, PyTorch (torch.compile needs the gcc that is
# already here; PyPI's wheel brings several GB of CUDA libraries).
# bench/cpu_norms.py finds them there; a peer that is missing is reported as
# such by the benchmark, not dropped.
set -euo pipefail
# numpy's matmul is the OpenBLAS peer of bench/cpu_matmul.py: Debian's numpy
# runs on whichever libblas.so.3 is installed, OpenBLAS once this is.
if ! dpkg -s libopenblas0-pthread > /dev/null 2>&1; then
  apt-get install -y -q libopenblas0-pthread > /dev/null
fi
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
/usr/bin/python3 -m venv "$HERE/.venv"
"$HERE/.venv/bin/pip" install -q iree-base-compiler iree-base-runtime numpy
if [[ "${1:-}" == "--with-torch" ]]; then
  "$HERE/.venv/bin/pip" install -q torch
fi
"$HERE/.venv/bin/iree-compile" --version | head -n 1
