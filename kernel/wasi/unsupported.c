/*
 * The part of wasi_snapshot_preview1 the kernel does not implement yet: proc_raise (sockets are in
 * wasi/sock.c). Each is defined so every WASI app links, and answers ENOSYS so the app sees a
 * clear "not implemented".
 */
#include "wasi.h"

#define UNUSED(x) (void)(x)

int32_t wasi_proc_raise(uw_vmctx *ctx, int32_t sig) {
    UNUSED(ctx);
    UNUSED(sig);
    return WASI_ENOSYS;
}
