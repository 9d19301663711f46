// dyt-run on bad input: a message that names what is wrong, exit 1, and no
// output file left behind.
// REQUIRES: numpy
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.ones((2, 8), np.float32)); np.save('%t/g.npy', np.ones(8, np.float32)); np.save('%t/wrongshape.npy', np.ones((2, 9), np.float32)); np.save('%t/int.npy', np.ones((2, 8), np.int64)); np.save('%t/fortran.npy', np.asfortranarray(np.ones((2, 8), np.float32)))"
// RUN: head -c 140 %t/x.npy > %t/truncated.npy
// RUN: not dyt-run %s -e norm --input %t/x.npy 2>&1 | FileCheck %s --check-prefix=COUNT
// RUN: not dyt-run %s -e norm --input %t/wrongshape.npy --input %t/g.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// RUN: not dyt-run %s -e norm --input %t/int.npy --input %t/g.npy 2>&1 | FileCheck %s --check-prefix=DTYPE
// RUN: not dyt-run %s -e norm --input %t/truncated.npy --input %t/g.npy 2>&1 | FileCheck %s --check-prefix=TRUNC
// RUN: not dyt-run %s -e norm --input %t/fortran.npy --input %t/g.npy 2>&1 | FileCheck %s --check-prefix=FORTRAN
// RUN: not dyt-run %s -e norm --input %t/missing.npy --input %t/g.npy 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not dyt-run %s -e nope --random 2>&1 | FileCheck %s --check-prefix=NOFUNC
// RUN: not dyt-run %s -e dynamic --random 2>&1 | FileCheck %s --check-prefix=RANDOM
// RUN: not dyt-run %s -e dynnorm --random --random-dims=3,37 2>&1 | FileCheck %s --check-prefix=DIMSFEW
// RUN: not dyt-run %s -e dynnorm --random --random-dims=3,37,37,5 2>&1 | FileCheck %s --check-prefix=DIMSMANY
// RUN: not dyt-run %s -e dynnorm --random --random-dims=3,-37,37 2>&1 | FileCheck %s --check-prefix=DIMSNEG
// RUN: not dyt-run %s -e dynnorm --random-dims=3,37,37 2>&1 | FileCheck %s --check-prefix=DIMSALONE
// RUN: dyt-run %s -e dynnorm --random --random-dims=3,37,37 --check --output %t/dyn.npy | FileCheck %s --check-prefix=DIMSGOOD
// RUN: %python -c "import numpy as np; y = np.load('%t/dyn.npy'); print('loaded', y.shape)" | FileCheck %s --check-prefix=DIMSLOAD
// RUN: not dyt-run %s -e norm --random --output %t/a.npy --output %t/b.npy 2>&1 | FileCheck %s --check-prefix=OUTS
// RUN: not dyt-run %s -e norm --input %t/wrongshape.npy --input %t/g.npy --output %t/out.npy
// RUN: not test -e %t/out.npy
// RUN: not dyt-run %s -e norm --random --output %t/no-such-dir/out.npy 2>&1 | FileCheck %s --check-prefix=WRITE
// RUN: not test -e %t/no-such-dir/out.npy.tmp-dyt-run
// All outputs or none: the first output is not left behind when the second
// cannot be written.
// RUN: not dyt-run %s -e two --random --output %t/first.npy --output %t/no-such-dir/second.npy
// RUN: not test -e %t/first.npy
// RUN: not test -e %t/first.npy.partial
// A gamma whose size differs from a dynamic channel dim stops the run with
// the run-time check's message (not an out-of-bounds read).
// RUN: %python -c "import numpy as np; np.save('%t/g3.npy', np.ones(3, np.float32))"
// RUN: not --crash dyt-run %s -e dynnorm --input %t/x.npy --input %t/g3.npy 2>&1 | FileCheck %s --check-prefix=ASSERT
// ASSERT: dyt.rms_norm: gamma size differs from the input's last dim
// Malformed .npy files: a huge header length, no magic, an empty file, a
// big-endian or complex dtype, an unknown format version, a malformed shape.
// RUN: %python -c "import struct; open('%t/hugeheader.npy', 'wb').write(b'\x93NUMPY\x02\x00' + struct.pack('<I', 0x7fffffff) + b'{')"
// RUN: not dyt-run %s -e norm --input %t/hugeheader.npy --input %t/g.npy --output %t/out2.npy 2>&1 | FileCheck %s --check-prefix=HUGEHEADER
// RUN: not test -e %t/out2.npy
// RUN: echo "not an npy file" > %t/text.npy
// RUN: not dyt-run %s -e norm --input %t/text.npy --input %t/g.npy 2>&1 | FileCheck %s --check-prefix=MAGIC
// RUN: rm -f %t/empty.npy && touch %t/empty.npy
// RUN: not dyt-run %s -e norm --input %t/empty.npy --input %t/g.npy 2>&1 | FileCheck %s --check-prefix=MAGIC
// RUN: %python -c "import numpy as np; np.save('%t/big-endian.npy', np.ones((2, 8), '>f4')); np.save('%t/complex.npy', np.ones((2, 8), np.complex64))"
// RUN: not dyt-run %s -e norm --input %t/big-endian.npy --input %t/g.npy 2>&1 | FileCheck %s --check-prefix=BIGENDIAN
// RUN: not dyt-run %s -e norm --input %t/complex.npy --input %t/g.npy 2>&1 | FileCheck %s --check-prefix=COMPLEX
// RUN: %python -c "d = open('%t/x.npy', 'rb').read(); open('%t/version9.npy', 'wb').write(d[:6] + b'\x09' + d[7:]); open('%t/badshape.npy', 'wb').write(d.replace(b'(2, 8)', b'(2,-8)'))"
// RUN: not dyt-run %s -e norm --input %t/version9.npy --input %t/g.npy 2>&1 | FileCheck %s --check-prefix=VERSION
// RUN: not dyt-run %s -e norm --input %t/badshape.npy --input %t/g.npy 2>&1 | FileCheck %s --check-prefix=BADSHAPE
// Resource limits: what does not fit in memory fails before it is allocated
// (DYT_MEMORY_LIMIT stands in for a small machine), not in the OOM killer.
// RUN: not dyt-run %s -e huge --random --output %t/huge.npy 2>&1 | FileCheck %s --check-prefix=HUGE
// RUN: not test -e %t/huge.npy
// RUN: env DYT_MEMORY_LIMIT=40 not dyt-run %s -e norm --input %t/x.npy --input %t/g.npy 2>&1 | FileCheck %s --check-prefix=LIMIT
// RUN: env DYT_MEMORY_LIMIT=100 not dyt-run %s -e norm --input %t/x.npy --input %t/g.npy --check 2>&1 | FileCheck %s --check-prefix=LIMITRESULTS
// Good input works, and the check passes.
// RUN: dyt-run %s -e norm --input %t/x.npy --input %t/g.npy --output %t/out.npy --check | FileCheck %s --check-prefix=GOOD
// RUN: %python -c "import numpy as np; y = np.load('%t/out.npy'); assert y.shape == (2, 8) and y.dtype == np.float32, y; print('loaded', y.shape)" | FileCheck %s --check-prefix=LOAD

// COUNT: dyt-run: error: @norm takes 2 arguments, got 1 --input files
// SHAPE: dyt-run: error: argument #0 (tensor<2x8xf32>): dim 1 must be 8, got 9
// DTYPE: dyt-run: error: argument #0 ('{{.*}}int.npy'): tensor<2x8xf32> needs floating-point data, got int64
// TRUNC: dyt-run: error: argument #0 ('{{.*}}truncated.npy'): '{{.*}}' is not a usable .npy file: truncated data: shape (2, 8) of float32 needs 64 bytes, the file has 12
// FORTRAN: Fortran-order arrays are not supported
// MISSING: cannot open '{{.*}}missing.npy'
// NOFUNC: dyt-run: error: no function @nope with a body in the module
// RANDOM: dyt-run: error: --random needs static shapes: argument #0 is tensor<?x8xf32> (pass --random-dims or --input files){{$}}
// DIMSFEW: dyt-run: error: --random-dims gives 2 sizes, but the arguments of @dynnorm have 3 dynamic dims{{$}}
// DIMSMANY: dyt-run: error: --random-dims gives 4 sizes, but the arguments of @dynnorm have 3 dynamic dims{{$}}
// DIMSNEG: dyt-run: error: --random dynamic dim of argument #0 (tensor<?x?xf32>) given the negative size -37{{$}}
// DIMSALONE: dyt-run: error: --random-dims needs --random
// DIMSGOOD: check: result #0: 111 elements
// DIMSLOAD: loaded (3, 37)
// OUTS: dyt-run: error: @norm returns 1 results, got 2 --output files
// WRITE: dyt-run: error: result #0: cannot create
// HUGEHEADER: argument #0 ('{{.*}}hugeheader.npy'): '{{.*}}' is not a usable .npy file: header of 2147483647 bytes (more than 65536)
// MAGIC: is not a usable .npy file: missing the \x93NUMPY magic
// BIGENDIAN: is not a usable .npy file: unsupported dtype '>f4'
// COMPLEX: is not a usable .npy file: unsupported dtype '<c8'
// VERSION: is not a usable .npy file: unsupported format version 9
// BADSHAPE: is not a usable .npy file: malformed dimension '-8' in shape (2,-8)
// HUGE: dyt-run: error: @huge (random arguments and results) needs 7.3 TiB of memory, only {{.*}} available
// LIMIT: dyt-run: error: argument #0 ('{{.*}}x.npy'): '{{.*}}' is not a usable .npy file: shape (2, 8) of float32 needs 64 bytes of memory, only 40 bytes available
// LIMITRESULTS: dyt-run: error: @norm (arguments and results) needs 224 bytes of memory, only 100 bytes available
// GOOD: check: result #0: 16 elements
// LOAD: loaded (2, 8)

func.func @norm(%x: tensor<2x8xf32>, %g: tensor<8xf32>) -> tensor<2x8xf32> {
  %y = dyt.rms_norm %x gamma(%g : tensor<8xf32>) : tensor<2x8xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}
func.func @dynnorm(%x: tensor<?x?xf32>, %g: tensor<?xf32>) -> tensor<?x?xf32> {
  %y = dyt.rms_norm %x gamma(%g : tensor<?xf32>) : tensor<?x?xf32> -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}
func.func @two(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  return %x, %x : tensor<2x8xf32>, tensor<2x8xf32>
}
func.func @dynamic(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  return %x : tensor<?x8xf32>
}
func.func @huge(%x: tensor<1000000x1000000xf32>) -> tensor<1000000x1000000xf32> {
  return %x : tensor<1000000x1000000xf32>
}
