#!/usr/bin/env python3
"""Writes the PTX held by each gpu.binary of an MLIR file (format=isa) to
stdout, unescaped, so that ptxas and FileCheck see the real assembly.

  extract_ptx.py [--ptxas PTXAS --arch sm_XY] [FILE]   (stdin when no file)

With --ptxas, each module is assembled on its own (ptxas takes one module
per file) and one line "ptxas: N modules assembled for sm_XY" is printed
instead of the PTX; any ptxas failure is printed and exits 1. Exits 1 when
the input holds no `assembly = "..."` object.
"""
import argparse
import os
import subprocess
import tempfile
import re
import sys


def unescape(text):
    # MLIR prints string attributes with \\, \" and \XX (two hex digits).
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        nxt = text[i + 1]
        if nxt in "\\\"":
            out += nxt.encode()
            i += 2
        elif nxt == "n":
            out += b"\n"
            i += 2
        elif nxt == "t":
            out += b"\t"
            i += 2
        else:
            out.append(int(text[i + 1:i + 3], 16))
            i += 3
    return out.decode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?")
    parser.add_argument("--ptxas")
    parser.add_argument("--arch", default="sm_90")
    args = parser.parse_args()
    source = open(args.file).read() if args.file else sys.stdin.read()
    blobs = re.findall(r'assembly = "((?:[^"\\]|\\.)*)"', source)
    if not blobs:
        sys.stderr.write("extract_ptx.py: no gpu.binary with PTX (format=isa)\n")
        return 1
    if args.ptxas:
        with tempfile.TemporaryDirectory() as tmp:
            for i, blob in enumerate(blobs):
                path = os.path.join(tmp, "module%d.ptx" % i)
                with open(path, "w") as f:
                    f.write(unescape(blob).rstrip("\0"))
                run = subprocess.run([args.ptxas, "-arch=" + args.arch, path,
                                      "-o", os.devnull],
                                     capture_output=True, text=True)
                if run.returncode != 0:
                    sys.stderr.write(run.stdout + run.stderr)
                    return 1
        print("ptxas: %d modules assembled for %s" % (len(blobs), args.arch))
        return 0
    for blob in blobs:
        sys.stdout.write(unescape(blob).rstrip("\0"))
        sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
