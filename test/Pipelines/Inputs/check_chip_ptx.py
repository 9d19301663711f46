#!/usr/bin/env python3
"""Checks dyt-nvvm-pipeline's default PTX version for every chip that LLVM's
NVPTX backend (llc) knows against the version llc itself picks for that chip
when given none (its first one), or 6.0 where that is older (the kernels'
warp shuffles need PTX 6.0, and sm_30: older chips must be rejected with a
diagnostic).

  check_chip_ptx.py --llc LLC --dyt-opt DYT_OPT INPUT.mlir

INPUT.mlir is compiled with chip=<chip> (format=isa) for each processor of
`llc -mtriple=nvptx64 -mcpu=help`; the `.version` and `.target` lines of its
PTX must equal those llc prints for a trivial kernel. Prints one line per
chip, "<chip> <version>" (or "<chip> rejected"), and exits 1 on the first mismatch or failure, so a
new LLVM with new chips or versions fails here first.
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from extract_ptx import unescape  # noqa: E402

TRIVIAL_LL = """target triple = "nvptx64-nvidia-cuda"
define void @k(ptr addrspace(1) %p) {
  store float 1.0, ptr addrspace(1) %p
  ret void
}
"""


def header(ptx):
    version = re.search(r"^\.version (\S+)$", ptx, re.M)
    target = re.search(r"^\.target (\S+)$", ptx, re.M)
    return (version.group(1) if version else None,
            target.group(1) if target else None)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--llc", required=True)
    parser.add_argument("--dyt-opt", required=True)
    parser.add_argument("input")
    args = parser.parse_args()
    listing = subprocess.run([args.llc, "-mtriple=nvptx64", "-mcpu=help"],
                             capture_output=True, text=True)
    text = listing.stdout + listing.stderr
    cpus = text.split("Available CPUs for this target:")[1].split(
        "Available features for this target:")[0]
    chips = re.findall(r"^\s*(sm_\w+)\s+-", cpus, re.M)
    if not chips:
        print("check_chip_ptx.py: llc listed no chips")
        return 1
    for chip in chips:
        llc = subprocess.run([args.llc, "-mtriple=nvptx64", "-mcpu=" + chip,
                              "-o", "-"], input=TRIVIAL_LL,
                             capture_output=True, text=True)
        expected = header(llc.stdout)
        opt = subprocess.run([args.dyt_opt, args.input,
                              "--dyt-nvvm-pipeline=chip=" + chip],
                             capture_output=True, text=True)
        blobs = re.findall(r'assembly = "((?:[^"\\]|\\.)*)"', opt.stdout)
        sm = int(re.match(r"sm_(\d+)", chip).group(1))
        if sm < 30:
            if opt.returncode == 0 or "is older than sm_30" not in opt.stderr:
                print("%s: not rejected (exit %d):\n%s" %
                      (chip, opt.returncode, opt.stderr))
                return 1
            print(chip, "rejected")
            continue
        if opt.returncode != 0 or not blobs:
            print("%s: dyt-opt failed (exit %d):\n%s" %
                  (chip, opt.returncode, opt.stderr))
            return 1
        actual = header(unescape(blobs[0]))
        if expected[0] and float(expected[0]) < 6.0:
            expected = ("6.0", expected[1])
        if llc.returncode != 0 or actual != expected:
            print("%s: dyt-opt gives %s, llc %s" % (chip, actual, expected))
            return 1
        print(chip, actual[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
