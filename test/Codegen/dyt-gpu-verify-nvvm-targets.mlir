// RUN: dyt-opt %s --split-input-file --verify-diagnostics --pass-pipeline="builtin.module(gpu.module(dyt-gpu-verify-nvvm-targets))" | FileCheck %s
// What the kernels need beyond the chip (min-sm, min-ptx):
// RUN: not dyt-opt %s --split-input-file --pass-pipeline="builtin.module(gpu.module(dyt-gpu-verify-nvvm-targets{min-ptx=80 min-sm=80 why=tests}))" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REQ

// Valid targets are left as they are: the chip's first PTX version, a
// newer one, none (LLVM takes the chip's first), the highest of several,
// a disabled feature, an arch-specific chip, a version enabled and then
// disabled (LLVM takes the chip's first).
// CHECK-LABEL: gpu.module @valid
// CHECK-SAME: #nvvm.target<chip = "sm_90", features = "+ptx78">
// CHECK-SAME: #nvvm.target<chip = "sm_90", features = "+ptx88">
// CHECK-SAME: #nvvm.target<chip = "sm_75">
// CHECK-SAME: #nvvm.target<chip = "sm_90a", features = "+ptx70,+ptx80">
// CHECK-SAME: #nvvm.target<chip = "sm_80", features = "+ptx70,-ptx86">
// CHECK-SAME: #nvvm.target<chip = "sm_100f", features = "+ptx88">
// CHECK-SAME: #nvvm.target<chip = "sm_90", features = "+ptx70,-ptx70">
// REQ: error: 'gpu.module' op target #nvvm.target<chip = "sm_90", features = "+ptx78">: PTX ISA 7.8 is older than 8.0, the oldest these kernels are built for (tests)
// REQ: error: 'gpu.module' op target #nvvm.target<chip = "sm_75">: chip 'sm_75' is older than sm_80, the oldest these kernels are built for (tests)
gpu.module @valid [#nvvm.target<chip = "sm_90", features = "+ptx78">,
                   #nvvm.target<chip = "sm_90", features = "+ptx88">,
                   #nvvm.target<chip = "sm_75", features = "">,
                   #nvvm.target<chip = "sm_90a", features = "+ptx70,+ptx80">,
                   #nvvm.target<chip = "sm_80", features = "+ptx70,-ptx86">,
                   #nvvm.target<chip = "sm_100f", features = "+ptx88">,
                   #nvvm.target<chip = "sm_90", features = "+ptx70,-ptx70">] {
}

// -----

// No targets: nothing to check.
// CHECK-LABEL: gpu.module @untargeted
gpu.module @untargeted {
}

// -----

// expected-error @below {{target #nvvm.target<chip = "sm_90", features = "+ptx70">: PTX ISA 7.0 (+ptx70) does not have sm_90, which needs PTX ISA 7.8 (+ptx78) or later}}
gpu.module @too_old [#nvvm.target<chip = "sm_90", features = "+ptx70">] {
}

// -----

// The arch-specific variant needs a newer version than sm_90.
// expected-error @below {{PTX ISA 7.8 (+ptx78) does not have sm_90a, which needs PTX ISA 8.0 (+ptx80) or later}}
gpu.module @too_old_variant [#nvvm.target<chip = "sm_90a", features = "+ptx78">] {
}

// -----

// The features of upstream's gpu-lower-to-nvvm-pipeline by default (+ptx60)
// with a newer chip.
// expected-error @below {{PTX ISA 6.0 (+ptx60) does not have sm_80, which needs PTX ISA 7.0 (+ptx70) or later}}
gpu.module @upstream_default [#nvvm.target<chip = "sm_80", features = "+ptx60">] {
}

// -----

// Each target is checked, not only the first.
// expected-error @below {{target #nvvm.target<chip = "sm_120f", features = "+ptx87">: PTX ISA 8.7 (+ptx87) does not have sm_120f, which needs PTX ISA 8.8 (+ptx88) or later}}
gpu.module @second_target [#nvvm.target<chip = "sm_80", features = "+ptx70">,
                           #nvvm.target<chip = "sm_120f", features = "+ptx87">] {
}

// -----

// expected-error @below {{chip 'sm_91' is not a processor of LLVM's NVPTX backend (it would compile for a default one); known: sm_20 sm_21}}
gpu.module @unknown_chip [#nvvm.target<chip = "sm_91", features = "+ptx88">] {
}

// -----

// expected-error @below {{feature 'ptx99' is not a PTX version of LLVM's NVPTX backend (ptxNN, e.g. ptx78)}}
gpu.module @unknown_feature [#nvvm.target<chip = "sm_90", features = "+ptx99">] {
}

// -----

// expected-error @below {{feature 'ptx80' must start with '+' or '-' (e.g. +ptx78)}}
gpu.module @unsigned_feature [#nvvm.target<chip = "sm_90", features = "ptx80">] {
}

// -----

// LLVM does not trim the features it splits at commas: " +ptx80" would be
// ignored, and sm_90a compiled with PTX 7.0 (a fatal error).
// expected-error @below {{feature ' +ptx80' must start with '+' or '-' (e.g. +ptx80)}}
gpu.module @spaced_feature [#nvvm.target<chip = "sm_90a", features = "+ptx70, +ptx80">] {
}

// -----

// LLVM applies the features in order: the -ptx80 leaves PTX 7.0.
// expected-error @below {{PTX ISA 7.0 (+ptx70) does not have sm_90, which needs PTX ISA 7.8 (+ptx78) or later}}
gpu.module @disabled_later [#nvvm.target<chip = "sm_90", features = "+ptx70,+ptx80,-ptx80">] {
}

// -----

// An sm_ feature would raise the PTX version the target needs (sm_100: 8.6).
// expected-error @below {{feature 'sm_100' is not a PTX version of LLVM's NVPTX backend (ptxNN, e.g. ptx78); the architecture is the target's chip, and an sm_ feature would raise the PTX version it needs}}
gpu.module @sm_feature [#nvvm.target<chip = "sm_90", features = "+ptx78,+sm_100">] {
}
