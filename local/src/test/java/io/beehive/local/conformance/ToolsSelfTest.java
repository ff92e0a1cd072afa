package io.beehive.local.conformance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The suite's own tools, checked on the bytes a real master produced, so a failing conformance test is the master's fault. */
class ToolsSelfTest {

    @Test
    void recordIoReaderSplitsTheRealSubscribeStreamIntoItsFourRecords() {
        List<RecordIoReader.Record> records = TraceFile.records("02-subscribe.body.raw");
        assertThat(records).extracting(RecordIoReader.Record::lengthText).containsExactly("431", "20", "673", "20");
        assertThat(records.get(1).text()).isEqualTo("{\"type\":\"HEARTBEAT\"}");
        assertThat(Wire.JSON.decode(records.get(0).payload()).getType()).isEqualTo(Event.Type.SUBSCRIBED);
        assertThat(Wire.JSON.decode(records.get(2).payload()).getOffers().getOffersCount()).isEqualTo(1);
    }

    @Test
    void recordIoReaderRejectsSloppyFraming() {
        for (String bad : List.of("-5\nabcde", "05\nabcde", "5\r\nabcde", "x\n", "10\nshort")) {
            RecordIoReader reader = new RecordIoReader(new ByteArrayInputStream(bad.getBytes(StandardCharsets.US_ASCII)));
            assertThatThrownBy(reader::next).as(bad).isInstanceOf(IOException.class);
        }
    }

    @Test
    void chunkedDecoderIgnoresChunkBoundaries() throws IOException {
        String chunked = "3\r\n20\n\r\n5\r\n{\"typ\r\n0c\r\ne\":\"HEARTBEA\r\n2\r\nT\"\r\n1\r\n}\r\n0\r\n\r\n";
        RecordIoReader reader = new RecordIoReader(new ChunkedInputStream(
                new ByteArrayInputStream(chunked.getBytes(StandardCharsets.US_ASCII))));
        assertThat(reader.next().text()).isEqualTo("{\"type\":\"HEARTBEAT\"}");
        assertThat(reader.next()).isNull();
    }

    @Test
    void traceParserFindsEveryErrorCaseWithItsResponse() {
        List<TraceFile.Exchange> cases = TraceFile.exchanges("04-error-cases.txt");
        assertThat(cases).hasSize(8);
        TraceFile.Exchange get = cases.get(4);
        assertThat(get.method()).isEqualTo("GET");
        assertThat(get.statusLine()).isEqualTo("HTTP/1.1 405 Method Not Allowed");
        assertThat(get.responseHeader("Allow")).isEqualTo("POST");
        assertThat(get.responseBody()).isEqualTo("405 Method Not Allowed. Expecting one of { 'POST' }, but received 'GET'.");
        assertThat(cases.get(0).body()).isEqualTo("{\"type\":\"SUBSCRIBE\"}");
        assertThat(cases.get(0).responseBody().length()).isEqualTo(71);
    }

    @Test
    void normalizerErasesOnlyRunSpecificValues() {
        String subscribed = TraceFile.records("02-subscribe.body.raw").get(0).text();
        assertThat(Normalizer.normalize(subscribed)).isEqualTo("{\"type\":\"SUBSCRIBED\",\"subscribed\":{\"framework_id\":"
                + "{\"value\":\"<FRAMEWORK>\"},\"heartbeat_interval_seconds\":15.0,\"master_info\":{\"id\":\"<UUID>\","
                + "\"ip\":16777343,\"port\":<PORT>,\"pid\":\"master@127.0.0.1:<PORT>\",\"hostname\":\"localhost\","
                + "\"version\":\"1.11.0\",\"address\":{\"hostname\":\"localhost\",\"ip\":\"127.0.0.1\",\"port\":<PORT>},"
                + "\"capabilities\":[{\"type\":\"AGENT_UPDATE\"},{\"type\":\"AGENT_DRAINING\"},{}]}}}");
    }

    @Test
    void chunkedDecoderHandsOverACompleteRecordBeforeTheChunksClosingCrlfArrives() throws IOException {
        // Jetty sends the CRLF that closes a chunk together with the next chunk: the record must not wait for it
        java.io.PipedOutputStream server = new java.io.PipedOutputStream();
        java.io.PipedInputStream client = new java.io.PipedInputStream(server);
        server.write("17\r\n20\n{\"type\":\"HEARTBEAT\"}".getBytes(StandardCharsets.US_ASCII));
        server.flush();
        RecordIoReader reader = new RecordIoReader(new ChunkedInputStream(client));
        assertThat(reader.next().text()).isEqualTo("{\"type\":\"HEARTBEAT\"}");
        server.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        server.close();
        assertThat(reader.next()).isNull();
    }
}
