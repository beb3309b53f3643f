/* Traps with "unreachable" (exit status 129). */
int main(void) { __builtin_trap(); }
