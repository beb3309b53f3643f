/* Traps with "out of bounds memory access" (exit status 133): the address lies far beyond the
 * linear memory's current size. */
#include <stdint.h>
#include <stdio.h>

int main(void) {
    volatile uintptr_t address = 0xfffffff0u;
    printf("%d\n", *(volatile int *)address);
    return 0;
}
