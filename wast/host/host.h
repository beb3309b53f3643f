/*
 * The Linux spec-test host: a long-running process that dlopen()s compiled modules, instantiates
 * them with the shared runtime and runs calls for the Java runner over a line protocol
 * (see protocol.md beside this file).
 */
#ifndef UWHOST_HOST_H
#define UWHOST_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "uniwasm/runtime.h"

/* ---- platform.c: the embedder hooks of runtime.h section 3 ---- */

/* 1 when addr lies in a linear-memory reservation made through uw_platform_reserve. */
int uwh_in_memory_reservation(uintptr_t addr);

/* ---- traps.c: the Wasm stack and signal-based traps ---- */

/* Installs the signal handlers and maps the Wasm stack of `stack_bytes` with its guard region. */
void uwh_traps_init(size_t stack_bytes);

/* Runs fn(arg) on the Wasm stack with traps caught; returns 0 when it returned normally, otherwise
 * the trap code (enum uw_trap_code). */
uint32_t uwh_run_protected(void (*fn)(void *), void *arg);

/* stack_switch.S: calls fn(arg) with the stack pointer set to stack_top (16-byte aligned). */
void uwh_call_on_stack(void *stack_top, void (*fn)(void *), void *arg);

/* ---- spectest.c: the spec tests' built-in host module ---- */

uw_vmctx *uwh_spectest_new(char *err, size_t errlen);

#endif
