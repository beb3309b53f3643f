/* Traps with "call stack exhausted" (exit status 138): unbounded recursion. The recursive call goes
 * through a volatile function pointer, so neither clang nor uniwasm's compiler can see it is
 * recursive and turn it into a loop; the frame lives in Wasm locals, not in the shadow stack in
 * linear memory, so the native stack runs out first. */
#include <stdio.h>

static int depth(int n);
static int (*volatile recurse)(int) = depth;

static int depth(int n) { return recurse(n + 1) * 3 + n; }

int main(void) {
    printf("%d\n", depth(0));
    return 0;
}
