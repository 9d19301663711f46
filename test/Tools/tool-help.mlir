// The tools' --help lists their own options, not the hundreds of backend
// options the LLVM libraries register (those are hidden, and still parse).
// RUN: dyt-run --help | FileCheck %s --check-prefix=HELP
// RUN: dyt-compare --help | FileCheck %s --check-prefix=CMP
// RUN: dyt-run --x86-asm-syntax=intel --help | FileCheck %s --check-prefix=HELP

// HELP-LABEL: dyt-run options:
// HELP-DAG:     --bench=<N>
// HELP-DAG:     --check
// HELP-DAG:     --device=<cpu|gpu>
// HELP-DAG:     -e <FUNC>
// HELP-DAG:     --threads=<N>
// HELP-NOT:     --amdgpu
// HELP-NOT:     --x86-

// CMP-LABEL: dyt-compare options:
// CMP-DAG:     --target=
// CMP-DAG:     --replace-options=
// CMP-NOT:     --amdgpu

