/*
 * The containers suite's idle app: says it is up, then sleeps until it is killed. Built both to
 * wasm32-wasi (sleep is WASI poll_oneoff on a clock) and natively (clock_nanosleep), so that an idle
 * container costs no CPU either way. The sleep ends after a day at the latest, so a container a broken
 * run forgot does not sleep forever.
 */
#include <stdio.h>
#include <unistd.h>

int main(void) {
    printf("ready\n");
    fflush(stdout);
    for (int hour = 0; hour < 24; hour++) sleep(3600);
    return 0;
}
