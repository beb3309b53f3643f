/* Traps with "undefined element" (exit status 134): a function pointer is an index into the
 * module's function table, and this one lies past the table's end. */
#include <stdint.h>
#include <stdio.h>

typedef int (*callback)(void);

int main(void) {
    volatile uintptr_t index = 100000;
    callback f = (callback)index;
    printf("%d\n", f());
    return 0;
}
