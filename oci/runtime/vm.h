/*
 * VM containers (annotation dev.uniwasm.isolation=vm; docs/oci.md, "VM containers"): the app's VM
 * image from the layer booted under QEMU with the command line `uniwasm image build` wrote beside it
 * (.uniwasm/NAME.wasm.x86_64-pvh.qemu, made by the monitor's code), the container's process.args and
 * process.env in a run-time boot configuration, and the container's process a small supervisor: it
 * starts QEMU, carries the serial ports to and from the container's stdio, and ends with the app's
 * status, as `uniwasm run` does.
 */
#ifndef UNIWASM_RUNTIME_VM_H
#define UNIWASM_RUNTIME_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The kernel platform of the VM image: its file is .uniwasm/NAME.wasm.x86_64-pvh. */
#define VM_PLATFORM "x86_64-pvh"
/* The QEMU command line beside it: .uniwasm/NAME.wasm.x86_64-pvh.qemu. */
#define VM_QEMU_SUFFIX ".qemu"

struct vm {
    char **qemu_argv; /* QEMU's command line, for QEMU's working folder, the container's folder */
    const char *dir;  /* <root>/<id>: the boot configuration and the serial ports' sockets */
    int listeners[3]; /* COM1..COM3, listening; QEMU connects to them */
    int image_fd;     /* the VM image, which QEMU reads as /proc/self/fd/N */
    int self_fd;      /* this runtime's executable, which the container's process becomes again */
    bool tcg;         /* no KVM: QEMU emulates the CPU */
    bool no_stdin;    /* the container's stdin is /dev/null or closed: the boot configuration says so */
};

/* The command by which the container's process runs this executable again as the supervisor alone
 * (vm_run); not one of runc's, and refused when not given the supervisor's descriptors. */
#define VM_SUPERVISOR_COMMAND "vm-supervisor"

/*
 * At create, before the container's process is forked: reads the image's QEMU command line (the
 * .qemu file beside image, both inside the container's root, a descriptor of which is root), picks
 * the accelerator as the monitor does (KVM when its device opens read-write and is not PVM, else
 * TCG), writes the boot configuration of args (args[0] as its file name) and env into dir, and
 * listens on the serial ports' sockets there; uid and gid (negative: keep root's) become the owner
 * of those files, since QEMU runs as the container's user. image_fd is the VM image opened inside
 * the root, which QEMU gets instead of a path. Returns false with one line in err; files made so far
 * are removed by vm_remove_files.
 */
bool vm_prepare(struct vm *vm, int root, const char *image, int image_fd, char *const *args, size_t argc,
                char *const *env, size_t envc, const char *dir, long long uid, long long gid, char *err,
                size_t err_size);

/*
 * The container's process at start, as the container's user: keeps the serial ports' listeners and
 * the VM image, closes everything else and executes this runtime again as the supervisor
 * (VM_SUPERVISOR_COMMAND), so that what stays for the VM's life is a fresh process of a few pages
 * rather than a copy of `create`'s (its parsed configuration, heap and stack). Never returns.
 */
__attribute__((noreturn)) void vm_run(const struct vm *vm);

/*
 * `uniwasm-runtime vm-supervisor tcg|kvm stdin|no-stdin -- QEMU-ARGV...`, in the container's folder with the
 * listeners at 3..5 and the VM image at 6: starts QEMU and relays stdio until the VM ends, then
 * exits with the app's status (70 when the VM reported none), or dies of the signal that stopped
 * it. Returns (status 1, one line) only when not started that way.
 */
int vm_supervise(int argc, char **argv);

/* Removes what vm_prepare may have put into dir (delete; a failed create). */
void vm_remove_files(const char *dir);

/*
 * The boot configuration (kernel/README.md, "Boot configuration", version 1) of these arguments
 * and environment, args[0] replaced by its file name, with the no-stdin flag when no_stdin; NULL
 * with err set when an entry is not KEY=VALUE. *size gets its length.
 */
unsigned char *vm_boot_config(char *const *args, size_t argc, char *const *env, size_t envc, bool no_stdin,
                              size_t *size, char *err, size_t err_size);

#endif
