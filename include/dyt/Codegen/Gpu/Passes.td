//===- Passes.td - NVIDIA GPU code generation passes -------*- tablegen -*-===//
//
// The passes of dyt-nvvm-pipeline that turn dyt/linalg ops into gpu.launch
// kernels and keep the host code off device memory. Every kernel they emit
// assumes its buffers start 16-byte aligned, as cuMemAlloc and gpu.alloc
// give them (256 bytes): a vector access's alignment is proven from the
// sizes, never assumed of an offset.
//
//===----------------------------------------------------------------------===//

#ifndef DYT_CODEGEN_GPU_PASSES_TD
#define DYT_CODEGEN_GPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def DytGpuOutlineNormsPass : Pass<"dyt-gpu-outline-norms", "::mlir::ModuleOp"> {
  let summary = "Norms on tensors to calls that dyt-gpu-norm-kernels turns "
                "into kernels after bufferization";
  let description = [{
    Replaces each `dyt.layer_norm` and `dyt.rms_norm` by read-only
    `bufferization.to_buffer` views of its operands, a fresh result buffer,
    a `func.call` of a private declaration marked `dyt.gpu_norm_kernel`
    (its kind; the call carries `dyt.epsilon`) and a
    `bufferization.to_tensor` of the result, so that one-shot bufferization
    and ownership-based deallocation carry on around it. The kernel itself
    is formed afterwards by `dyt-gpu-norm-kernels`: deallocation rewrites
    memref block arguments inside `gpu.launch` bodies, and a norm's kernel
    has them (its shared memory). A norm is a reduction and cannot be built
    from elementwise kernels; written as linalg it would read each row three
    times.
  }];
  let dependentDialects = [
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def DytGpuNormKernelsPass : Pass<"dyt-gpu-norm-kernels", "::mlir::ModuleOp"> {
  let summary = "The calls of dyt-gpu-outline-norms to row-wise GPU kernels";
  let description = [{
    Replaces each call of a `dyt.gpu_norm_kernel` declaration (on buffers,
    after bufferization) by the norm's `gpu.launch` and erases the
    declaration once unused. A call that does not have the form
    `dyt-gpu-outline-norms` gives is an error at its location.

    The kernel works on rows (all leading dims collapsed): a row of `C`
    elements is read in vectors of up to 128 bits (when `C` is a multiple
    of the vector width; dynamic `C` is checked on the host and falls back
    to scalar accesses) by whole warps, `256 / threads-per-row` rows per
    256-thread block, rows strided over the grid with 64-bit indices.
    Partial sums are reduced with butterfly warp shuffles (`shfl.sync`) and
    across the warps of a row through shared memory. The row is kept in
    dynamic shared memory on its first read from global memory when the
    block's rows fit in `max-row-cache-bytes`; later passes (the variance,
    the normalisation) read it from there. Statistics are f32 whatever the
    element type; 16-bit values are widened on load and rounded once.
  }];
  let options = [
    Option<"maxRowCacheBytes", "max-row-cache-bytes", "int64_t",
           /*default=*/"98304",
           "Most dynamic shared memory a block may use to keep its rows "
           "(beyond 48 KiB the runtime raises the kernel's limit)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def DytGpuMapLinalgPass
    : InterfacePass<"dyt-gpu-map-linalg", "::mlir::FunctionOpInterface"> {
  let summary = "Elementwise linalg ops and contractions on memrefs to GPU "
                "kernels";
  let description = [{
    Runs after bufferization, on host functions whose buffers live in device
    memory. Each linalg op it recognises becomes one `gpu.launch`:

    * An all-parallel op (elementwise generics such as lowered DyT, fills,
      copies, broadcasts, transposes) whose outputs use identity maps: the
      last loop runs along rows in vectors of up to 128 bits (when its size
      is a multiple of the width; a dynamic size is checked on the host),
      the leading loops are rows strided over the grid's y dim with 64-bit
      indices. Operands that do not depend on the row (DyT's gamma and
      beta) are loaded once per thread, outside the row loop; operands
      indexed by the row alone are loaded once per row. Blocks have 256
      threads: whole warps along a row, several rows per block when rows
      are short.
    * A contraction (`linalg.matmul`, `linalg.batch_matmul`, their
      transposed forms, contraction generics, and generics whose body is
      `out + a * b` with `a` computed from inputs that do not depend on n
      and `b` from inputs that do not depend on m: DyT before a matmul,
      which elementwise fusion puts into the contraction, is computed as
      the slice of A is staged) is tiled through shared
      memory: `tile-m` x `tile-n` output tiles per 256-thread block, `tile-k`
      deep slices of both operands staged in shared memory, a
      (tile-m / 16) x (tile-n / 16) register tile per thread, f32 FMAs.
      With `tensor-cores`, a contraction whose operands are both f16 or
      both bf16 runs on tensor cores instead: 64 x 64 output tiles per block
      of 4 warps, each warp 2 x 4 `mma.sync` m16n8k16 products per 16 of k
      with f32 accumulators, their operands read from shared memory by
      `ldmatrix`, 32-deep slices staged in shared memory in the operands'
      type along each input's contiguous dim (B as [k][n] for x @ W, read
      with `.trans`, or [n][k] for x @ W^T; rows padded against bank
      conflicts) and double buffered: the next slices' 16-byte vectors are
      copied by `cp.async` while this slice is multiplied. f32 operands
      always take the FMA kernel: tensor cores would round them to tf32. A
      fill of the result before the contraction starts the accumulators. When the
      result buffer is fresh and filled, read only by one elementwise op
      with an identity map (matmul -> bias -> residual -> DyT after
      elementwise fusion) that writes a buffer the contraction does not
      read, or overwrites the product in place, and nothing in between
      writes memory, that op is applied to the register tile before the
      single store: matmul + DyT is one kernel and the unnormalised product
      never reaches memory.

    * An op without any parallel loop (a 0-d op, a reduction to a scalar)
      runs on one GPU thread: upstream's parallel-loop mapping has nothing
      to map there, and the host must not touch device memory.
    * A `memref.copy` between strided views becomes a `linalg.copy` and so
      an elementwise kernel.

    Before an elementwise kernel is formed, trailing loops that every
    operand treats as one contiguous dim (or does not index) are merged, so
    that rows are long (NCHW DyT: H * W). Anything else (reductions with
    parallel loops, e.g. softmax's) is left for upstream's parallel-loop
    mapping.
  }];
  let options = [
    Option<"tileM", "tile-m", "int64_t", /*default=*/"64",
           "Rows of a contraction's output tile per block (multiple of 16)">,
    Option<"tileN", "tile-n", "int64_t", /*default=*/"64",
           "Columns of a contraction's output tile per block (multiple of "
           "16)">,
    Option<"tileK", "tile-k", "int64_t", /*default=*/"16",
           "Depth of the operand slices staged in shared memory">,
    Option<"tensorCores", "tensor-cores", "bool", /*default=*/"false",
           "Contractions of f16 or bf16 operands on tensor cores (mma.sync "
           "m16n8k16, sm_80 and later); off, they take the FMA kernel">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::nvgpu::NVGPUDialect",
    "::mlir::NVVM::NVVMDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def DytGpuDeviceMemoryPass
    : InterfacePass<"dyt-gpu-device-memory", "::mlir::FunctionOpInterface"> {
  let summary = "Host buffers to device buffers; reject host access to "
                "device memory";
  let description = [{
    In a host function whose kernels have been formed (every buffer the
    function sees is device memory: its arguments come from the caller's
    device allocations):

    * `memref.alloc` / `memref.dealloc` become `gpu.alloc` / `gpu.dealloc`,
      `memref.copy` becomes `gpu.memcpy`;
    * a constant (`memref.get_global` of a `constant` global) that only
      kernels use moves into them: `gpu-kernel-outlining` then copies the
      global into the kernel module, so its data is part of the PTX/cubin
      and reaches the device once, when the module is loaded. That needs
      the global to be at least 16-byte aligned (the kernels' 128-bit
      accesses; one-shot-bufferize gives its constants 64) and at most
      `max-embedded-constant-bytes` (PTX holds the data as text, about 4
      characters a byte, which the driver parses at load);
    * any other constant a kernel uses (larger, less aligned, or also read
      on the host) is copied to a device buffer first, on every call;
    * a scalar `memref.load` on the host whose value only kernels use (an
      alpha read "once, outside the loop") is moved into those kernels.

    Any other access to a buffer on the host (a load, a store, a linalg or
    vector op outside a kernel) is an error at its location: it would read
    device memory from the CPU.
  }];
  let options = [
    Option<"maxEmbeddedConstantBytes", "max-embedded-constant-bytes",
           "int64_t", /*default=*/"4194304",
           "The largest constant that moves into the kernels (bytes); "
           "larger ones are copied to the device on every call">,
  ];
  let dependentDialects = [
    "::mlir::gpu::GPUDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def DytGpuAlignWorkgroupBuffersPass
    : Pass<"dyt-gpu-align-workgroup-buffers", "::mlir::gpu::GPUModuleOp"> {
  let summary = "Aligns every static shared-memory buffer of a kernel";
  let description = [{
    Sets `llvm.align` on each workgroup attribution of the module's
    `gpu.func`s that has none (or a smaller one) to `alignment` bytes. The
    lowering gives a shared buffer its element's alignment otherwise: a bf16
    tile would be 2-byte aligned, and the tensor-core kernel's 32-bit loads
    of bf16 pairs (and any 128-bit access) would be misaligned, which PTX
    leaves undefined. Runs after gpu-kernel-outlining, before the NVVM
    lowering.
  }];
  let options = [
    Option<"alignment", "alignment", "int64_t", /*default=*/"16",
           "Bytes (a power of two): the widest access a kernel makes">,
  ];
}

def DytGpuVerifyNvvmTargetsPass
    : Pass<"dyt-gpu-verify-nvvm-targets", "::mlir::gpu::GPUModuleOp"> {
  let summary = "Reports #nvvm.target chips and features that LLVM's NVPTX "
                "backend would stop on or ignore";
  let description = [{
    Checks each `#nvvm.target` of the module against LLVM's NVPTX backend
    before `gpu-module-to-binary` hands the module to it:

    - `chip` must be one of the backend's processors (`sm_90`, `sm_90a`,
      `sm_100f`, ...): for any other name the backend only warns and
      compiles for a default processor;
    - each comma-separated feature must be `+ptxNN` or `-ptxNN` of a PTX
      version the backend has, written as it splits them (no spaces): it
      ignores unknown ones with a warning, and an `sm_` feature would
      silently raise the PTX version the target needs;
    - the PTX ISA version that results (the backend applies the features
      in order, so a later `-ptxNN` turns an earlier `+ptxNN` off, and takes
      the highest left on; with none, the chip's first) must be at least the
      chip's first one (7.8 for sm_90, 8.0 for sm_90a, 6.3 for sm_75): an
      older one makes the backend stop the whole process with "PTX version
      ... does not support target";
    - the chip and the PTX version must be at least `min-sm` and `min-ptx`
      (0: no requirement), what the module's kernels use beyond the chip's
      basics: otherwise LLVM stops with "Cannot select" on the first
      instruction it cannot emit. `dyt-nvvm-pipeline` asks for PTX 6.0 and
      sm_30 (`shfl.sync` in the norm and reduction kernels), sm_75 with
      `fast-tanh` (`tanh.approx.f32`).

    Each problem is an error at the `gpu.module`, and the pass fails.
    `dyt-nvvm-pipeline` runs it after attaching its target; a stack that
    attaches its own targets can run it before serialising.

    Example: `gpu.module @k [#nvvm.target<chip = "sm_90", features =
    "+ptx70">]` gets "PTX ISA 7.0 (+ptx70) does not have sm_90, which needs
    PTX ISA 7.8 (+ptx78) or later".
  }];
  let options = [
    Option<"minPtx", "min-ptx", "unsigned", /*default=*/"0",
           "The oldest PTX ISA version the kernels may be built for (60 "
           "for 6.0)">,
    Option<"minSm", "min-sm", "unsigned", /*default=*/"0",
           "The oldest chip the kernels may be built for (75 for sm_75)">,
    Option<"why", "why", "std::string", /*default=*/"\"\"",
           "What needs min-ptx / min-sm, for the error message">,
  ];
}

def DytGpuFastTanhPass : Pass<"dyt-gpu-fast-tanh"> {
  let summary = "math.tanh in kernels to the hardware tanh.approx.f32";
  let description = [{
    Rewrites f32 `math.tanh` inside `gpu.launch` and `gpu.func` bodies into
    `llvm.intr.tanh` with the `afn` fast-math flag, which the NVPTX backend
    selects as the single `tanh.approx.f32` instruction (sm_75 and later;
    max relative error about 2^-11). Without this pass `math.tanh` becomes
    libdevice's `__nv_tanhf`, correctly rounded to a few ulp but about 20
    instructions. 16-bit tanh is computed in f32 by then.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // DYT_CODEGEN_GPU_PASSES_TD
