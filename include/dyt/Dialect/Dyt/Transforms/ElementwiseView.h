//===- ElementwiseView.h - Per-element view of tensor dataflow --*- C++ -*-===//
//
// Front ends write a norm as a chain of linalg.generic ops (one op per
// generic from torch-mlir, linalg.reduce + expand_shape from tosa-to-linalg,
// several ops per generic once fused). dyt-raise-norms matches the math,
// not the packaging: this view presents the value of one element of a
// tensor as the scalar op that computes it, looking through generic bodies,
// broadcasting indexing maps and unit-dim reshapes, and presents row sums
// (a reduction over the last dim of an all-parallel-but-last generic or a
// linalg.reduce, accumulating with addf from a zero fill) as one `Sum` node.
//
//===----------------------------------------------------------------------===//

#ifndef DYT_DIALECT_DYT_TRANSFORMS_ELEMENTWISEVIEW_H
#define DYT_DIALECT_DYT_TRANSFORMS_ELEMENTWISEVIEW_H

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Value.h"

namespace mlir {
namespace dyt {

/// A value of the element at index (d0, ..., dR-1) of the root tensor, R its
/// rank and dR-1 its last (channel) dim. Either a tensor read through
/// `access` (root dims -> the tensor's indices), or a scalar SSA value: one
/// defined inside the body of the generic `scope` (which `access` then maps
/// to that generic's iteration), or one from outside any body.
struct ElementRef {
  Value value;
  Operation *scope = nullptr;
  AffineMap access;

  bool isTensor() const { return !scope && access; }
  /// Whether the element varies along root dim `dim`.
  bool variesAlong(unsigned dim) const;
  /// Whether it varies along no dim (an alpha, a constant).
  bool isUniform() const;
  /// Whether it is a whole tensor of the root's shape read as the root is.
  bool isWholeTensor() const;
};

/// What computes an element.
struct ElementNode {
  enum Kind {
    Leaf,     // Nothing more known: a tensor or scalar.
    Constant, // `constant`, a float (splat or scalar).
    Cast,     // extf / truncf of operands[0].
    Add,
    Sub,
    Mul,
    Div,
    Rsqrt,
    Sqrt,
    Tanh,
    Square, // fpowi/powf by 2 (x * x is a Mul of equal operands).
    Sum,    // The sum of operands[0] over the channel dim, per row.
  };
  Kind kind = Leaf;
  SmallVector<ElementRef, 2> operands;
  double constant = 0.0;
  /// For a Cast: whether it is an extf (exact) rather than a truncf.
  bool widens = false;
};

/// The root of a view: the element at (d0, ..., dR-1) of `tensor`.
ElementRef getRootRef(Value tensor);

/// One step of the view (see this file's header).
ElementNode getNode(const ElementRef &ref);

/// `ref` with Cast nodes looked through; with `widensOnly`, only extf ones
/// (what is exact: a value that was rounded is not the value before).
ElementRef stripCasts(const ElementRef &ref, bool widensOnly = false);

} // namespace dyt
} // namespace mlir

#endif // DYT_DIALECT_DYT_TRANSFORMS_ELEMENTWISEVIEW_H
