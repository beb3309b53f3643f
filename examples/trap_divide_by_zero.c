/* Traps with "integer divide by zero" (exit status 130). volatile keeps the division to run time. */
#include <stdio.h>

int main(void) {
    volatile int numerator = 7, zero = 0;
    printf("%d\n", numerator / zero);
    return 0;
}
