package io.beehive.local.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recorded exchange with a real Mesos 1.11 master (src/test/resources/conformance/traces, copied from
 * ../shared/mesos-traces): each "## title" section holds the curl command and, for plain requests, the full
 * response as curl -i printed it. The suite replays the command against the local master and compares.
 */
final class TraceFile {

    /** One request/response pair of a trace. */
    record Exchange(String title, String method, String path, Map<String, String> headers, String body,
                    String statusLine, List<String> responseHeaders, String responseBody) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }

        String responseHeader(String name) {
            return responseHeaders.stream().filter(h -> h.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                    .map(h -> h.substring(name.length() + 1).trim()).findFirst().orElse(null);
        }
    }

    private static final Pattern QUOTED_OPTION = Pattern.compile("(-X|-H|-d) (?:'([^']*)'|(\\S+))");
    private static final Pattern URL = Pattern.compile("http://127\\.0\\.0\\.1:5050(\\S*)");

    private TraceFile() {}

    static String resource(String name) {
        try (InputStream in = TraceFile.class.getResourceAsStream("/conformance/traces/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no trace resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] resourceBytes(String name) {
        try (InputStream in = TraceFile.class.getResourceAsStream("/conformance/traces/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The non-streaming exchanges (curl -i) of a trace file, in order. */
    static List<Exchange> exchanges(String name) {
        List<Exchange> result = new ArrayList<>();
        String[] sections = resource(name).split("\r?\n={20,}\r?\n");
        for (String section : sections) {
            String[] lines = section.split("\r?\n", -1); // curl -i keeps the CRLFs of the response head
            if (lines.length < 2 || !lines[0].startsWith("## ") || !lines[1].startsWith("$ curl -sS -i")) {
                continue;
            }
            String title = lines[0].substring(3);
            String command = lines[1];
            String method = "GET";
            Map<String, String> headers = new LinkedHashMap<>();
            String body = null;
            Matcher m = QUOTED_OPTION.matcher(command);
            while (m.find()) {
                String value = m.group(2) != null ? m.group(2) : m.group(3);
                switch (m.group(1)) {
                    case "-X" -> method = value;
                    case "-H" -> {
                        int colon = value.indexOf(':');
                        headers.put(value.substring(0, colon).trim(), value.substring(colon + 1).trim());
                    }
                    default -> body = value;
                }
            }
            if (body != null && method.equals("GET")) {
                method = "POST";
            }
            if (body != null && !headers.containsKey("Content-Type")) {
                headers.put("Content-Type", "application/x-www-form-urlencoded"); // what curl -d sends
            }
            Matcher url = URL.matcher(command);
            if (!url.find()) {
                continue;
            }
            // lines[2] is the dashed separator; then the response as curl -i printed it
            int i = 3;
            String statusLine = lines[i++];
            List<String> responseHeaders = new ArrayList<>();
            while (i < lines.length && !lines[i].isEmpty()) {
                responseHeaders.add(lines[i++]);
            }
            i++;
            StringBuilder responseBody = new StringBuilder();
            while (i < lines.length && !lines[i].startsWith("[curl exit")) {
                responseBody.append(lines[i++]).append('\n');
            }
            String text = responseBody.toString();
            // curl printed the body then a newline before its "[curl exit" line
            if (text.endsWith("\n")) {
                text = text.substring(0, text.length() - 1);
            }
            result.add(new Exchange(title, method, url.group(1), headers, body, statusLine, responseHeaders, text));
        }
        return result;
    }

    /** A streamed event of the 06–10 traces: seconds since SUBSCRIBE, the record's length prefix, the verbatim JSON. */
    record StreamedEvent(double at, int length, String json) {
        /** The {@code update.status} object's text is all of the record but its envelope. */
        boolean isUpdateOf(String taskId) {
            return json.startsWith("{\"type\":\"UPDATE\"")
                    && json.contains("\"status\":{\"task_id\":{\"value\":\"" + taskId + "\"}");
        }
    }

    private static final Pattern STREAMED = Pattern.compile("^\\[t=([0-9.]+)\\] <recordio len=(\\d+)> (\\{.*\\})$",
            Pattern.MULTILINE);

    /** Every streamed event of a 06–10 trace ({@code [t=...] <recordio len=N> {...}} lines), in order. */
    static List<StreamedEvent> streamedEvents(String name) {
        List<StreamedEvent> events = new ArrayList<>();
        Matcher m = STREAMED.matcher(resource(name));
        while (m.find()) {
            events.add(new StreamedEvent(Double.parseDouble(m.group(1)), Integer.parseInt(m.group(2)), m.group(3)));
        }
        return events;
    }

    /** The UPDATE events of one task in a 06–10 trace, in order. */
    static List<StreamedEvent> updatesOf(String name, String taskId) {
        return streamedEvents(name).stream().filter(e -> e.isUpdateOf(taskId)).toList();
    }

    /** The streamed records of a trace's raw body file. */
    static List<RecordIoReader.Record> records(String rawBodyName) {
        RecordIoReader reader = new RecordIoReader(new java.io.ByteArrayInputStream(resourceBytes(rawBodyName)));
        List<RecordIoReader.Record> records = new ArrayList<>();
        try {
            RecordIoReader.Record r;
            while ((r = reader.next()) != null) {
                records.add(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }
}
