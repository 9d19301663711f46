#!/usr/bin/env python3
"""Reads dyt-compare --json output on stdin and checks that the dyt variant
has fewer row reductions and kernels than the norm variant (and no more
bytes), which is what replacing norms with DyT must give."""
import json
import sys

variants = {v["name"]: v for v in json.loads(sys.stdin.read().splitlines()[-1])["variants"]}
norm, dyt = variants["norm"], variants["dyt"]
ok = (dyt["reductions"] < norm["reductions"] and dyt["kernels"] < norm["kernels"]
      and dyt["bytes"] <= norm["bytes"])
print(("OK" if ok else "FAIL"),
      "kernels %d -> %d, reductions %d -> %d, bytes %d -> %d" % (
          norm["kernels"], dyt["kernels"], norm["reductions"],
          dyt["reductions"], norm["bytes"], dyt["bytes"]))
sys.exit(0 if ok else 1)
