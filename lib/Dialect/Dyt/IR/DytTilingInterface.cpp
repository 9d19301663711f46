//===- DytTilingInterface.cpp - TilingInterface of dyt.dyt -----------------===//
//
// dyt.dyt is elementwise along every dim of its input, with gamma and beta
// indexed by the channel dim alone and alpha a scalar: a tile of the result
// needs the same tile of the input and the channel range of the tile from
// gamma and beta. Nothing is recomputed when a consumer's tile is fused.
//
//===----------------------------------------------------------------------===//

#include "dyt/Dialect/Dyt/IR/DytOps.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::dyt;

SmallVector<utils::IteratorType> DytOp::getLoopIteratorTypes() {
  int64_t rank = cast<RankedTensorType>(getInput().getType()).getRank();
  return SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel);
}

SmallVector<Range> DytOp::getIterationDomain(OpBuilder &b) {
  Location loc = getLoc();
  auto type = cast<RankedTensorType>(getInput().getType());
  SmallVector<Range> domain;
  for (int64_t dim = 0; dim < type.getRank(); ++dim) {
    OpFoldResult size =
        type.isDynamicDim(dim)
            ? OpFoldResult(tensor::DimOp::create(b, loc, getInput(), dim)
                               .getResult())
            : OpFoldResult(b.getIndexAttr(type.getDimSize(dim)));
    domain.push_back({b.getIndexAttr(0), size, b.getIndexAttr(1)});
  }
  return domain;
}

FailureOr<TilingResult>
DytOp::getTiledImplementation(OpBuilder &b, ArrayRef<OpFoldResult> offsets,
                              ArrayRef<OpFoldResult> sizes) {
  Location loc = getLoc();
  int64_t rank = offsets.size();
  SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
  auto input = tensor::ExtractSliceOp::create(b, loc, getInput(), offsets,
                                              sizes, strides);
  int64_t channel = getChannelDim();
  auto channelSlice = [&](Value param) {
    return tensor::ExtractSliceOp::create(
        b, loc, param, ArrayRef<OpFoldResult>{offsets[channel]},
        ArrayRef<OpFoldResult>{sizes[channel]},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
  };
  tensor::ExtractSliceOp gamma = channelSlice(getGamma());
  tensor::ExtractSliceOp beta = channelSlice(getBeta());
  // The tile keeps the channel dim where it was; axis is rewritten in its
  // non-negative form so it means the same dim of the tile.
  auto tiled = DytOp::create(b, loc, input.getResult(), getAlpha(),
                             gamma.getResult(), beta.getResult(), channel);
  return TilingResult{{tiled},
                      {tiled.getResult()},
                      {input, gamma, beta}};
}

LogicalResult DytOp::getResultTilePosition(
    OpBuilder &, unsigned, ArrayRef<OpFoldResult> offsets,
    ArrayRef<OpFoldResult> sizes, SmallVector<OpFoldResult> &resultOffsets,
    SmallVector<OpFoldResult> &resultSizes) {
  resultOffsets.assign(offsets.begin(), offsets.end());
  resultSizes.assign(sizes.begin(), sizes.end());
  return success();
}

FailureOr<TilingResult>
DytOp::generateResultTileValue(OpBuilder &b, unsigned,
                               ArrayRef<OpFoldResult> offsets,
                               ArrayRef<OpFoldResult> sizes) {
  return getTiledImplementation(b, offsets, sizes);
}
