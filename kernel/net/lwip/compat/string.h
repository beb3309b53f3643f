/* The few <string.h> functions lwIP calls, served by kernel/lib/string.c. */
#ifndef UNIWASM_LWIP_COMPAT_STRING_H
#define UNIWASM_LWIP_COMPAT_STRING_H
#include "kernel/string.h"
#endif
