/* Force-included (-include) when Debian's Lua 5.4 sources are compiled to wasm32-wasi. clang 14 and
 * Debian 12's wasi-libc have no setjmp/longjmp for wasm, so a Lua error cannot unwind: it is reported
 * with its status and ends the program (exit status 70). Coroutine yields unwind the same way, so the
 * benchmark scripts raise no errors and use no coroutines. os.tmpname fails as on platforms without
 * tmpnam; wasi-missing.c covers system and tmpfile. */
#ifndef UNIWASM_BENCH_LUA_WASI_PORT_H
#define UNIWASM_BENCH_LUA_WASI_PORT_H
#include <stdio.h>
#include <stdlib.h>

#define LUAI_THROW(L, c)                                                                                   \
    (fprintf(stderr, "lua: a Lua error (status %d) was raised; this wasm32-wasi build cannot unwind it\n", \
             (c)->status),                                                                                 \
     exit(70))
#define LUAI_TRY(L, c, a) \
    { a }
#define luai_jmpbuf int

#define LUA_TMPNAMBUFSIZE 32
#define lua_tmpnam(b, e) \
    {                    \
        (b)[0] = '\0';   \
        (e) = -1;        \
    }
#endif
