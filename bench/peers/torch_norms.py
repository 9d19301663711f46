#!/usr/bin/env python3
"""PyTorch peer for bench/cpu_norms.py, run with the Python that has torch:
  torch_norms.py OP ROWS COLS DTYPE ITERATIONS
Times PyTorch eager and torch.compile (Inductor) on one thread and prints
one JSON line {"eager_s": median, "compiled_s": median}."""
import json
import sys
import time

import torch
import torch.nn.functional as F


def main():
    op, rows, cols, dtype, iterations = sys.argv[1:6]
    rows, cols, iterations = int(rows), int(cols), int(iterations)
    torch.set_num_threads(1)
    dt = {"f32": torch.float32, "bf16": torch.bfloat16}[dtype]
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(rows, cols, generator=gen).to(dt)
    g = torch.randn(cols, generator=gen).to(dt)
    b = torch.randn(cols, generator=gen).to(dt)
    alpha = torch.tensor(0.5, dtype=dt)

    if op == "dyt":
        def fn(x):
            return g * torch.tanh(alpha * x) + b
    elif op == "layer_norm":
        def fn(x):
            return F.layer_norm(x, (cols,), g, b, 1e-5)
    else:
        def fn(x):
            return F.rms_norm(x, (cols,), g, 1e-6)

    def median(f):
        f(x)  # warm-up (and, for torch.compile, compilation)
        times = []
        for _ in range(iterations):
            start = time.perf_counter()
            f(x)
            times.append(time.perf_counter() - start)
        times.sort()
        return times[len(times) // 2]

    with torch.no_grad():
        eager = median(fn)
        compiled = median(torch.compile(fn))
    print(json.dumps({"eager_s": eager, "compiled_s": compiled}))


if __name__ == "__main__":
    main()
