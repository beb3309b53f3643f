/* Traps with "indirect call type mismatch" (exit status 136): the table entry is a function of type
 * (i32) -> i32 but is called as () -> i64. */
#include <stdio.h>

static int twice(int x) { return 2 * x; }

typedef long long (*wrong_type)(void);

int main(void) {
    int (*volatile real)(int) = twice;
    wrong_type f = (wrong_type)real;
    printf("%lld\n", f());
    return 0;
}
