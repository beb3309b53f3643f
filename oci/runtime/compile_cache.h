/*
 * The compile cache: the process executables of modules that images carry without a compiled form
 * (Docker-style wasi/wasm images), made on first use by the uniwasm CLI (`uniwasm build --isolation
 * process`) and kept by the module's SHA-256 (docs/oci.md, "Compiling on first use").
 */
#ifndef UNIWASM_RUNTIME_COMPILE_CACHE_H
#define UNIWASM_RUNTIME_COMPILE_CACHE_H

#include <stdbool.h>
#include <stddef.h>

/* Where the cache lives when UNIWASM_CACHE does not say. */
#define COMPILE_CACHE_DEFAULT "/var/lib/uniwasm/cache"

struct compiled {
    char *executable;  /* the cached process executable */
    char digest[65];   /* the module's SHA-256, hex */
    bool compiled_now; /* this call ran the compiler */
    long compile_ms;
};

/* The compiled form of the module open as module_fd, compiling it on a miss; name is its file name
 * (NAME.wasm, what the compiler's messages name). rootfs and path (the module's path inside rootfs),
 * when given, let an overlay mount's module be known by its layer file's identity. Returns false
 * with a one-line message in err. */
bool compile_cache_get(int module_fd, const char *name, const char *rootfs, const char *path, struct compiled *out,
                       char *err, size_t err_size);

/* `uniwasm-runtime compile APP.wasm...`: fills the cache ahead of the first container. */
int compile_cache_command(int argc, char **argv);

#endif
