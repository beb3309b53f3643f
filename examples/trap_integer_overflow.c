/* Traps with "integer overflow" (exit status 131): INT_MIN / -1 has no i32 result. */
#include <limits.h>
#include <stdio.h>

int main(void) {
    volatile int numerator = INT_MIN, minus_one = -1;
    printf("%d\n", numerator / minus_one);
    return 0;
}
