/*
 * Instantiation (Wasm 2.0, section 4.5.4) split the way the ABI splits it: this file allocates the
 * instance and binds and checks imports; the module's own `init` (emitted by the compiler) evaluates
 * global initialisers and applies segments; uw_instance_start runs init and the start function.
 */
#include "imports.h"

/* Blocks owned by one instance, freed together if instantiation fails half-way. */
typedef struct owned {
    uw_func *funcs;   /* one uw_func per function index (imported slots used by DIRECT binding) */
    uw_global *cells; /* storage of defined globals */
} owned;

static void fail_descriptor(uw_rt_errbuf *e, const char *what, uint64_t index) {
    uw_rt_err_str(e, "malformed module descriptor: ");
    uw_rt_err_str(e, what);
    uw_rt_err_str(e, " ");
    uw_rt_err_u64(e, index);
}

/* Checks the parts of the descriptor instantiation relies on, so that a compiler bug becomes an
 * error message instead of a jump through NULL. */
static int check_descriptor(const uw_module_desc *m, uw_rt_errbuf *e) {
    if (m->abi_version != UW_ABI_VERSION) {
        uw_rt_err_str(e, "module was compiled for ABI version ");
        uw_rt_err_u64(e, m->abi_version);
        uw_rt_err_str(e, ", this runtime implements version ");
        uw_rt_err_u64(e, UW_ABI_VERSION);
        return -1;
    }
    if (m->num_imported_funcs > m->num_funcs || m->num_imported_memories > m->num_memories ||
        m->num_imported_tables > m->num_tables || m->num_imported_globals > m->num_globals) {
        uw_rt_err_str(e, "malformed module descriptor: more imports than entities of a kind");
        return -1;
    }
    for (uint32_t i = 0; i < m->num_funcs; i++) {
        if (m->func_types[i] >= m->num_types) {
            fail_descriptor(e, "type index out of range for function", i);
            return -1;
        }
    }
    for (uint32_t i = 0; i < m->num_imports; i++) {
        const uw_import_desc *imp = &m->imports[i];
        uint32_t limit = imp->kind == UW_EXTERN_FUNC     ? m->num_imported_funcs
                         : imp->kind == UW_EXTERN_TABLE  ? m->num_imported_tables
                         : imp->kind == UW_EXTERN_MEMORY ? m->num_imported_memories
                         : imp->kind == UW_EXTERN_GLOBAL ? m->num_imported_globals
                                                         : 0;
        if (imp->index >= limit) {
            fail_descriptor(e, "import index out of range for import", i);
            return -1;
        }
    }
    for (uint32_t i = 0; i < m->num_exports; i++) {
        const uw_export_desc *x = &m->exports[i];
        if (x->kind == UW_EXTERN_FUNC && x->index >= m->num_imported_funcs &&
            (x->index >= m->num_funcs || !m->func_code[x->index])) {
            fail_descriptor(e, "no code for exported function", x->index);
            return -1;
        }
    }
    if (m->start_func >= 0 && ((uint32_t)m->start_func >= m->num_funcs ||
                               ((uint32_t)m->start_func >= m->num_imported_funcs && !m->func_code[m->start_func]))) {
        fail_descriptor(e, "no code for start function", (uint64_t)m->start_func);
        return -1;
    }
    return 0;
}

static void discard(uw_vmctx *ctx, owned *own) {
    const uw_module_desc *m = ctx->module;
    if (ctx->tables) {
        for (uint32_t i = m->num_imported_tables; i < m->num_tables; i++) {
            if (!ctx->tables[i]) continue;
            uw_platform_free(ctx->tables[i]->elems);
            uw_platform_free(ctx->tables[i]);
        }
    }
    /* Memory reservations cannot be returned through the embedder API; only the header is freed. */
    if (ctx->memories) {
        for (uint32_t i = m->num_imported_memories; i < m->num_memories; i++) {
            if (ctx->memories[i]) uw_platform_free(ctx->memories[i]);
        }
    }
    if (ctx->elems) {
        for (uint32_t i = 0; i < m->num_elems; i++) {
            if (ctx->elems[i].items) uw_platform_free(ctx->elems[i].items);
        }
    }
    void *blocks[] = {own->funcs, own->cells,    ctx->memories, ctx->tables, ctx->globals,
                      ctx->funcs, ctx->type_ids, ctx->data,     ctx->elems};
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
        if (blocks[i]) uw_platform_free(blocks[i]);
    }
    uw_platform_free(ctx);
}

/* Allocates n elements of `size` bytes, or returns a non-NULL dummy for n = 0 so that a NULL always
 * means "out of memory". */
static void *alloc_array(uint64_t n, size_t size) { return uw_platform_alloc(n ? n * size : 1); }

static void report_import(uw_rt_errbuf *e, const char *reason, const uw_import_desc *imp, const char *why) {
    uw_rt_err_str(e, reason);
    uw_rt_err_str(e, ": \"");
    uw_rt_err_str(e, imp->module);
    uw_rt_err_str(e, "\" \"");
    uw_rt_err_str(e, imp->name);
    uw_rt_err_str(e, "\"");
    if (why) {
        uw_rt_err_str(e, " (");
        uw_rt_err_str(e, why);
        uw_rt_err_str(e, ")");
    }
}

static int bind_imports(uw_vmctx *ctx, owned *own, uw_import_resolver resolve, void *data, uw_rt_errbuf *e) {
    const uw_module_desc *m = ctx->module;
    for (uint32_t i = 0; i < m->num_imports; i++) {
        const uw_import_desc *imp = &m->imports[i];
        if (imp->kind == UW_EXTERN_FUNC && m->func_code[imp->index]) {
            /* DIRECT linkage: the linker already resolved uw_imp.<module>.<name>; that code runs
             * with the importing instance as its context. */
            uw_func *f = &own->funcs[imp->index];
            f->code = m->func_code[imp->index];
            f->ctx = ctx;
            f->type_index = imp->type;
            f->type_id = ctx->type_ids[imp->type];
            ctx->funcs[imp->index] = f;
            continue;
        }
        uw_extern ext = {0};
        if (!resolve || resolve(data, imp, &ext) != 0) {
            report_import(e, "unknown import", imp, NULL);
            return -1;
        }
        const char *why = NULL;
        if (!uw_rt_import_matches(ctx, imp, &ext, &why)) {
            report_import(e, "incompatible import type", imp, why);
            return -1;
        }
        switch (imp->kind) {
        case UW_EXTERN_FUNC: ctx->funcs[imp->index] = ext.u.func; break;
        case UW_EXTERN_TABLE: ctx->tables[imp->index] = ext.u.table; break;
        case UW_EXTERN_MEMORY: ctx->memories[imp->index] = ext.u.memory; break;
        case UW_EXTERN_GLOBAL: ctx->globals[imp->index] = ext.u.global; break;
        }
    }
    return 0;
}

static int create_defined(uw_vmctx *ctx, owned *own, uw_rt_errbuf *e) {
    const uw_module_desc *m = ctx->module;
    for (uint32_t i = m->num_imported_memories; i < m->num_memories; i++) {
        ctx->memories[i] = uw_rt_memory_new(m->memories[i].min, m->memories[i].max);
        if (!ctx->memories[i]) {
            uw_rt_err_str(e, "cannot allocate memory ");
            uw_rt_err_u64(e, i);
            uw_rt_err_str(e, " of ");
            uw_rt_err_u64(e, m->memories[i].min);
            uw_rt_err_str(e, " pages");
            return -1;
        }
    }
    for (uint32_t i = m->num_imported_tables; i < m->num_tables; i++) {
        ctx->tables[i] = uw_rt_table_new(m->tables[i].min, m->tables[i].max, m->tables[i].elem_type);
        if (!ctx->tables[i]) {
            uw_rt_err_str(e, "cannot allocate table ");
            uw_rt_err_u64(e, i);
            uw_rt_err_str(e, " of ");
            uw_rt_err_u64(e, m->tables[i].min);
            uw_rt_err_str(e, " elements (the runtime's limit is ");
            uw_rt_err_u64(e, UW_TABLE_ELEMENT_CAP);
            uw_rt_err_str(e, ")");
            return -1;
        }
    }
    for (uint32_t i = m->num_imported_globals; i < m->num_globals; i++) {
        ctx->globals[i] = &own->cells[i - m->num_imported_globals];
    }
    for (uint32_t i = m->num_imported_funcs; i < m->num_funcs; i++) {
        uw_func *f = &own->funcs[i];
        f->code = m->func_code[i];
        f->ctx = ctx;
        f->type_index = m->func_types[i];
        f->type_id = ctx->type_ids[f->type_index];
        ctx->funcs[i] = f;
    }
    /* ctx->data starts zeroed: empty entries (the compiler's runs leave thousands) are not written,
     * so pages of them are never touched */
    for (uint32_t i = 0; i < m->num_data; i++) {
        if (!m->data[i].len) continue;
        ctx->data[i].bytes = m->data[i].bytes;
        ctx->data[i].len = m->data[i].len;
    }
    for (uint32_t i = 0; i < m->num_elems; i++) {
        ctx->elems[i].items = alloc_array(m->elems[i].len, sizeof(void *));
        if (!ctx->elems[i].items) {
            uw_rt_err_str(e, "out of memory for element segment ");
            uw_rt_err_u64(e, i);
            return -1;
        }
        ctx->elems[i].len = m->elems[i].len;
    }
    return 0;
}

uw_vmctx *uw_instance_new(const uw_module_desc *m, uw_import_resolver resolve, void *data, void *host, char *err,
                          size_t errlen) {
    uw_rt_errbuf e = {err, errlen, 0};
    if (err && errlen) err[0] = 0;
    if (check_descriptor(m, &e) != 0) return NULL;

    uw_vmctx *ctx = uw_platform_alloc(sizeof(uw_vmctx));
    if (!ctx) {
        uw_rt_err_str(&e, "out of memory for an instance");
        return NULL;
    }
    ctx->module = m;
    ctx->host = host;
    owned own = {0};
    ctx->memories = alloc_array(m->num_memories, sizeof(uw_memory *));
    ctx->tables = alloc_array(m->num_tables, sizeof(uw_table *));
    ctx->globals = alloc_array(m->num_globals, sizeof(uw_global *));
    ctx->funcs = alloc_array(m->num_funcs, sizeof(uw_func *));
    ctx->type_ids = alloc_array(m->num_types, sizeof(uint32_t));
    ctx->data = alloc_array(m->num_data, sizeof(uw_data_inst));
    ctx->elems = alloc_array(m->num_elems, sizeof(uw_elem_inst));
    own.funcs = alloc_array(m->num_funcs, sizeof(uw_func));
    own.cells = alloc_array(m->num_globals - m->num_imported_globals, sizeof(uw_global));
    if (!ctx->memories || !ctx->tables || !ctx->globals || !ctx->funcs || !ctx->type_ids || !ctx->data || !ctx->elems ||
        !own.funcs || !own.cells) {
        uw_rt_err_str(&e, "out of memory for an instance");
        discard(ctx, &own);
        return NULL;
    }
    for (uint32_t i = 0; i < m->num_types; i++) {
        ctx->type_ids[i] = uw_type_intern(m->type_sigs[i]);
        if (!ctx->type_ids[i]) {
            uw_rt_err_str(&e, "out of memory interning signatures");
            discard(ctx, &own);
            return NULL;
        }
    }
    if (bind_imports(ctx, &own, resolve, data, &e) != 0 || create_defined(ctx, &own, &e) != 0) {
        discard(ctx, &own);
        return NULL;
    }
    ctx->mem0_base = m->num_memories ? ctx->memories[0]->base : NULL;
    return ctx;
}

void uw_instance_start(uw_vmctx *ctx) {
    const uw_module_desc *m = ctx->module;
    if (m->init) m->init(ctx);
    if (m->start_func >= 0) {
        uw_value io[1];
        uw_invoke(ctx->funcs[m->start_func], io);
    }
}

int uw_instance_export(uw_vmctx *ctx, const char *name, uw_extern *out) {
    size_t len = 0;
    while (name[len]) len++;
    return uw_instance_export_n(ctx, name, len, out);
}

int uw_instance_export_n(uw_vmctx *ctx, const char *name, size_t len, uw_extern *out) {
    const uw_module_desc *m = ctx->module;
    for (uint32_t i = 0; i < m->num_exports; i++) {
        const uw_export_desc *x = &m->exports[i];
        if (x->name_len != len || __builtin_memcmp(x->name, name, len) != 0) continue;
        *out = (uw_extern){.kind = x->kind};
        switch (x->kind) {
        case UW_EXTERN_FUNC: out->u.func = ctx->funcs[x->index]; break;
        case UW_EXTERN_TABLE: out->u.table = ctx->tables[x->index]; break;
        case UW_EXTERN_MEMORY: out->u.memory = ctx->memories[x->index]; break;
        case UW_EXTERN_GLOBAL:
            out->u.global = ctx->globals[x->index];
            out->global_type = m->globals[x->index].type;
            out->global_mutable = m->globals[x->index].mutable_;
            break;
        default: return -1;
        }
        return 0;
    }
    return -1;
}

void uw_invoke(uw_func *f, uw_value *io) { f->ctx->module->type_array_calls[f->type_index](f->code, f->ctx, io); }

const char *uw_func_name(const uw_vmctx *ctx, uint32_t index) {
    const uw_module_desc *m = ctx->module;
    if (!m->func_names || index >= m->num_funcs) return NULL;
    return m->func_names[index];
}
