package dev.uniwasm.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cri's wire encoding and its log reader, without containerd: bytes as protobuf writes them, CRI log lines. */
class CriMessagesTest {
    @TempDir
    Path dir;

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** The encoding guide's own examples: 150 in field 1, "testing" in field 2, a message in field 3. */
    @Test
    void writesWhatProtobufWrites() {
        assertArrayEquals(hex("08 96 01"), new Proto.Writer().varint(1, 150).toByteArray());
        assertArrayEquals(
                hex("12 07 74 65 73 74 69 6e 67"),
                new Proto.Writer().string(2, "testing").toByteArray());
        assertArrayEquals(
                hex("1a 03 08 96 01"),
                new Proto.Writer().message(3, new Proto.Writer().varint(1, 150)).toByteArray());
        // proto3 leaves defaults out, but an empty nested message is still there
        assertArrayEquals(
                new byte[0],
                new Proto.Writer().varint(1, 0).string(2, "").bool(3, false).toByteArray());
        assertArrayEquals(
                hex("0a 00"), new Proto.Writer().message(1, new Proto.Writer()).toByteArray());
        // a map<string, string> is one entry message per pair
        assertArrayEquals(
                hex("3a 06 0a 01 6b 12 01 76"),
                new Proto.Writer().map(7, Map.of("k", "v")).toByteArray());
    }

    @Test
    void readsEveryWireTypeAndKeepsTheLastValue() {
        // int32 -1 (a ten-byte varint), a fixed64, a fixed32, a string written twice, repeated strings, a map
        byte[] data = hex("38 ff ff ff ff ff ff ff ff ff 01" + "11 01 02 03 04 05 06 07 08" + "1d 01 02 03 04"
                + "22 01 61 22 01 62" + "2a 01 78 2a 01 79" + "32 06 0a 01 6b 12 01 76");
        Proto.Message m = Proto.Message.parse(data);
        assertEquals(-1, (int) m.varint(7));
        assertEquals("b", m.string(4));
        assertEquals(List.of("x", "y"), m.strings(5));
        assertEquals(Map.of("k", "v"), m.map(6));
        assertEquals("", m.string(9));
        assertEquals(0, m.varint(9));
        assertTrue(!m.message(9).has(1));

        KitException e = assertThrows(KitException.class, () -> Proto.Message.parse(hex("12 05 61")));
        assertEquals("protobuf: field 2 runs past the message's end", e.getMessage());
        e = assertThrows(KitException.class, () -> Proto.Message.parse(hex("08 96")));
        assertEquals("protobuf: a varint runs past the message's end", e.getMessage());
    }

    /** A pod's config as RunPodSandbox sends it: metadata, log folder, annotations, the node's network. */
    @Test
    void encodesAPodWithTheNodesNetwork() {
        Cri.Pod pod = new Cri.Pod("p", "ns", "u", Path.of("/l"), "/cg", Map.of("a", "b"));
        Proto.Message m = Proto.Message.parse(pod.encode().toByteArray());
        assertEquals("p", m.message(1).string(1));
        assertEquals("u", m.message(1).string(2));
        assertEquals("ns", m.message(1).string(3));
        assertEquals("/l", m.string(3));
        assertEquals(Map.of("a", "b"), m.map(7));
        Proto.Message linux = m.message(8);
        assertEquals("/cg", linux.string(1));
        Proto.Message namespaces = linux.message(2).message(1);
        assertEquals(2, namespaces.varint(1), "network: NODE");
        assertEquals(1, namespaces.varint(2), "pid: CONTAINER");

        Cri.Container c = new Cri.Container(
                "c", "img", List.of(), List.of("x"), Map.of("K", "V"), Map.of("dev.uniwasm.isolation", "vm"), "c.log");
        Proto.Message cm = Proto.Message.parse(c.encode().toByteArray());
        assertEquals("c", cm.message(1).string(1));
        assertEquals("img", cm.message(2).string(1));
        assertEquals(List.of("x"), cm.strings(4));
        assertEquals("K", cm.message(6).string(1));
        assertEquals(Map.of("dev.uniwasm.isolation", "vm"), cm.map(10));
        assertEquals("c.log", cm.string(11));
        assertEquals(2, cm.message(15).message(2).message(3).varint(1));
    }

    /** The CRI log: a stream's text, partial lines joined, the other stream left out. */
    @Test
    void readsTheCriLogFormat() throws Exception {
        Path log = Files.writeString(
                dir.resolve("c.log"),
                "2026-01-01T00:00:00.000000001Z stdout P hel\n"
                        + "2026-01-01T00:00:00.000000002Z stderr F on stderr\n"
                        + "2026-01-01T00:00:00.000000003Z stdout F lo world\n"
                        + "2026-01-01T00:00:00.000000004Z stdout F \n");
        assertEquals("hello world\n\n", Cri.logText(log, "stdout"));
        assertEquals("on stderr\n", Cri.logText(log, "stderr"));
        Files.writeString(log, "not a log line\n");
        KitException e = assertThrows(KitException.class, () -> Cri.logText(log, "stdout"));
        assertEquals("not a CRI log line in " + log + ": not a log line", e.getMessage());
    }
}
