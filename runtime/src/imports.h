/* Import matching, used by instance creation. */
#ifndef UNIWASM_RUNTIME_IMPORTS_H
#define UNIWASM_RUNTIME_IMPORTS_H

#include "internal.h"

/* 1 when `ext` may be bound to `imp` of the module instantiated as `ctx` (whose type_ids are set);
 * otherwise 0 with a short explanation in *why. */
int uw_rt_import_matches(const uw_vmctx *ctx, const uw_import_desc *imp, const uw_extern *ext, const char **why);

#endif
