package dev.uniwasm.compiler;

/** How compiled code reaches imported functions. See docs/ABI.md. */
public enum ImportLinkage {
    /** Through the instance context: {@code ctx->funcs[i]->code(ctx->funcs[i]->ctx, ...)}. For hosts
     * that link modules to each other at run time (the spec-test host). */
    CONTEXT,
    /** As direct calls to the external symbol {@code uw_imp.<module>.<name>}, called with the
     * caller's context. For the kernel, whose WASI functions are linked into the image. */
    DIRECT
}
