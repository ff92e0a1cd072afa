package io.beehive.local.conformance;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Makes an event's JSON text comparable with a recorded one: ids, uuids, timestamps, ports and pids differ
 * between runs and masters; everything else (field names, order, number printing, defaults, nesting) must not.
 */
final class Normalizer {

    private record Rule(Pattern pattern, String replacement) {}

    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-O\\d+"), "<OFFER>"),
            new Rule(Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-S\\d+"), "<AGENT>"),
            new Rule(Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-\\d{4,}"), "<FRAMEWORK>"),
            new Rule(Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<UUID>"),
            new Rule(Pattern.compile("\"timestamp\":[0-9]+(\\.[0-9]+)?"), "\"timestamp\":<TIME>"),
            new Rule(Pattern.compile("\"uuid\":\"[A-Za-z0-9+/]{22}==\""), "\"uuid\":<UUID16>"),
            new Rule(Pattern.compile("\"port\":[0-9]+"), "\"port\":<PORT>"),
            new Rule(Pattern.compile("\"pid\":\"master@127\\.0\\.0\\.1:[0-9]+\""), "\"pid\":\"master@127.0.0.1:<PORT>\""),
            new Rule(Pattern.compile("\"executor_pid\":[0-9]+"), "\"executor_pid\":<PID>"));

    private Normalizer() {}

    static String normalize(String json) {
        String s = json;
        for (Rule rule : RULES) {
            s = rule.pattern.matcher(s).replaceAll(rule.replacement);
        }
        return s;
    }
}
