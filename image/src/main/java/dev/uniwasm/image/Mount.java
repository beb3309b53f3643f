package dev.uniwasm.image;

/**
 * A directory the app sees at {@code guestPath}: either a packed file-system image ({@link FsImage})
 * served read-only in place or as a writable in-memory copy, or an empty tmpfs that may hold at most
 * {@code sizeLimit} bytes of file data. The kernel pre-opens every mount, in order, as fd 3, 4, ...
 */
public record Mount(String guestPath, Kind kind, FsImage image, long sizeLimit) {
    /** The kind codes of the boot configuration's mount table (kernel/README.md). */
    public enum Kind {
        IMAGE_READ_ONLY(1),
        IMAGE_WRITABLE(2),
        TMPFS(3);

        final int code;

        Kind(int code) {
            this.code = code;
        }
    }

    public Mount {
        if (guestPath == null || guestPath.isEmpty()) throw new ImageException("a mount needs a non-empty guest path");
        if (guestPath.indexOf('\0') >= 0)
            throw new ImageException("guest path \"" + guestPath + "\" contains a NUL character");
        if (guestPath.length() > 4096) throw new ImageException("guest path longer than 4096 characters");
        if ((kind == Kind.TMPFS) != (image == null))
            throw new ImageException("a tmpfs has no image and an image mount needs one");
        if (sizeLimit < 0) throw new ImageException("tmpfs size limit " + sizeLimit + " is negative");
    }

    public static Mount image(String guestPath, FsImage image, boolean writable) {
        return new Mount(guestPath, writable ? Kind.IMAGE_WRITABLE : Kind.IMAGE_READ_ONLY, image, 0);
    }

    /** An empty writable directory; {@code sizeLimit} 0 means bounded only by guest memory. */
    public static Mount tmpfs(String guestPath, long sizeLimit) {
        return new Mount(guestPath, Kind.TMPFS, null, sizeLimit);
    }
}
