//===- Passes.td - CPU code generation passes --------------*- tablegen -*-===//

#ifndef DYT_CODEGEN_PASSES_TD
#define DYT_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def DytCpuTileAndFusePass
    : InterfacePass<"dyt-cpu-tile-and-fuse", "::mlir::FunctionOpInterface"> {
  let summary = "Tile and fuse linalg ops on tensors into loops sized for the "
                "host's vector registers";
  let description = [{
    The loop-nest half of `dyt-cpu-pipeline`, on tensors:

    0. A 16-bit input that an op reads through a broadcast (the gamma or
       beta of a bf16/f16 DyT or norm: the same channel vector for every row)
       and only widens to f32 is widened once, by a linalg.generic of its own
       before the op: two vector instructions per channel instead of per
       element and row on hosts without 16-bit float conversions.
    1. Every *root* (a linalg op whose result leaves its fusion group: it is
       returned, or consumed by a non-linalg op or by a contraction) whose
       loops are all parallel but the innermost is tiled row by row (tile
       size 1 on every loop but the innermost) in an `scf.forall`, and its
       producers (any non-contraction linalg op consumed only by such ops,
       through maps that use every outer loop, and fills) are fused into the
       loop; a producer read through a broadcast along the rows would be
       recomputed for every row, so it runs once, before the loop. A norm's reductions, row statistics and
       normalisation then run per row while the row is in cache, and rows are
       independent units of work for threads.
       Contractions (matmul, batch_matmul, transposed forms, contraction
       generics) are tiled for the caches and registers instead: an
       `scf.forall` over blocks of `matmul-block-m` rows (1 on batch and
       outer dims), and inside it `scf.for` loops over register tiles of
       `matmul-tile-m` x (`matmul-vectors-n` native vectors), N outer and M
       inner, each over the whole K, with the fill of the result fused.
       With `pack-matmul-rhs`, the right-hand operand is first copied into
       panels one register tile wide (`P[N/n][K][n]`, zero-padded), so that
       every register tile reads contiguous memory; a constant operand is
       repacked at compile time.
    1b. With `align-row-heads`, an elementwise op that writes one whole row
       of an `scf.forall`'s result, of 4-byte or wider elements and a width
       that is not a multiple of a 64-byte line (771 f32), would straddle
       two lines with every vector store of a whole line, and could not
       stream. It is split along the row at the row's first line boundary,
       `(-rowStart) mod line` elements in (the row's start being its flat
       offset, so every dim but the outermost must be static): the head
       becomes one masked vector, the body is tiled as in step 2 with every
       whole tile aligned, and the rest, under two lines, is one masked
       vector too. With native vectors of a whole line (`vector-bits` 512)
       every such row is split; with narrower ones only a row whose op
       reads a reduction of the same iteration (a norm's output pass, bound
       by its stores), and only with `streaming-stores`: a DyT row, bound
       by its arithmetic, ran slower split on an AVX2 host.
    2. Inside those loops, every non-contraction linalg op is tiled along its
       innermost loop by `unroll` native vectors (1 on the others), and every
       contraction along its K dims by 1, in `scf.for` loops. Where the
       tile size may not divide the trip count (a dynamic width, or a static
       one like 4001), the last, partial tile is peeled into a loop of its
       own (`peel-partial-tiles`): the main loop's tiles then have static sizes and
       vectorize without masks, and only the remainder needs them. Without
       peeling every tile of the row has a size of `min(tile, n - i)` and
       every load and store is masked.

    Afterwards every linalg op has an iteration space with small constant
    upper bounds, which `dyt-cpu-vectorize` turns into (masked) vector ops.
    The native vector width is the host's (AVX-512: 512 bits, AVX/AVX2: 256,
    otherwise 128) unless `vector-bits` says otherwise; lanes are counted in
    f32, the type every dyt computation is carried out in.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", /*default=*/"0",
           "Width of the target's vector registers in bits (0: the host's)">,
    Option<"unroll", "unroll", "unsigned", /*default=*/"4",
           "Native vectors per elementwise/reduction tile">,
    Option<"matmulBlockM", "matmul-block-m", "unsigned", /*default=*/"256",
           "Rows of a contraction's result per scf.forall iteration">,
    Option<"packMatmulRhs", "pack-matmul-rhs", "bool", /*default=*/"true",
           "Repack a contraction's right-hand operand into register-tile-wide "
           "panels">,
    Option<"matmulTileM", "matmul-tile-m", "unsigned", /*default=*/"0",
           "Rows of a contraction's register tile (0: as many as the "
           "target's vector registers hold, at most 8)">,
    Option<"matmulVectorsN", "matmul-vectors-n", "unsigned", /*default=*/"2",
           "Native vectors along N in a contraction's register tile">,
    Option<"peelPartialTiles", "peel-partial-tiles", "bool", /*default=*/"true",
           "Peel the last, partial tile off each step-2 loop whose tile "
           "size may not divide its trip count">,
    Option<"alignRowHeads", "align-row-heads", "bool", /*default=*/"true",
           "Split each row an scf.forall writes, where its width is not a "
           "multiple of a cache line, at its first line boundary (step 1b)">,
    Option<"streamingStores", "streaming-stores", "bool", /*default=*/"true",
           "Whether the results will be written with streaming stores: "
           "with vectors narrower than a line, align-row-heads pays only "
           "through them. Set it as dyt-cpu-lower-vectors' "
           "nontemporal-result-stores is set (that one defaults to false; "
           "dyt-cpu-pipeline sets both from its streaming-stores)">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def DytCpuVectorizePass
    : InterfacePass<"dyt-cpu-vectorize", "::mlir::FunctionOpInterface"> {
  let summary = "Vectorize linalg ops whose loops have small constant bounds";
  let description = [{
    Turns every linalg op whose loop ranges have constant upper bounds (as
    `dyt-cpu-tile-and-fuse` leaves them) into vector ops of those sizes,
    masked where a range is smaller than its bound at run time (odd and
    dynamic sizes need no scalar remainder loop). Elementwise bodies become
    vector arithmetic, reductions `vector.multi_reduction`, contractions one
    `vector.contract`. An op whose vector would exceed `max-vector-elements`
    or that the vectorizer does not support is left for the scalar fallback.
  }];
  let options = [
    Option<"maxVectorElements", "max-vector-elements", "unsigned",
           /*default=*/"1024",
           "Largest vector (in elements) an op may be vectorized to">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def DytForwardPartialTransfersPass
    : InterfacePass<"dyt-forward-partial-transfers",
                    "::mlir::FunctionOpInterface"> {
  let summary = "Forward vectors through transfers of different sizes at "
                "one position of a tensor";
  let description = [{
    On tensors, where a `vector.transfer_read` reads at the same indices a
    `vector.transfer_write` wrote (fixed-length vectors of the tensor's rank,
    identity maps, no masks, all in bounds):
    - a read no larger than the written vector in every dim is the leading
      part of that vector: `vector.extract_strided_slice`;
    - a read at least as large in every dim is the tensor's value under
      the write with the written vector laid over its start:
      `vector.insert_strided_slice` into a read of the tensor the write
      wrote into (only where the read is the write's one use: a read of
      that tensor after a write into it that is still used elsewhere would
      make bufferization copy it).
    Upstream folds such pairs only when the two vector types are equal.

    And on an `scf.for` whose tensor iter_arg is an accumulator updated in
    its first lanes under a mask: initialised by a write of a vector V over
    the whole (static) tensor, used in the loop only through a zero-offset,
    unit-stride `tensor.extract_slice` that a masked read and a masked write
    of the same vector type and the same `vector.create_mask` (whose sizes
    are the slice's sizes) update, and the updated slice inserted back where
    it came from and yielded, V of at most 4096 bits: the loop carries V
    instead. The read becomes V's leading lanes with the padding in the
    masked-off lanes (`vector.extract_strided_slice`, `arith.select`), the
    write the updated lanes selected under the mask and laid over V
    (`vector.insert_strided_slice`), and the loop's tensor result V written
    after the loop into what the init was written into.

    Why: the peeled last tile of a row sum (`dyt-cpu-tile-and-fuse`) adds
    into the first lanes of the 64-lane accumulator. That is a write of the
    accumulator vector into a tensor, a smaller read and write of its first
    lanes, and a full read for the final reduction; over a dynamic width the
    last tile is a loop of zero or one step, with the masked read and write
    in it. Left as transfers, the tensor needs a buffer: an allocation and a
    round trip through memory for every row. Forwarded, all of it stays in
    registers.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def DytApproximateTanhPass : Pass<"dyt-approximate-tanh"> {
  let summary = "Replace math.tanh with a vectorizable rational approximation";
  let description = [{
    Rewrites `math.tanh` on f32 scalars and vectors into arithmetic: with
    `y = clamp(x, -9, 9)`,
    `tanh(x) ~= (y + y^3 P(y^2)) / (1 + y^2 Q(y^2))`, P of degree 5 and Q of
    degree 2 (Eigen's 13/6-degree rational function, divided through so that
    both leading terms are exactly 1, its coefficients then tuned by a few
    ulp against glibc's tanhf). Eleven fmas/multiplies, two compare+selects
    and one divide per vector; no special case for tiny inputs, which come
    back unchanged (subnormals and -0 included) because the leading terms
    are exact. NaN stays NaN (the clamp compares unordered), tanh(+-inf) and
    every |x| >= 9 give exactly +-1 with no overflow, and tanh(-x) =
    -tanh(x) bit for bit. The largest error against glibc's tanhf over every
    f32 input is stated in docs/overview.md and bounded by a unit test.
    Other element types are left alone.

    libm's tanhf is a scalar call; this is the difference between ~25x slower
    than memory bandwidth and running at it.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def DytContractFloatOpsPass : Pass<"dyt-contract-float-ops"> {
  let summary = "Let LLVM fuse floating-point multiplies and adds into FMAs";
  let description = [{
    Adds the `contract` fast-math flag to every `arith.mulf`, `arith.addf`
    and `arith.subf` in the operation, keeping the flags each already has.
    LLVM fuses a multiply and the add that uses it into one FMA only when
    both carry `contract`; without it, the lowered `gamma * t + beta` of DyT
    and a norm's `(x - mean) * rstd * gamma + beta` are separate multiplies
    and adds (one instruction more per vector, a rounding more per element),
    where a C compiler contracts by default (GCC's `-ffp-contract=fast`).

    An add whose result an `scf.for` yields (a reduction's accumulator, such
    as a norm's sum of squares) is left alone: fused, each step of the
    loop-carried chain would wait for an FMA instead of an add (4 cycles
    instead of 3 on Zen 3), while the multiplies run on other pipes anyway.
    An accumulator updated through an `scf.if` or in an `scf.while` is not
    recognised, and is contracted.

    A fused multiply-add rounds once instead of twice, so results can differ
    from the uncontracted program in the last bit, and arithmetic that relies
    on the separate rounding (an error-free `a * b - p` written without an
    fma) no longer computes what it says: such IR needs
    `dyt-cpu-pipeline{contract-float-ops=false}`. `dyt-run --check` compares
    within a tolerance. `dyt-cpu-pipeline` runs this pass before
    `dyt-approximate-tanh`, so the tanh's own arithmetic (whose error bound
    was measured with explicit `math.fma`s and plain multiplies) is not
    contracted any further.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def DytCpuPrefetchPass
    : InterfacePass<"dyt-cpu-prefetch", "::mlir::FunctionOpInterface"> {
  let summary = "Prefetch ahead of the vector loads that stream through memory";
  let description = [{
    After `dyt-cpu-lower-vectors`: puts a `memref.prefetch` (read, locality
    3, data) `distance` bytes ahead of each 1-D vector load (plain or masked)
    that streams through a buffer with identity layout, read directly or
    through `memref.subview` / `memref.cast` (the row and column slices of
    the tiling), one per cache line the load covers. A load streams when the
    innermost loop around it is an `scf.for` that moves the buffer's last
    index and every enclosing loop moves its address. Left alone: loads that
    an enclosing loop repeats (a per-channel gamma, read again for every
    row), loads from buffers with other layouts, buffers no larger than
    `distance`, loops with a contraction in them (vector.contract,
    vector.outerproduct, vector.fma: bound by their FMAs), and the second and
    later loops of one iteration that read the same row of at most 256 KiB
    (a norm's passes after the first find it in cache).

    The prefetched element is the load's own, `distance` bytes further on in
    the buffer's row-major order (so the end of a row fetches the start of
    the next), clamped to the buffer's last element (its start when it is
    empty), on a 1-D `memref.collapse_shape` of the buffer: no prefetch
    address leaves the buffer. `distance` must be in [0, 2^30]; 0 turns the
    pass off.

    Why: one core has a limited number of misses in flight, and a loop that
    computes between its loads (DyT's tanh) issues them later than a copy
    does; the hardware prefetchers follow the demand loads.
  }];
  let options = [
    Option<"distance", "distance", "int64_t", /*default=*/"4096",
           "How far ahead to prefetch, in bytes (0: no prefetches)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def DytCpuLowerVectorsPass
    : InterfacePass<"dyt-cpu-lower-vectors", "::mlir::FunctionOpInterface"> {
  let summary = "Lower vector ops of the CPU pipeline towards 1-D LLVM vectors";
  let description = [{
    After bufferization: drops unit dims so transfers become plain 1-D
    (masked) loads and stores, lowers masks, multi-reductions, contractions
    (to outer-product FMAs) and transfers.

    With `nontemporal-result-stores`, vector stores into the buffers the
    function returns are marked non-temporal: a kernel's output is written
    once and not read back by it, so streaming it past the caches saves the
    read-for-ownership of every line (a third of the memory traffic of an
    elementwise kernel). Stores into intermediate buffers, which the function
    reads again, are left alone, and so are stores that cannot be proven
    16-byte aligned although the allocation's alignment and the strides are
    known (rows of an odd static width such as 4001 f32): x86 streams only aligned
    vectors, and the 8-byte `movnti` stores LLVM makes of the others are
    slower than cached stores. Where only dynamic strides stand in the way
    (rows of a dynamic width in an aligned allocation), the op of the
    function body that holds the stores (the row loop nest) is versioned:
    `scf.if` every dynamic stride of the allocation is a multiple of a
    64-byte line, a copy whose stores stream with the alignment that then
    holds, else the original with cached stores. A buffer of unknown
    alignment (a function argument) streams without an alignment.
  }];
  let options = [
    Option<"nontemporalResultStores", "nontemporal-result-stores", "bool",
           /*default=*/"false",
           "Mark vector stores into returned buffers non-temporal">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def DytLLVMHalfMemoryAsIntegersPass
    : Pass<"dyt-llvm-half-memory-as-integers", "::mlir::LLVM::LLVMFuncOp"> {
  let summary = "Load, store and carry bf16/f16 values as i16 values of the "
                "same bits";
  let description = [{
    Rewrites every `llvm.load`, `llvm.store`, `llvm.intr.masked.load` and
    `llvm.intr.masked.store` of bf16 or f16 (scalars and vectors) into the
    same access on i16, with `llvm.bitcast`s on the value: memory holds the
    same bits either way, but LLVM's backends treat the two differently.

    - x86 has streaming-store patterns for integer, f32 and f64 vectors only:
      a `nontemporal` bf16/f16 vector store is silently emitted as an
      ordinary cached store (`vmovaps`), costing the read-for-ownership the
      flag was set to avoid.
    - Without AVX512-BF16, bf16 is a type LLVM promotes to f32: a masked
      bf16 vector store is legalised as a conversion of each element back
      from f32, one `__truncsfbf2` call per element (and a symbol the JIT
      of dyt-run cannot resolve).

    An i16 access has neither problem; the bitcasts cost nothing. Alignment
    and the `nontemporal` flag are kept.

    Two more places where LLVM would promote a bf16 through f32 (and call
    `__truncsfbf2`, a symbol an ahead-of-time object then needs) go to i16
    as well; the bitcast pairs this leaves between i16 values cancel:
    - block arguments (phis) outside the entry block, with a bitcast on
      every value a branch forwards to them: LLVM legalises a value that
      crosses blocks on its own (x @ W^T's packing of bf16 carries a vector
      around a loop);
    - `llvm.insertelement` / `llvm.extractelement` at a position that is
      not a constant, which LLVM moves through memory. At a constant
      position the lane stays bf16: LLVM keeps it in registers and fuses
      the widening that usually follows (i16 lanes there made bf16 matmuls
      6-9% slower).
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def DytDropConversionFastMathPass : Pass<"dyt-drop-conversion-fast-math"> {
  let summary = "Remove the fast-math flags of arith.extf and arith.truncf";
  let description = [{
    `arith-emulate-unsupported-floats` gives the `arith.extf` / `arith.truncf`
    it creates the fast-math flags of the op it widens, and MLIR 22's
    arith-to-llvm lowering then leaves them on `llvm.fpext` /
    `llvm.fptrunc` as a discardable `#arith.fastmath` attribute, which
    `mlir-translate` rejects (the LLVM dialect's casts have no fast-math
    flags). The CPU pipelines run this pass after the emulation; it matters
    where bf16 conversions stay native (no `dyt-expand-bf16-conversions`).
  }];
}

def DytExpandBf16ConversionsPass : Pass<"dyt-expand-bf16-conversions"> {
  let summary = "Convert between f32 and bf16 with integer operations on the bits";
  let description = [{
    Rewrites `arith.extf` from bf16 and `arith.truncf` to bf16 (scalars and
    vectors) into bitcasts, shifts and adds: a 16-bit shift to widen; round
    to nearest even, NaN kept NaN, to narrow (upstream's
    `populateExpandBFloat16Patterns`, without the rest of `arith-expand`,
    which would also rewrite the tanh's `maxnumf`/`minnumf` clamps). On
    1-D vectors the narrowing is one `vector.shuffle` that keeps the high
    16-bit half of each 32-bit lane, instead of a shift and a truncation
    per lane (x86 has no one-instruction 32 -> 16 bit truncation; a shuffle
    of two registers' halves is one instruction); the results are the
    same bits. Which half is high depends on the byte order: the
    `dlti.endianness` of the closest `dlti.dl_spec` says it, and where
    none does, the host's is taken (the CPU pipelines compile for the
    host).

    A target without a bf16 conversion instruction (x86 without AVX512-BF16
    or AVX-NE-CONVERT) gets one `__truncsfbf2` call per element from LLVM
    for an f32 -> bf16 `fptrunc`: sixteen calls per vector, and a libgcc
    symbol that the JIT of dyt-run cannot resolve. Expanded, the conversion
    is a few vector integer ops. The CPU pipelines run this pass when the
    host has no such instruction.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::vector::VectorDialect"];
}

def DytDecomposeAggregateOpsPass
    : InterfacePass<"dyt-decompose-aggregate-ops",
                    "::mlir::FunctionOpInterface"> {
  let summary = "Decompose aggregate linalg ops on tensors (linalg.softmax)";
  let description = [{
    `linalg.softmax` and the other ops implementing
    `AggregatedOpInterface` have no loop lowering of their own: bufferized
    as they are, they end as memref ops that nothing lowers further. This
    pass replaces each one on tensors (upstream's decompositions build
    tensor ops) with the linalg ops its `decomposeOperation` gives
    (for softmax: a max reduction, `exp(x - max)`, a sum reduction and a
    division), which the CPU pipelines tile, vectorize and lower like any
    other generic.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def DytExpandMathPass : Pass<"dyt-expand-math"> {
  let summary = "Expand f32/f16/bf16 erf and erfc, and vector fpowi, into arithmetic";
  let description = [{
    `convert-to-llvm` lowers `math` ops with an LLVM intrinsic (exp, log,
    sqrt, tanh through libm...) and leaves the others in place, which then
    fail translation to LLVM IR. GELU as PyTorch's `nn.GELU()` computes it
    needs `math.erf`. This pass rewrites `math.erf` and `math.erfc` on f32
    scalars and vectors with upstream's polynomial approximations (which
    keep vector code vectorized), and computes f16/bf16 ones in f32. An f64
    one is left (dyt-check-lowered-to-llvm then reports it).
    `math.fpowi` (torch-mlir squares with it) lowers to `llvm.intr.powi`,
    whose exponent must be a scalar: once vectorized it is a vector, so it
    is expanded with upstream's `math-expand-ops` pattern (multiplications
    for a constant exponent).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def DytCheckLoweredToLLVMPass
    : Pass<"dyt-check-lowered-to-llvm", "::mlir::ModuleOp"> {
  let summary = "Fail on any op the lowering to LLVM left behind";
  let description = [{
    The lowering to the LLVM dialect is a partial conversion: an op no
    pattern knows (a `math` op without an LLVM intrinsic, an op of a dialect
    the pipeline does not lower, an `unrealized_conversion_cast` that could
    not be reconciled) stays where it is, and the failure would surface only
    when the module is translated to LLVM IR, far from the op. The CPU and
    NVVM pipelines end with this pass, which reports each such op at its
    location and fails: everything left must be `llvm`, `omp`,
    `builtin.module`, or a `gpu.binary` and the `gpu.launch_func` ops that
    launch its kernels (translated to runtime calls as they are).
  }];
}

#endif // DYT_CODEGEN_PASSES_TD
