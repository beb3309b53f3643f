package dev.uniwasm.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive's layout, digests and documents, read back with a tar reader of the test's own. */
class WasmImageTest {
    @TempDir
    Path dir;

    @Test
    void namesAreNormalisedAsDockerDoes() {
        assertEquals(
                "docker.io/library/hello:latest", ImageReference.parse("hello").toString());
        assertEquals(
                "docker.io/me/hello:1.0", ImageReference.parse("me/hello:1.0").toString());
        assertEquals(
                "localhost:5000/a/b:x",
                ImageReference.parse("localhost:5000/a/b:x").toString());
        assertEquals(
                "ghcr.io/o/app:v_1", ImageReference.parse("ghcr.io/o/app:v_1").toString());
        for (String bad : List.of("", "Hello", "a//b", "a:", "a:-x", "a@sha256:00", "a b", "-a")) {
            assertThrows(IllegalArgumentException.class, () -> ImageReference.parse(bad), bad);
        }
    }

    @Test
    void paxRecordCountsItsOwnLength() {
        byte[] r = TarWriter.paxRecord("path", "x".repeat(200));
        String s = new String(r, StandardCharsets.UTF_8);
        assertEquals(Integer.parseInt(s.substring(0, s.indexOf(' '))), r.length);
        // 98 bytes besides the length: two digits would make 100, so the length is 101
        byte[] edge = TarWriter.paxRecord("path", "y".repeat(91));
        String e = new String(edge, StandardCharsets.UTF_8);
        assertEquals(101, edge.length);
        assertTrue(e.startsWith("101 path="), e);
    }

    @Test
    void theArchiveIsAnImageLayoutForWasiWasmWithTheModuleAndItsCompiledForm() throws IOException {
        Path module = Files.write(dir.resolve("app.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        Path exe = Files.write(dir.resolve("exe"), "not really an executable".getBytes(StandardCharsets.US_ASCII));
        Path out = dir.resolve("app.tar");
        Path vm = Files.write(dir.resolve("vm"), "not really a VM image".getBytes(StandardCharsets.US_ASCII));
        WasmImage.Written w = WasmImage.write(
                new WasmImage.Spec(
                        ImageReference.parse("app:2"),
                        "app.wasm",
                        module,
                        exe,
                        vm,
                        "uniwasm-qemu 1\n",
                        List.of("a", "b c"),
                        List.of("K=V"),
                        "test"),
                out);
        Map<String, byte[]> files = untar(Files.readAllBytes(out));
        assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", text(files.get("oci-layout")));
        String index = text(files.get("index.json"));
        assertTrue(index.contains("\"platform\":{\"architecture\":\"wasm\",\"os\":\"wasi\"}"), index);
        assertTrue(index.contains("\"io.containerd.image.name\":\"docker.io/library/app:2\""), index);
        assertTrue(index.contains("\"org.opencontainers.image.ref.name\":\"2\""), index);
        assertTrue(index.contains(w.manifestDigest()), index);
        // every blob is named by its digest
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            if (e.getKey().startsWith("blobs/sha256/") && e.getValue() != null) {
                assertEquals(
                        e.getKey().substring("blobs/sha256/".length()), WasmImage.sha256(e.getValue()), e.getKey());
            }
        }
        String manifest = text(files.get(WasmImage.blobPath(w.manifestDigest())));
        String configDigest = manifest.replaceAll(".*\"config\":\\{[^}]*\"digest\":\"(sha256:[0-9a-f]+)\".*", "$1");
        String layerDigest = manifest.replaceAll(".*\"layers\":\\[\\{[^}]*\"digest\":\"(sha256:[0-9a-f]+)\".*", "$1");
        String config = text(files.get(WasmImage.blobPath(configDigest)));
        assertTrue(
                config.startsWith("{\"architecture\":\"wasm\",\"os\":\"wasi\",\"config\":{\"Env\":[\"K=V\"],"
                        + "\"Entrypoint\":[\"/app.wasm\"],\"Cmd\":[\"a\",\"b c\"]"),
                config);
        byte[] layerTar = new GZIPInputStream(
                        new java.io.ByteArrayInputStream(files.get(WasmImage.blobPath(layerDigest))))
                .readAllBytes();
        assertTrue(config.contains("\"diff_ids\":[\"sha256:" + WasmImage.sha256(layerTar) + "\"]"), config);
        Map<String, byte[]> layer = untar(layerTar);
        assertEquals(
                List.of(
                        "app.wasm",
                        ".uniwasm/",
                        ".uniwasm/app.wasm.x86_64-linux",
                        ".uniwasm/app.wasm.x86_64-pvh",
                        ".uniwasm/app.wasm.x86_64-pvh.qemu",
                        ".uniwasm/app.wasm.source"),
                List.copyOf(layer.keySet()));
        assertArrayEquals(Files.readAllBytes(vm), layer.get(".uniwasm/app.wasm.x86_64-pvh"));
        assertEquals("uniwasm-qemu 1\n", text(layer.get(".uniwasm/app.wasm.x86_64-pvh.qemu")));
        assertArrayEquals(Files.readAllBytes(module), layer.get("app.wasm"));
        assertArrayEquals(Files.readAllBytes(exe), layer.get(".uniwasm/app.wasm.x86_64-linux"));
        assertEquals(w.moduleDigest() + " 8\n", text(layer.get(".uniwasm/app.wasm.source")));
        // the same inputs make the same bytes
        Path again = dir.resolve("again.tar");
        WasmImage.write(
                new WasmImage.Spec(
                        ImageReference.parse("app:2"),
                        "app.wasm",
                        module,
                        exe,
                        vm,
                        "uniwasm-qemu 1\n",
                        List.of("a", "b c"),
                        List.of("K=V"),
                        "test"),
                again);
        assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(again));
    }

    @Test
    void eitherFormAlone() throws IOException {
        Path module = Files.write(dir.resolve("one.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        Path vm = Files.write(dir.resolve("vm"), new byte[] {1});
        Path out = dir.resolve("vm.tar");
        WasmImage.Written w = WasmImage.write(
                new WasmImage.Spec(
                        ImageReference.parse("one"), "one.wasm", module, null, vm, "q\n", List.of(), List.of(), "test"),
                out);
        assertEquals(
                List.of(
                        "one.wasm",
                        ".uniwasm/",
                        ".uniwasm/one.wasm.x86_64-pvh",
                        ".uniwasm/one.wasm.x86_64-pvh.qemu",
                        ".uniwasm/one.wasm.source"),
                List.copyOf(layer(out, w).keySet()));
        assertThrows(
                IllegalArgumentException.class,
                () -> new WasmImage.Spec(
                        ImageReference.parse("one"), "one.wasm", module, null, vm, null, List.of(), List.of(), "test"));
    }

    @Test
    void withoutAnExecutableTheLayerHoldsTheModuleAloneAsOtherToolsWrite() throws IOException {
        Path module = Files.write(dir.resolve("app.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        Path out = dir.resolve("plain.tar");
        WasmImage.Written w = WasmImage.write(
                new WasmImage.Spec(
                        ImageReference.parse("plain"),
                        "app.wasm",
                        module,
                        null,
                        null,
                        null,
                        List.of(),
                        List.of(),
                        "test"),
                out);
        Map<String, byte[]> layer = layer(out, w);
        assertEquals(List.of("app.wasm"), List.copyOf(layer.keySet()));
        assertArrayEquals(Files.readAllBytes(module), layer.get("app.wasm"));
    }

    /** The entries of the one layer of the archive out. */
    private static Map<String, byte[]> layer(Path out, WasmImage.Written w) throws IOException {
        Map<String, byte[]> files = untar(Files.readAllBytes(out));
        String manifest = text(files.get(WasmImage.blobPath(w.manifestDigest())));
        String layerDigest = manifest.replaceAll(".*\"layers\":\\[\\{[^}]*\"digest\":\"(sha256:[0-9a-f]+)\".*", "$1");
        return untar(new GZIPInputStream(new java.io.ByteArrayInputStream(files.get(WasmImage.blobPath(layerDigest))))
                .readAllBytes());
    }

    @Test
    void longNamesTravelInPaxHeaders() throws IOException {
        String name = "d/".repeat(70) + "file";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarWriter tar = new TarWriter(bytes, 0)) {
            tar.file(name, new byte[] {1, 2, 3}, 0644);
        }
        Map<String, byte[]> files = untar(bytes.toByteArray());
        assertArrayEquals(new byte[] {1, 2, 3}, files.get(name));
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Entries by name (directories with null contents), checking each header's checksum. */
    static Map<String, byte[]> untar(byte[] tar) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        String longName = null;
        int at = 0;
        while (at + 512 <= tar.length) {
            byte[] h = java.util.Arrays.copyOfRange(tar, at, at + 512);
            if (java.util.Arrays.equals(h, new byte[512])) break;
            long sum = 0;
            for (int i = 0; i < 512; i++) sum += (i >= 148 && i < 156) ? ' ' : h[i] & 0xff;
            assertEquals(sum, Long.parseLong(field(h, 148, 8), 8), "checksum at " + at);
            String name = longName != null ? longName : field(h, 0, 100);
            long size = Long.parseLong(field(h, 124, 12), 8);
            byte[] data = java.util.Arrays.copyOfRange(tar, at + 512, at + 512 + (int) size);
            char type = (char) h[156];
            at += 512 + (int) ((size + 511) / 512 * 512);
            if (type == 'x') {
                String record = text(data);
                longName = record.substring(record.indexOf("path=") + 5, record.length() - 1);
                continue;
            }
            longName = null;
            files.put(name, type == '5' ? null : data);
        }
        return files;
    }

    private static String field(byte[] h, int at, int width) {
        int end = at;
        while (end < at + width && h[end] != 0) end++;
        return new String(h, at, end - at, StandardCharsets.UTF_8).trim();
    }
}
