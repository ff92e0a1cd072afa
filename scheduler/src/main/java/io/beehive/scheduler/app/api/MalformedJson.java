package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamReadException;

/**
 * A request body that is not JSON at all gets 400 with where the parser stopped and why (Dropwizard's own answer is a bare
 * "Unable to process JSON", which leaves the client guessing). A member given twice in one object is well-formed
 * but ambiguous (which one did the client mean?), so it is a 422 naming the member, like any other field the
 * endpoint refuses.
 */
final class MalformedJson {
    private static final String DUPLICATE = "Duplicate field '";

    private MalformedJson() {}

    static ApiProblem problem(StreamReadException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (message.startsWith(DUPLICATE)) {
            String name = message.substring(DUPLICATE.length(), Math.max(DUPLICATE.length(), message.lastIndexOf('\'')));
            return ApiProblem.invalid("duplicate field \"" + qualified(e, name) + "\"");
        }
        return ApiProblem.of(400, "malformed JSON" + where(e.getLocation()) + ": " + firstLine(message));
    }

    /** Where the parser was when it noticed: its context is the object that holds the member twice. */
    private static String qualified(StreamReadException e, String name) {
        JsonParser parser = e.getProcessor();
        return parser == null ? name : JsonMemberPath.of(parser.getParsingContext(), name);
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String firstLine(String message) {
        int eol = message.indexOf('\n');
        return eol < 0 ? message : message.substring(0, eol);
    }
}
