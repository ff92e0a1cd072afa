package io.beehive.local.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sections of a trace written by {@code record_11.py} (trace 11): each starts with {@code ## [t=...] title};
 * an exchange holds the request, a dashed line, then the raw response (status line, headers, blank line, body).
 */
final class RecordedSections {

    /** One recorded section; {@code status} is 0 for a section that is not an HTTP exchange. */
    record Section(String title, List<String> lines, int status, List<String> headers, String body) {

        String header(String name) {
            return headers.stream().filter(h -> h.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                    .map(h -> h.substring(name.length() + 1).trim()).findFirst().orElse(null);
        }

        /** The rest of the first line that starts with {@code prefix}, e.g. {@code "[event] "}. */
        String line(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                    .findFirst().orElseThrow(() -> new AssertionError("no '" + prefix + "' line in " + title));
        }
    }

    private final Map<String, Section> byTitle = new LinkedHashMap<>();

    private RecordedSections(String text) {
        String[] parts = text.split("\n={78}\n## ");
        for (int i = 1; i < parts.length; i++) {
            String[] lines = parts[i].split("\n", -1);
            String title = lines[0].replaceFirst("^\\[t=[0-9.]+] ", "");
            List<String> body = List.of(lines).subList(1, lines.length);
            byTitle.put(title, parse(title, body));
        }
    }

    static RecordedSections of(String traceName) {
        return new RecordedSections(TraceFile.resource(traceName));
    }

    /** The section whose title starts with {@code prefix}. */
    Section get(String prefix) {
        return byTitle.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue)
                .findFirst().orElseThrow(() -> new AssertionError("no section '" + prefix + "' in " + byTitle.keySet()));
    }

    private static Section parse(String title, List<String> lines) {
        int dashes = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("-{78}") && i + 1 < lines.size() && lines.get(i + 1).startsWith("HTTP/1.1 ")) {
                dashes = i;
                break;
            }
        }
        if (dashes < 0) {
            return new Section(title, lines, 0, List.of(), "");
        }
        String statusLine = lines.get(dashes + 1);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        List<String> headers = new ArrayList<>();
        int i = dashes + 2;
        for (; i < lines.size() && !lines.get(i).isEmpty(); i++) {
            headers.add(lines.get(i));
        }
        String body = String.join("\n", lines.subList(Math.min(i + 1, lines.size()), lines.size())).strip();
        return new Section(title, lines, status, headers, body);
    }
}
