package dev.uniwasm.oci;

import java.util.regex.Pattern;

/**
 * An image name as Docker and containerd spell it: {@code [DOMAIN[:PORT]/]PATH[:TAG]}, normalised the
 * way {@code docker save} and nerdctl do, so that the name an archive carries is the one {@code ctr}
 * lists and runs: {@code hello} is {@code docker.io/library/hello:latest}, {@code me/hello:1} is
 * {@code docker.io/me/hello:1}, {@code localhost:5000/hello} keeps its domain.
 */
public record ImageReference(String domain, String path, String tag) {
    static final String DEFAULT_DOMAIN = "docker.io";
    static final String DEFAULT_TAG = "latest";
    /** Docker's limit on a whole name. */
    static final int MAX_NAME_LENGTH = 255;

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

    /** Parses {@code text}; a name that Docker would refuse is an {@link IllegalArgumentException} saying why. */
    public static ImageReference parse(String text) {
        if (text.isEmpty()) throw new IllegalArgumentException("empty image name");
        if (text.contains("@"))
            throw new IllegalArgumentException(
                    "'" + text + "': a digest (@sha256:...) names an existing image; give NAME[:TAG]");
        String rest = text;
        String tag = DEFAULT_TAG;
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > slash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("'" + text + "': tag '" + tag
                        + "' is not 1 to 128 letters, digits, '_', '.' " + "or '-' (not starting with '.' or '-')");
            }
        }
        String domain = DEFAULT_DOMAIN;
        int first = rest.indexOf('/');
        if (first >= 0) {
            String head = rest.substring(0, first);
            if (head.contains(".")
                    || head.contains(":")
                    || head.equals("localhost")
                    || !head.equals(head.toLowerCase())) {
                if (!DOMAIN.matcher(head).matches())
                    throw new IllegalArgumentException("'" + text + "': '" + head + "' is not a registry host[:port]");
                domain = head;
                rest = rest.substring(first + 1);
            }
        }
        String path = domain.equals(DEFAULT_DOMAIN) && !rest.contains("/") ? "library/" + rest : rest;
        for (String component : path.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException(
                        "'" + text + "': '" + component + "' is not a valid name component (lower-case "
                                + "letters and digits, separated by '.', '_', '__' or '-')");
            }
        }
        ImageReference ref = new ImageReference(domain, path, tag);
        if (ref.name().length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("'" + text + "': longer than " + MAX_NAME_LENGTH + " characters");
        }
        return ref;
    }

    /** The full name with its tag, as {@code ctr images ls} shows it. */
    @Override
    public String toString() {
        return name() + ":" + tag;
    }

    /** The name without its tag. */
    public String name() {
        return domain + "/" + path;
    }
}
