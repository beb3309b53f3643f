/*
 * Import matching (Wasm 2.0, section 4.5.3 "Import Subtyping"/"Matching"): the external value found
 * for an import must have the kind asked for and a type that matches the import's type.
 */
#include "imports.h"

/* Limits subtyping: actual {min, max} matches required {min, max?} when actual min >= required min
 * and, if a maximum is required, actual has one and it is <= the required one. */
static int limits_match(uint64_t actual_min, uint64_t actual_max, int actual_has_max, uint64_t required_min,
                        uint64_t required_max) {
    if (actual_min < required_min) return 0;
    if (required_max == UW_NO_MAX) return 1;
    return actual_has_max && actual_max <= required_max;
}

int uw_rt_import_matches(const uw_vmctx *ctx, const uw_import_desc *imp, const uw_extern *ext, const char **why) {
    if (ext->kind != imp->kind) {
        *why = "kind mismatch";
        return 0;
    }
    switch (imp->kind) {
    case UW_EXTERN_FUNC:
        if (!ext->u.func || ext->u.func->type_id != ctx->type_ids[imp->type]) {
            *why = "function type mismatch";
            return 0;
        }
        return 1;
    case UW_EXTERN_GLOBAL: {
        uint32_t valtype = imp->type & 0xff;
        uint32_t is_mutable = (imp->type >> 8) & 1;
        if (ext->global_type != valtype || (ext->global_mutable != 0) != is_mutable) {
            *why = "global type or mutability mismatch";
            return 0;
        }
        return 1;
    }
    case UW_EXTERN_TABLE: {
        const uw_table *t = ext->u.table;
        if (t->elem_type != (imp->type & 0xff)) {
            *why = "table element type mismatch";
            return 0;
        }
        if (!limits_match(t->size, t->max, t->max != UINT32_MAX, imp->min, imp->max)) {
            *why = "table limits mismatch";
            return 0;
        }
        return 1;
    }
    case UW_EXTERN_MEMORY: {
        const uw_memory *m = ext->u.memory;
        if (!limits_match(m->size / UW_PAGE_SIZE, m->max_pages, m->max_pages != UW_NO_MAX, imp->min, imp->max)) {
            *why = "memory limits mismatch";
            return 0;
        }
        return 1;
    }
    default: *why = "unknown import kind"; return 0;
    }
}
