package dev.uniwasm.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The protocol-buffers wire format, as far as {@link Cri}'s messages need it: varints and
 * length-delimited fields (strings, nested messages, {@code map<string, string>} entries) written,
 * and every wire type read (the fixed ones kept as their bytes). A few hand-encoded messages are
 * less to carry than protoc's generated classes and a protobuf runtime for a dozen calls.
 */
final class Proto {
    private static final int VARINT = 0, FIXED64 = 1, LENGTH = 2, FIXED32 = 5;

    private Proto() {}

    /**
     * A message being written. Scalars at their default (0, "", false) are left out, as proto3
     * writes them; a nested message is written whenever given, so that an empty one is still present.
     */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer string(int field, String value) {
            if (value != null && !value.isEmpty()) bytes(field, value.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Writer strings(int field, List<String> values) {
            for (String v : values) bytes(field, v.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Writer varint(int field, long value) {
            if (value != 0) {
                tag(field, VARINT);
                raw(value);
            }
            return this;
        }

        Writer bool(int field, boolean value) {
            return varint(field, value ? 1 : 0);
        }

        Writer message(int field, Writer message) {
            bytes(field, message.toByteArray());
            return this;
        }

        /** A {@code map<string, string>}: one entry message (key 1, value 2) per pair. */
        Writer map(int field, Map<String, String> entries) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                message(field, new Writer().string(1, e.getKey()).string(2, e.getValue()));
            }
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        private void bytes(int field, byte[] value) {
            tag(field, LENGTH);
            raw(value.length);
            out.writeBytes(value);
        }

        private void tag(int field, int wireType) {
            raw(((long) field << 3) | wireType);
        }

        private void raw(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }
    }

    /** A message read: each field number's values in order (a varint as a Long, anything else as its bytes). */
    static final class Message {
        private final Map<Integer, List<Object>> fields = new LinkedHashMap<>();

        static Message parse(byte[] data) {
            Message m = new Message();
            int[] at = {0};
            while (at[0] < data.length) {
                long tag = readVarint(data, at);
                int field = (int) (tag >>> 3), type = (int) (tag & 7);
                if (field <= 0) throw new KitException("protobuf: field number " + field + " at byte " + at[0]);
                Object value = switch (type) {
                    case VARINT -> readVarint(data, at);
                    case FIXED64 -> take(data, at, 8);
                    case LENGTH -> {
                        long n = readVarint(data, at);
                        if (n < 0 || n > data.length - at[0])
                            throw new KitException("protobuf: field " + field + " runs past the message's end");
                        yield take(data, at, (int) n);
                    }
                    case FIXED32 -> take(data, at, 4);
                    default -> throw new KitException("protobuf: wire type " + type + " of field " + field);
                };
                m.fields.computeIfAbsent(field, k -> new ArrayList<>()).add(value);
            }
            return m;
        }

        /** The last value of a string field (proto3: the last one wins), or "". */
        String string(int field) {
            Object v = last(field);
            return v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : "";
        }

        List<String> strings(int field) {
            return fields.getOrDefault(field, List.of()).stream()
                    .map(v -> new String((byte[]) v, StandardCharsets.UTF_8))
                    .toList();
        }

        /** The last value of a varint field, or 0. */
        long varint(int field) {
            Object v = last(field);
            return v instanceof Long l ? l : 0;
        }

        boolean has(int field) {
            return fields.containsKey(field);
        }

        /** The nested message of a field, empty when absent. */
        Message message(int field) {
            Object v = last(field);
            return v instanceof byte[] b ? parse(b) : new Message();
        }

        List<Message> messages(int field) {
            return fields.getOrDefault(field, List.of()).stream()
                    .map(v -> parse((byte[]) v))
                    .toList();
        }

        Map<String, String> map(int field) {
            Map<String, String> m = new LinkedHashMap<>();
            for (Message e : messages(field)) m.put(e.string(1), e.string(2));
            return m;
        }

        private Object last(int field) {
            List<Object> vs = fields.get(field);
            return vs == null ? null : vs.getLast();
        }

        private static long readVarint(byte[] data, int[] at) {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (at[0] >= data.length) throw new KitException("protobuf: a varint runs past the message's end");
                int b = data[at[0]++] & 0xFF;
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) return v;
            }
            throw new KitException("protobuf: a varint longer than 10 bytes");
        }

        private static byte[] take(byte[] data, int[] at, int n) {
            if (n > data.length - at[0]) throw new KitException("protobuf: a field runs past the message's end");
            byte[] b = java.util.Arrays.copyOfRange(data, at[0], at[0] + n);
            at[0] += n;
            return b;
        }
    }
}
