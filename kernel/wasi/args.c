/* args_* and environ_*: both copy a list of NUL-terminated strings from the boot config. */
#include "kernel/app.h"
#include "kernel/string.h"
#include "wasi.h"

static int32_t sizes_get(uw_vmctx *ctx, uint32_t count, uint32_t bytes, int32_t count_out, int32_t size_out) {
    uint8_t *c = guest_range(ctx, (uint32_t)count_out, 4);
    uint8_t *s = guest_range(ctx, (uint32_t)size_out, 4);
    if (!c || !s) return WASI_EFAULT;
    guest_store_u32(c, count);
    guest_store_u32(s, bytes);
    return WASI_ESUCCESS;
}

static int32_t list_get(uw_vmctx *ctx, const char *const *strings, uint32_t count, uint32_t bytes, int32_t pointers,
                        int32_t buffer) {
    uint8_t *ptrs = guest_range(ctx, (uint32_t)pointers, (uint64_t)count * 4);
    uint8_t *buf = guest_range(ctx, (uint32_t)buffer, bytes);
    if (!ptrs || !buf) return WASI_EFAULT;
    uint32_t offset = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t len = (uint32_t)strlen(strings[i]) + 1;
        memcpy(buf + offset, strings[i], len);
        guest_store_u32(ptrs + (uint64_t)i * 4, (uint32_t)buffer + offset);
        offset += len;
    }
    return WASI_ESUCCESS;
}

int32_t wasi_args_sizes_get(uw_vmctx *ctx, int32_t argc_out, int32_t buf_size_out) {
    const struct boot_config *c = app_config();
    return sizes_get(ctx, c->argc, c->args_bytes, argc_out, buf_size_out);
}

int32_t wasi_args_get(uw_vmctx *ctx, int32_t argv, int32_t argv_buf) {
    const struct boot_config *c = app_config();
    return list_get(ctx, c->argv, c->argc, c->args_bytes, argv, argv_buf);
}

int32_t wasi_environ_sizes_get(uw_vmctx *ctx, int32_t count_out, int32_t buf_size_out) {
    const struct boot_config *c = app_config();
    return sizes_get(ctx, c->envc, c->env_bytes, count_out, buf_size_out);
}

int32_t wasi_environ_get(uw_vmctx *ctx, int32_t environ, int32_t environ_buf) {
    const struct boot_config *c = app_config();
    return list_get(ctx, c->envp, c->envc, c->env_bytes, environ, environ_buf);
}
