/* random_get from the platform's entropy source (platform.h, plat_entropy), which never falls back
 * to a fixed or time-based seed. */
#include "kernel/platform.h"
#include "wasi.h"

int32_t wasi_random_get(uw_vmctx *ctx, int32_t buf, int32_t buf_len) {
    uint8_t *out = guest_range(ctx, (uint32_t)buf, (uint32_t)buf_len);
    if (!out) return WASI_EFAULT;
    plat_entropy(out, (uint32_t)buf_len);
    return WASI_ESUCCESS;
}
