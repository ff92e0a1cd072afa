package io.beehive.scheduler.app.logs;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Text read in windows that end anywhere is the text read at once; agents are found by their pid. */
class Utf8PrefixTest {

    @Test
    void aCharacterCutByTheWindowIsLeftForTheNextOne() {
        byte[] text = "a\u00e9\u20ac\uD83D\uDCA5z".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 3 + 4 + 1 bytes
        // a window holds at least one whole character (4 bytes at most)
        for (int window = 4; window <= text.length; window++) {
            StringBuilder joined = new StringBuilder();
            int at = 0;
            while (at < text.length) {
                byte[] piece = Arrays.copyOfRange(text, at, Math.min(text.length, at + window));
                int complete = Utf8Prefix.complete(piece, at + piece.length >= text.length);
                assertThat(complete).as("window %d at %d", window, at).isPositive();
                joined.append(Utf8Prefix.text(piece, complete));
                at += complete;
            }
            assertThat(joined.toString()).as("window %d", window).isEqualTo("a\u00e9\u20ac\uD83D\uDCA5z");
        }
        assertThat(Utf8Prefix.complete(new byte[] {'a', (byte) 0xC3}, false)).isEqualTo(1);
        assertThat(Utf8Prefix.complete(new byte[] {'a', (byte) 0xC3}, true)).isEqualTo(2);
        assertThat(Utf8Prefix.complete(new byte[] {'a', (byte) 0xE2, (byte) 0x82}, false)).isEqualTo(1);
        assertThat(Utf8Prefix.complete(new byte[] {'a', (byte) 0xE2, (byte) 0x82, (byte) 0xAC}, false)).isEqualTo(4);
        // not UTF-8 at all: nothing is held back for ever
        assertThat(Utf8Prefix.complete(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80}, false))
                .isEqualTo(4);
    }

    @Test
    void anAgentIsReachedAtItsPidNotItsHostname() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(AgentDirectory.addressOf(json.readTree(
                "{\"id\":\"S0\",\"pid\":\"slave(1)@10.0.0.5:5051\",\"hostname\":\"agent-0\",\"port\":5051}")))
                .hasValueSatisfying(u -> assertThat(u.toString()).isEqualTo("http://10.0.0.5:5051"));
        assertThat(AgentDirectory.addressOf(json.readTree("{\"id\":\"S0\",\"hostname\":\"a1\",\"port\":5052}")))
                .hasValueSatisfying(u -> assertThat(u.toString()).isEqualTo("http://a1:5052"));
        assertThat(AgentDirectory.addressOf(json.readTree("{\"id\":\"S0\"}"))).isEmpty();
    }
}
