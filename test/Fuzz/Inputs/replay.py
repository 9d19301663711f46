#!/usr/bin/env python3
"""Replays what fuzz/dyt-fuzz.cpp does to one input, through dyt-opt.

    replay.py --dyt-opt build/bin/dyt-opt crash.mlir

Parse and verify; print and parse back; each of this project's passes on its
own; dyt-cpu-pipeline and dyt-cpu-reference-pipeline. Any step may fail with
a diagnostic (exit 1); none may crash, hang or report a sanitizer error. A
fuzz regression test (test/Fuzz/*.mlir) runs this on its own text. Exits 1
naming the step that crashed.
"""
import argparse
import subprocess
import sys

PIPELINES = [
    "builtin.module(func.func(dyt-raise-norms))",
    "builtin.module(dyt-replace-norms)",
    "builtin.module(func.func(dyt-fuse-matmul))",
    "builtin.module(dyt-outline-weight-folding)",
    "builtin.module(convert-dyt-to-linalg)",
    "builtin.module(canonicalize)",
    "builtin.module(dyt-cpu-pipeline)",
    "builtin.module(dyt-cpu-reference-pipeline)",
]
# What a crash or a sanitizer report looks like in a tool's stderr.
SIGNS = ["PLEASE submit a bug report", "Stack dump:", "ERROR: AddressSanitizer",
         "runtime error:", "ERROR: LeakSanitizer", "LLVM ERROR:",
         "UNREACHABLE executed", "Assertion `"]


def run(cmd, stdin=None, timeout=120):
    try:
        p = subprocess.run(cmd, input=stdin, capture_output=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, b"", b"timed out after %d s" % timeout
    return p.returncode, p.stdout, p.stderr


def bad(code, err):
    if code is None or code < 0 or code >= 128:
        return True
    text = err.decode(errors="replace")
    return any(sign in text for sign in SIGNS)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dyt-opt", required=True)
    ap.add_argument("input")
    args = ap.parse_args()
    failures = []

    def step(name, cmd, stdin=None):
        code, out, err = run(cmd, stdin)
        if bad(code, err):
            failures.append(name)
            sys.stderr.write("replay: %s crashed (exit %s):\n%s\n" % (
                name, code, err.decode(errors="replace")[-4000:]))
        return code, out

    code, printed = step("parse", [args.dyt_opt, args.input])
    if code != 0:
        print("replay: input does not parse/verify (fine): nothing to run")
        return 1 if failures else 0
    code, _ = step("round trip", [args.dyt_opt, "-"], stdin=printed)
    if code != 0 and not failures and b"dyt." in printed:
        failures.append("round trip")
        sys.stderr.write("replay: printed IR does not parse back\n")
    for pipeline in PIPELINES:
        code, _ = step(pipeline, [args.dyt_opt, args.input,
                                  "--pass-pipeline=" + pipeline,
                                  "-o", "/dev/null"])
    if failures:
        print("replay: FAILED: " + ", ".join(failures))
        return 1
    print("replay: no crash in %d steps" % (len(PIPELINES) + 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
