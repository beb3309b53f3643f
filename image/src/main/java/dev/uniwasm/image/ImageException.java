package dev.uniwasm.image;

/** Any failure to build or link an image: bad imports, a failing tool, an unreadable file. */
public class ImageException extends RuntimeException {
    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
