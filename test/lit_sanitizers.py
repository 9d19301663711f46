# Runtime options for the ASan + UBSan build (-DDYT_SANITIZE=ON), shared by
# the main lit suite (test/lit.cfg.py) and the GoogleTest suite (test/Unit).
import os
import subprocess


def configure(config):
    """Adds the `asan` feature and the sanitizer options when the build is
    instrumented. Only our code is; Debian's libMLIR.so, libstdc++ and the
    JIT-compiled code are not, which decides the options:
     - detect_leaks=0: MLIR and LLVM keep process-lifetime singletons (pass
       and dialect registries, cl::opt storage, the JIT's memory manager)
       that LeakSanitizer reports as leaks at exit; none is ours to free.
     - detect_container_overflow=0: std::vector annotations in our code
       disagree with the uninstrumented libMLIR.so growing the same vectors.
     - alloc_dealloc_mismatch=0: memory allocated in libMLIR.so with one form
       of new may be released by inlined code of ours with another (and vice
       versa); ASan cannot tell the two builds apart.
     - detect_odr_violation=0: our binaries and libMLIR.so both define some
       inline globals of MLIR/LLVM headers.
     - abort_on_error=1: a report kills the process with a signal, so that
       `not` (which wants a clean non-zero exit) does not hide it.
    """
    if not getattr(config, "dyt_sanitize", False):
        return
    config.available_features.add("asan")
    config.environment["ASAN_OPTIONS"] = ":".join([
        "detect_leaks=0", "detect_container_overflow=0",
        "alloc_dealloc_mismatch=0", "detect_odr_violation=0",
        "abort_on_error=1", "handle_abort=0",
        os.environ.get("ASAN_OPTIONS", "")]).rstrip(":")
    config.environment["UBSAN_OPTIONS"] = ":".join([
        "print_stacktrace=1", "halt_on_error=1", "abort_on_error=1",
        os.environ.get("UBSAN_OPTIONS", "")]).rstrip(":")
    config.environment["ASAN_SYMBOLIZER_PATH"] = os.path.join(
        config.llvm_tools_dir, "llvm-symbolizer")


def preload(config):
    """What stock (uninstrumented) executables need in front of them to load
    our instrumented DytPlugin.so: the shared ASan runtime (which carries
    UBSan's too), preloaded, as ASan insists on coming first. '' otherwise."""
    if not getattr(config, "dyt_sanitize", False):
        return ""
    runtime = subprocess.run(
        [config.dyt_cxx_compiler, "-print-file-name=libclang_rt.asan-x86_64.so"],
        capture_output=True, text=True).stdout.strip()
    return "env LD_PRELOAD=" + runtime + " "
