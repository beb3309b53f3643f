/*
 * The runtime's one way of saying what went wrong: a function that fails writes one line into the
 * caller's err buffer (which the caller shows as `uniwasm-runtime: LINE` and logs) and returns false.
 */
#ifndef UNIWASM_RUNTIME_PROBLEM_H
#define UNIWASM_RUNTIME_PROBLEM_H

#include <stdbool.h>
#include <stddef.h>

/* Formats the line into err (truncated to err_size) and returns false, for `return problem(...)`. */
__attribute__((format(printf, 3, 4))) bool problem(char *err, size_t err_size, const char *format, ...);

#endif
