/* wasm32-wasi has no setjmp.h with clang 14 and Debian 12's wasi-libc; Lua's ldo.c includes it
 * unconditionally. wasi-port.h replaces Lua's use of setjmp/longjmp, so nothing is declared here. */
