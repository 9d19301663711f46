// The tools' --help lists their own options, not the hundreds of backend
// options the LLVM libraries register (those are hidden, and still parse).
// RUN: dyt-run --help | FileCheck %s --check-prefix=HELP --implicit-check-not=--x86- --implicit-check-not=--amdgpu
// RUN: dyt-compare --help | FileCheck %s --check-prefix=CMP --implicit-check-not=--x86- --implicit-check-not=--amdgpu
// RUN: dyt-run --x86-asm-syntax=intel --help | FileCheck %s --check-prefix=HELP --implicit-check-not=--x86- --implicit-check-not=--amdgpu

// HELP-LABEL: dyt-run options:
// HELP-DAG:     --bench=<N>
// HELP-DAG:     --check
// HELP-DAG:     --device=<cpu|gpu>
// HELP-DAG:     -e <FUNC>
// HELP-DAG:     --threads=<N>

// CMP-LABEL: dyt-compare options:
// CMP-DAG:     --target=
// CMP-DAG:     --replace-options=

