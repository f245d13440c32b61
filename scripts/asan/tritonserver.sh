#!/usr/bin/env bash
# Runs the tritonserver command it is given with a sanitizer-built faster-bert
# backend inside (FASTERBERT_TRITON_WRAPPER for test/e2e/triton-server.ts).
#  - tritonserver is not instrumented, so the ASan and UBSan runtimes are
#    preloaded: they must come first in the process.
#  - OpenVINO's CPU plugin makes TBB dlopen libtbbbind with RTLD_DEEPBIND, and
#    the ASan runtime aborts on any dlopen with that flag. A small preloaded
#    dlopen (dlopen_without_deepbind.c, FASTERBERT_ASAN_DLOPEN_SHIM) drops the
#    flag before ASan's dlopen sees it; it must come before the ASan runtime,
#    hence verify_asan_link_order=0.
#  - Leaks: the backend asks LeakSanitizer for a check each time a model is
#    finalized (backend_entry.cc), when all it held must be freed. No
#    suppressions: those checks report nothing of the server's. No check at
#    exit (leak_check_at_exit=0): the uninstrumented server's own exit path
#    (libp11-kit's destructor) can hang before it, and it would report the
#    server's own exit-time leaks, which are not ours to fix.
#  - The first error ends the server (halt_on_error), so no test passes over it.
# Reports go to files FASTERBERT_ASAN_LOG_DIR/tritonserver.<pid>;
# scripts/test-asan.sh fails when any exists.
set -euo pipefail
: "${FASTERBERT_ASAN_DLOPEN_SHIM:?the built dlopen_without_deepbind.so (scripts/test-asan.sh builds it)}"
: "${FASTERBERT_ASAN_LOG_DIR:?the folder for sanitizer reports}"
mkdir -p "$FASTERBERT_ASAN_LOG_DIR"
log="log_path=$FASTERBERT_ASAN_LOG_DIR/tritonserver"
asan=$(gcc -print-file-name=libasan.so)
ubsan=$(gcc -print-file-name=libubsan.so)
export LD_PRELOAD="$FASTERBERT_ASAN_DLOPEN_SHIM:$asan:$ubsan${LD_PRELOAD:+:$LD_PRELOAD}"
export ASAN_OPTIONS="$log:verify_asan_link_order=0:detect_leaks=1:leak_check_at_exit=0:halt_on_error=1:detect_odr_violation=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="$log:print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
exec "$@"
