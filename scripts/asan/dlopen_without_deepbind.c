/*
 * Preloaded ahead of the ASan runtime into tritonserver for the sanitizer
 * run (scripts/asan/tritonserver.sh). OpenVINO's CPU plugin makes TBB dlopen
 * libtbbbind with RTLD_DEEPBIND, and the ASan runtime aborts the process on
 * any dlopen with that flag, whether the library exists or not. This dlopen
 * drops the flag and hands the call on to the next dlopen (ASan's). Without
 * DEEPBIND, tbbbind binds to the one libhwloc OpenVINO ships, the same one it
 * would bind to itself.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

typedef void* (*dlopen_fn)(const char*, int);

void* dlopen(const char* file, int mode) {
  static dlopen_fn next = NULL;
  if (next == NULL) {
    void* symbol = dlsym(RTLD_NEXT, "dlopen");
    memcpy(&next, &symbol, sizeof next); /* POSIX: a data pointer may hold a function's address */
  }
  return next(file, mode & ~RTLD_DEEPBIND);
}
