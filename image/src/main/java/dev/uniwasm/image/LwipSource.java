package dev.uniwasm.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * lwIP, the guest's TCP/IP stack, taken from Debian's source package at build time and never
 * committed ({@link DebianSource}: a private apt configuration under {@code build/third_party/apt/},
 * the SHA-256 sums pinned here, {@code dpkg-source -x} with Debian's patches) into
 * {@code build/third_party/lwip-<version>/}.
 */
public final class LwipSource {
    /** Upstream release; part of the kernel archive's cache key. */
    public static final String VERSION = "2.1.3";

    static final String DEBIAN_VERSION = "2.1.3+dfsg1-2";
    /** The three files of the source package and their SHA-256, as listed in bookworm's Sources. */
    private static final DebianSource PACKAGE = new DebianSource(
            "lwIP",
            "lwip",
            DEBIAN_VERSION,
            Map.of(
                    "lwip_2.1.3+dfsg1-2.dsc", "8d8f944db8e6d542fc2d6f01559078fb1b5dda71651c67ee5fa3571ed1342c50",
                    "lwip_2.1.3+dfsg1.orig.tar.xz", "0a8276d09fc4e97bbba2f953d74af2388fc2195ea156be9d7589e297a68fde24",
                    "lwip_2.1.3+dfsg1-2.debian.tar.xz",
                            "c5a48413d362cc757032cdd58f528f75eb64ee781ca46ca24f010b49b0e62a90"));

    private LwipSource() {}

    /** The unpacked source tree (holding {@code src/core}, {@code src/include}), fetching it first when needed. */
    public static Path tree(Path repositoryRoot) {
        Path thirdParty = repositoryRoot.resolve("build").resolve("third_party");
        return PACKAGE.tree(thirdParty, "lwip-" + VERSION, tmp -> {
            if (!Files.isRegularFile(tmp.resolve("src/core/tcp.c"))
                    || !Files.isRegularFile(tmp.resolve("src/include/lwip/init.h"))) {
                throw new ImageException("lwIP source package unpacked into " + tmp
                        + " lacks src/core/tcp.c or src/include/lwip/init.h");
            }
            checkReleaseVersion(tmp.resolve("src/include/lwip/init.h"));
        });
    }

    private static void checkReleaseVersion(Path initH) throws IOException {
        String text = Files.readString(initH, StandardCharsets.ISO_8859_1);
        String[] parts = VERSION.split("\\.");
        String[] macros = {"LWIP_VERSION_MAJOR", "LWIP_VERSION_MINOR", "LWIP_VERSION_REVISION"};
        for (int i = 0; i < 3; i++) {
            if (!text.matches("(?s).*#define " + macros[i] + "\\s+" + parts[i] + "\\b.*")) {
                throw new ImageException(initH + " does not declare lwIP " + VERSION + " (" + macros[i] + " differs)");
            }
        }
    }
}
