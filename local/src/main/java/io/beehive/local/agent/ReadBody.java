package io.beehive.local.agent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The body of {@code /files/read}, {@code {"data":"...","offset":N}}, written as Mesos's rapidjson writer does:
 * {@code "}, {@code \} and control characters escaped, every other byte copied as it is. A read that ends inside
 * a multi-byte character therefore carries its first bytes unchanged, and a client counts offsets in bytes.
 */
final class ReadBody {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private ReadBody() {}

    static byte[] of(byte[] data, long offset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 32);
        out.writeBytes("{\"data\":".getBytes(StandardCharsets.US_ASCII));
        string(out, data);
        out.writeBytes((",\"offset\":" + offset + "}").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static String quote(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        string(out, text.getBytes(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void string(ByteArrayOutputStream out, byte[] bytes) {
        out.write('"');
        for (byte b : bytes) {
            int c = b & 0xff;
            switch (c) {
                case '"' -> out.writeBytes(new byte[] {'\\', '"'});
                case '\\' -> out.writeBytes(new byte[] {'\\', '\\'});
                case '\b' -> out.writeBytes(new byte[] {'\\', 'b'});
                case '\f' -> out.writeBytes(new byte[] {'\\', 'f'});
                case '\n' -> out.writeBytes(new byte[] {'\\', 'n'});
                case '\r' -> out.writeBytes(new byte[] {'\\', 'r'});
                case '\t' -> out.writeBytes(new byte[] {'\\', 't'});
                default -> {
                    if (c < 0x20) {
                        out.writeBytes(new byte[] {'\\', 'u', '0', '0', HEX[c >> 4], HEX[c & 0xf]});
                    } else {
                        out.write(c);
                    }
                }
            }
        }
        out.write('"');
    }
}
