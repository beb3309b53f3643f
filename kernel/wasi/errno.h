/* WASI preview1 errno values (the subset the kernel returns), shared by wasi/ and fs/. */
#ifndef KERNEL_WASI_ERRNO_H
#define KERNEL_WASI_ERRNO_H

enum wasi_errno {
    WASI_ESUCCESS = 0,
    WASI_EACCES = 2,
    WASI_EBADF = 8,
    WASI_EBUSY = 10,
    WASI_EEXIST = 20,
    WASI_EFAULT = 21,
    WASI_EFBIG = 22,
    WASI_EINVAL = 28,
    WASI_EIO = 29,
    WASI_EISDIR = 31,
    WASI_ELOOP = 32,
    WASI_EMFILE = 33,
    WASI_EMLINK = 34,
    WASI_ENAMETOOLONG = 37,
    WASI_ENOENT = 44,
    WASI_ENOMEM = 48,
    WASI_ENOSPC = 51,
    WASI_ENOSYS = 52,
    WASI_ENOTDIR = 54,
    WASI_ENOTEMPTY = 55,
    WASI_ENOTSUP = 58,
    WASI_EOVERFLOW = 61,
    WASI_EPERM = 63,
    WASI_EROFS = 69,
    WASI_ESPIPE = 70,
    WASI_EXDEV = 75,
    WASI_ENOTCAPABLE = 76,
};

#endif
