/* Traps with "uninitialized element" (exit status 135): the linker keeps table slot 0 empty so that
 * calling a null function pointer lands on a null table entry. */
#include <stdio.h>

typedef int (*callback)(void);

int main(void) {
    callback volatile f = 0;
    printf("%d\n", f());
    return 0;
}
