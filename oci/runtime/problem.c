#include "problem.h"

#include <stdarg.h>
#include <stdio.h>

bool problem(char *err, size_t err_size, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    vsnprintf(err, err_size, format, ap);
    va_end(ap);
    return false;
}
