"""Locating and running the dyt-mlir tools (dyt-opt, dyt-run, dyt-compare).

The tools are looked up in `$DYT_BUILD_DIR/bin`, or `<repo>/build/bin` when
DYT_BUILD_DIR is unset (scripts/setup.sh builds them there).
"""

import os
import subprocess
import time

from .errors import DytError, DytToolError

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# A binary may be missing for a moment while it is being relinked.
_RETRY_SECONDS = 30.0


def build_dir():
    """The build directory: $DYT_BUILD_DIR, or <repo>/build."""
    return os.environ.get("DYT_BUILD_DIR") or os.path.join(REPO, "build")


def tool_path(name):
    """Path of the tool `name` in build_dir()/bin; DytError if it is absent."""
    path = os.path.join(build_dir(), "bin", name)
    deadline = time.monotonic() + _RETRY_SECONDS
    while not os.access(path, os.X_OK):
        if time.monotonic() > deadline:
            raise DytError(f"{name} not found at {path}: build the project with "
                           "scripts/setup.sh, or point DYT_BUILD_DIR at a build "
                           "directory")
        time.sleep(0.5)
    return path


def run_tool(name, args, what=None, stdin=None, timeout=None):
    """Runs build/bin/`name` with `args`; returns its CompletedProcess (text).

    Raises DytToolError, with the tool's diagnostics, if it exits non-zero.
    """
    command = [tool_path(name), *map(str, args)]
    deadline = time.monotonic() + _RETRY_SECONDS
    while True:
        try:
            result = subprocess.run(command, input=stdin, capture_output=True,
                                    text=True, timeout=timeout)
            break
        except (PermissionError, FileNotFoundError, OSError) as e:
            # ETXTBSY / ENOENT while the binary is relinked: try again.
            if time.monotonic() > deadline:
                raise DytError(f"cannot run {command[0]}: {e}") from e
            time.sleep(0.5)
    if result.returncode != 0:
        raise DytToolError(name, command, result.returncode, result.stderr, what)
    return result
