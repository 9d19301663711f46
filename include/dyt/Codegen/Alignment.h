//===- Alignment.h - Provable alignment of memref accesses ------*- C++ -*-===//
//
// What a vector store's `alignment` attribute may claim. LLVM needs it for
// non-temporal stores: x86 has aligned streaming stores only (vmovntps), so
// an NT store it cannot prove aligned is split into 8-byte movnti stores,
// eight or more instructions per vector.
//
//===----------------------------------------------------------------------===//

#ifndef DYT_CODEGEN_ALIGNMENT_H
#define DYT_CODEGEN_ALIGNMENT_H

#include "mlir/Support/LLVM.h"

#include <cstdint>

namespace mlir {
class Value;
class ValueRange;

namespace dyt {

/// A divisor of the integer (index) value `value`, as far as the IR proves
/// one: constants, loop induction variables (scf.for, scf.forall,
/// scf.parallel: the gcd of lower bound and step), sums, differences,
/// products, left shifts and index casts of those. 1 when nothing is known;
/// a zero constant is divisible by anything (returns kAnyDivisor).
uint64_t getKnownDivisor(Value value);

/// What getKnownDivisor returns for a value known to be 0.
constexpr uint64_t kAnyDivisor = uint64_t(1) << 62;

/// The largest power-of-two byte alignment, at most `cap`, that the address
/// of `memref[indices]` provably has: the alignment of the allocation it
/// views (memref.alloc/alloca's `alignment`, else the element size), the
/// offsets of the subviews in between and the divisibility of the indices,
/// scaled by the strides; where views have static strides, also their flat
/// offset as one simplified affine expression (through affine.apply), which
/// sees divisors that only a sum has. The element size when nothing better
/// is known.
/// A dynamic stride counts as a multiple of `dynamicStrideDivisor` (in
/// elements): with 1 only the divisors of the indices and offsets it
/// scales count; a caller that checks at run time that the strides are
/// multiples of some D may pass D.
uint64_t inferAccessAlignment(Value memref, ValueRange indices, uint64_t cap,
                              uint64_t dynamicStrideDivisor = 1);

/// The byte alignment of the allocation `memref` views, as
/// inferAccessAlignment assumes it: an allocation's `alignment`, else the
/// element size.
uint64_t inferBaseAlignment(Value memref);

} // namespace dyt
} // namespace mlir

#endif // DYT_CODEGEN_ALIGNMENT_H
