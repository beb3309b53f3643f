/* Ends through proc_exit with status 42, after some output that must not be lost. */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    printf("exiting with 42\n");
    exit(42);
}
