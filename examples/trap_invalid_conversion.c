/* Traps with "invalid conversion to integer" (exit status 132): NaN has no integer value. A C cast
 * would be guarded by clang, so the trapping i32.trunc_f64_s is asked for directly. */
#include <math.h>
#include <stdio.h>

int main(void) {
    volatile double not_a_number = NAN;
    printf("%d\n", __builtin_wasm_trunc_s_i32_f64(not_a_number));
    return 0;
}
