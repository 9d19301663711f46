//===- ElementwiseView.cpp - Per-element view of tensor dataflow ----------===//

#include "dyt/Dialect/Dyt/Transforms/ElementwiseView.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::dyt;

bool ElementRef::variesAlong(unsigned dim) const {
  return access && access.isFunctionOfDim(dim);
}

bool ElementRef::isUniform() const {
  if (!access)
    return true;
  for (unsigned d = 0, e = access.getNumDims(); d < e; ++d)
    if (variesAlong(d))
      return false;
  return true;
}

bool ElementRef::isWholeTensor() const {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return isTensor() && type && access.isIdentity() &&
         type.getRank() == access.getNumDims();
}

ElementRef mlir::dyt::getRootRef(Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  return {tensor, nullptr,
          AffineMap::getMultiDimIdentityMap(type.getRank(),
                                            tensor.getContext())};
}

/// A body value of `scope` that is an input block argument as the tensor
/// (or scalar) operand it reads; a value captured from outside as itself.
static ElementRef resolve(const ElementRef &ref) {
  if (!ref.scope)
    return ref;
  auto generic = cast<linalg::GenericOp>(ref.scope);
  // A value from outside the body (a function argument, a constant) is the
  // same for every element.
  Value value = ref.value;
  if (!generic.getRegion().isAncestor(value.getParentRegion()))
    return {value, nullptr, AffineMap()};
  auto arg = dyn_cast<BlockArgument>(value);
  if (!arg || arg.getOwner() != generic.getBody() ||
      arg.getArgNumber() >= generic.getNumDpsInputs())
    return ref;
  OpOperand *operand = generic.getDpsInputOperand(arg.getArgNumber());
  if (!isa<RankedTensorType>(operand->get().getType()))
    return {operand->get(), nullptr, AffineMap()};
  AffineMap map = generic.getMatchingIndexingMap(operand);
  return {operand->get(), nullptr, map.compose(ref.access)};
}

static std::optional<double> getFloatConstant(Value value) {
  FloatAttr scalar;
  if (matchPattern(value, m_Constant(&scalar)))
    return scalar.getValueAsDouble();
  DenseFPElementsAttr dense;
  if (matchPattern(value, m_Constant(&dense)) && dense.isSplat())
    return dense.getSplatValue<APFloat>().convertToDouble();
  if (auto fill = value.getDefiningOp<linalg::FillOp>())
    return getFloatConstant(fill.getInputs()[0]);
  return std::nullopt;
}

/// The node of `op` (a scalar op, or an elementwise op on tensors) whose
/// operands are read as `like` reads its value.
static ElementNode classify(Operation *op, const ElementRef &like) {
  ElementNode node;
  auto operand = [&](unsigned i) {
    return ElementRef{op->getOperand(i), like.scope, like.access};
  };
  auto unary = [&](ElementNode::Kind kind) {
    node.kind = kind;
    node.operands.push_back(operand(0));
    return node;
  };
  auto binary = [&](ElementNode::Kind kind) {
    node.kind = kind;
    node.operands = {operand(0), operand(1)};
    return node;
  };
  if (isa<arith::AddFOp>(op))
    return binary(ElementNode::Add);
  if (isa<arith::SubFOp>(op))
    return binary(ElementNode::Sub);
  if (isa<arith::MulFOp>(op))
    return binary(ElementNode::Mul);
  if (isa<arith::DivFOp>(op))
    return binary(ElementNode::Div);
  if (isa<math::RsqrtOp>(op))
    return unary(ElementNode::Rsqrt);
  if (isa<math::SqrtOp>(op))
    return unary(ElementNode::Sqrt);
  if (isa<math::TanhOp>(op))
    return unary(ElementNode::Tanh);
  if (isa<arith::ExtFOp, arith::TruncFOp>(op)) {
    node.widens = isa<arith::ExtFOp>(op);
    return unary(ElementNode::Cast);
  }
  if (auto powi = dyn_cast<math::FPowIOp>(op)) {
    APInt exponent;
    if (matchPattern(powi.getRhs(), m_ConstantInt(&exponent)) &&
        exponent == 2)
      return unary(ElementNode::Square);
  }
  if (isa<math::PowFOp>(op)) {
    // tosa-to-linalg reads the exponent from a splat tensor.
    ElementNode exponent = getNode(operand(1));
    if (exponent.kind == ElementNode::Constant && exponent.constant == 2.0)
      return unary(ElementNode::Square);
  }
  return node;
}

/// Whether `value` is a zero fill or a zero constant (a sum's init).
static bool isZero(Value value) {
  std::optional<double> constant = getFloatConstant(value);
  return constant && *constant == 0.0;
}

/// `body` yields addf(v, acc) with `acc` its last block argument: v.
static Value getSummand(Block &body) {
  auto add = body.getTerminator()->getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add || add->getBlock() != &body)
    return {};
  BlockArgument acc = body.getArguments().back();
  if (add.getRhs() == acc)
    return add.getLhs();
  if (add.getLhs() == acc)
    return add.getRhs();
  return {};
}

/// Whether `access` reads the root's row dims in order as its first results.
static bool readsRowsInOrder(AffineMap access, unsigned rows) {
  if (access.getNumResults() < rows || access.getNumDims() != rows + 1)
    return false;
  for (unsigned d = 0; d < rows; ++d)
    if (access.getResult(d) != getAffineDimExpr(d, access.getContext()))
      return false;
  return true;
}

/// The source's indices of a reshape that only adds or drops unit dims, from
/// those of the result: per group of `reassociation`, the one non-unit dim
/// (of `groupShape`) carries the index, unit dims read 0.
static std::optional<SmallVector<AffineExpr>>
reshapeIndices(ArrayRef<ReassociationIndices> reassociation,
               ArrayRef<int64_t> groupShape, ArrayRef<AffineExpr> indices,
               bool fromGroups, MLIRContext *context) {
  SmallVector<AffineExpr> out;
  AffineExpr zero = getAffineConstantExpr(0, context);
  for (auto [i, group] : llvm::enumerate(reassociation)) {
    SmallVector<int64_t> nonUnit;
    for (int64_t d : group)
      if (groupShape[d] != 1)
        nonUnit.push_back(d);
    if (nonUnit.size() > 1)
      return std::nullopt;
    if (fromGroups) {
      // Result index i is a group of source dims.
      for (int64_t d : group)
        out.push_back(nonUnit.empty() || d != nonUnit[0] ? zero : indices[i]);
    } else {
      // Result dims of the group collapse into source index i.
      out.push_back(nonUnit.empty() ? zero : indices[nonUnit[0]]);
    }
  }
  return out;
}

static ElementNode getTensorNode(const ElementRef &ref) {
  ElementNode node;
  Value value = ref.value;
  MLIRContext *context = value.getContext();
  if (std::optional<double> constant = getFloatConstant(value)) {
    node.kind = ElementNode::Constant;
    node.constant = *constant;
    return node;
  }
  Operation *def = value.getDefiningOp();
  if (!def)
    return node;
  unsigned rows = ref.access.getNumDims() - 1;

  if (auto generic = dyn_cast<linalg::GenericOp>(def)) {
    if (generic.getNumDpsInits() != 1 || generic.getNumResults() != 1)
      return node;
    AffineMap outMap = generic.getIndexingMapsArray().back();
    unsigned loops = generic.getNumLoops();
    Block &body = *generic.getBody();
    if (generic.getNumReductionLoops() == 0) {
      if (!outMap.isIdentity())
        return node;
      return getNode({body.getTerminator()->getOperand(0), generic,
                      ref.access});
    }
    // A row sum: loops (rows..., channel), the last a reduction, written to
    // (rows..., 0) or (rows...).
    auto iterators = generic.getIteratorTypesArray();
    bool rowSum = loops == rows + 1 &&
                  iterators.back() == utils::IteratorType::reduction &&
                  generic.getNumReductionLoops() == 1 &&
                  isZero(generic.getDpsInits()[0]) &&
                  readsRowsInOrder(ref.access, rows);
    for (unsigned d = 0; rowSum && d < rows; ++d)
      rowSum = outMap.getNumResults() > d &&
               outMap.getResult(d) == getAffineDimExpr(d, context);
    Value summand = rowSum ? getSummand(body) : Value();
    if (!summand)
      return node;
    node.kind = ElementNode::Sum;
    node.operands.push_back(
        {summand, generic, AffineMap::getMultiDimIdentityMap(loops, context)});
    return node;
  }

  if (auto reduce = dyn_cast<linalg::ReduceOp>(def)) {
    if (reduce.getNumDpsInputs() != 1 ||
        reduce.getDimensions() != ArrayRef<int64_t>{rows} ||
        ref.access.getNumResults() != rows ||
        !readsRowsInOrder(ref.access, rows) || !isZero(reduce.getInits()[0]))
      return node;
    Value summand = getSummand(reduce.getCombiner().front());
    if (summand != reduce.getCombiner().front().getArgument(0))
      return node;
    Value input = reduce.getInputs()[0];
    if (cast<RankedTensorType>(input.getType()).getRank() != rows + 1)
      return node;
    node.kind = ElementNode::Sum;
    node.operands.push_back(getRootRef(input));
    return node;
  }

  auto reshapeSource = [&](Value source, auto reassociation,
                           ArrayRef<int64_t> groupShape,
                           bool fromGroups) -> ElementNode {
    std::optional<SmallVector<AffineExpr>> indices = reshapeIndices(
        reassociation, groupShape, ref.access.getResults(), fromGroups,
        context);
    if (!indices)
      return ElementNode();
    return getNode({source, nullptr,
                    AffineMap::get(ref.access.getNumDims(), 0, *indices,
                                   context)});
  };
  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(def))
    return reshapeSource(expand.getSrc(), expand.getReassociationIndices(),
                         expand.getResultType().getShape(),
                         /*fromGroups=*/false);
  if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(def))
    return reshapeSource(collapse.getSrc(),
                         collapse.getReassociationIndices(),
                         collapse.getSrcType().getShape(),
                         /*fromGroups=*/true);

  // Elementwise arith/math on whole tensors of the same shape.
  if (OpTrait::hasElementwiseMappableTraits(def) &&
      llvm::all_of(def->getOperandTypes(),
                   [&](Type t) { return t == value.getType(); }))
    return classify(def, ref);
  return node;
}

ElementNode mlir::dyt::getNode(const ElementRef &unresolved) {
  ElementRef ref = resolve(unresolved);
  if (ref.isTensor())
    return getTensorNode(ref);
  ElementNode node;
  if (std::optional<double> constant = getFloatConstant(ref.value)) {
    node.kind = ElementNode::Constant;
    node.constant = *constant;
    return node;
  }
  Operation *def = ref.value.getDefiningOp();
  if (!def)
    return node;
  return classify(def, ref);
}

ElementRef mlir::dyt::stripCasts(const ElementRef &ref, bool widensOnly) {
  ElementRef current = resolve(ref);
  while (true) {
    ElementNode node = getNode(current);
    if (node.kind != ElementNode::Cast || (widensOnly && !node.widens))
      return current;
    current = resolve(node.operands[0]);
  }
}
