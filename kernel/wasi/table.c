#include "kernel/string.h"
#include "wasi.h"

#define WASI_FUNCTION(name, params, result) {#name, WASI_SIGNATURE(params, result), (void *)wasi_##name},
#define WASMEDGE_FUNCTION(name, params, result) WASI_FUNCTION(name, params, result)
#define WASMEDGE_VARIANT(name, params, result, version) \
    {#name, WASI_SIGNATURE(params, result), (void *)wasmedge_##name##_##version},

/* In the order of functions.h; a name listed twice has two shapes, told apart by signature. */
const struct wasi_function wasi_functions[] = {
#include "functions.h"
};

const uint32_t wasi_function_count = ARRAY_LEN(wasi_functions);

const struct wasi_function *wasi_find(const char *name) {
    for (uint32_t i = 0; i < wasi_function_count; i++) {
        if (strcmp(wasi_functions[i].name, name) == 0) return &wasi_functions[i];
    }
    return NULL;
}

const struct wasi_function *wasi_find_typed(const char *name, const char *signature) {
    for (uint32_t i = 0; i < wasi_function_count; i++) {
        if (strcmp(wasi_functions[i].name, name) == 0 && strcmp(wasi_functions[i].signature, signature) == 0) {
            return &wasi_functions[i];
        }
    }
    return NULL;
}
