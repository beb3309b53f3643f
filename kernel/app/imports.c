/*
 * Import binding. The kernel offers exactly one import module, wasi_snapshot_preview1; its
 * functions are bound by name after checking the module's declared signature against the kernel's.
 * Code compiled with ImportLinkage.DIRECT (what the image linker gets) calls them directly and the
 * runtime binds those imports itself; this resolver serves imports without a linked address
 * (ImportLinkage.CONTEXT), whose uw_func objects are made here. Any number of imports is bound:
 * the instance's function array, sized by the runtime from the module, is the only list of them.
 */
#include "kernel/app.h"
#include "kernel/format.h"
#include "kernel/heap.h"
#include "kernel/string.h"
#include "../wasi/wasi.h"

extern const uw_module_desc uw_module;

#define WASI_MODULE "wasi_snapshot_preview1"

static char error[192];
static bool has_error;

static int fail(const char *fmt, const uw_import_desc *imp, const char *extra) {
    format(error, sizeof error, fmt, imp->module, imp->name, extra);
    has_error = true;
    return -1;
}

int app_resolve_import(void *data, const uw_import_desc *imp, uw_extern *out) {
    (void)data;
    if (strcmp(imp->module, WASI_MODULE) != 0)
        return fail("unknown import module \"%s\" (import %s.%s)", imp, imp->name);
    if (imp->kind != UW_EXTERN_FUNC) return fail("import %s.%s is not a function%s", imp, "");
    const struct wasi_function *fn = wasi_find(imp->name);
    if (!fn) return fail("import %s.%s is not a WASI preview1 function%s", imp, "");
    const char *declared = uw_module.type_sigs ? uw_module.type_sigs[imp->type] : NULL;
    const struct wasi_function *typed = declared ? wasi_find_typed(imp->name, declared) : NULL;
    if (!typed) {
        format(error, sizeof error, "import %s.%s has type \"%s\", the kernel's is \"%s\"", imp->module, imp->name,
               declared ? declared : "?", fn->signature);
        has_error = true;
        return -1;
    }
    fn = typed; /* WasmEdge's socket API has two shapes of some names, told apart by signature */
    uw_func *f = heap_alloc(sizeof *f);
    if (!f) return fail("import %s.%s: out of memory%s", imp, "");
    f->code = fn->code;
    f->type_id = uw_type_intern(fn->signature);
    f->type_index = imp->type;
    out->kind = UW_EXTERN_FUNC;
    out->u.func = f;
    return 0;
}

/* A WASI function reached through a funcref receives uw_func.ctx as its caller, and needs the
 * caller's memory: with one instance per VM, that instance is every import's caller. Imported
 * functions come first in ctx->funcs; the ones the runtime bound already point at ctx. */
void app_bind_import_instance(uw_vmctx *ctx) {
    for (uint32_t i = 0; i < ctx->module->num_imported_funcs; i++) ctx->funcs[i]->ctx = ctx;
}

const char *app_import_error(void) { return has_error ? error : NULL; }
