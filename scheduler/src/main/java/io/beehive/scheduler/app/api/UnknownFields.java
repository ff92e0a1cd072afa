package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Names every unknown field of a request body in one 422, not only the first: a client that misspelt two fields
 * should not need two round trips to learn it. Jackson stops at the first unknown property; this handler instead
 * notes each one and skips its value while a request body is being read (the interceptor marks that span on the
 * request thread), and the interceptor refuses the body once it has been read whole. Outside a request body
 * (any other use of the mapper) it declines, and Jackson fails on the first unknown property as configured.
 *
 * <p>It is also where a body Jackson cannot read becomes the client's error ({@link RequestBodyErrors}): only here is
 * it certain that the JSON came from the request, so no exception mapper turns JSON failures into 4xx globally.
 */
public final class UnknownFields extends DeserializationProblemHandler implements ReaderInterceptor {
    private static final ThreadLocal<List<String>> CURRENT_BODY = new ThreadLocal<>();

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        List<String> outer = CURRENT_BODY.get();
        List<String> unknown = new ArrayList<>();
        CURRENT_BODY.set(unknown);
        try {
            Object body;
            try {
                body = context.proceed();
            } catch (JsonProcessingException e) {
                Optional<ApiProblem> clientError = RequestBodyErrors.problem(e);
                if (clientError.isPresent()) {
                    throw clientError.get();
                }
                throw e;
            }
            if (!unknown.isEmpty()) {
                throw ApiProblem.invalid(unknown);
            }
            return body;
        } finally {
            CURRENT_BODY.set(outer);
        }
    }

    @Override
    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                                         Object beanOrClass, String propertyName) throws IOException {
        List<String> unknown = CURRENT_BODY.get();
        if (unknown == null) {
            return false;
        }
        // The parser stands on the member's value; an object or array value has already opened its own context.
        JsonToken value = p.currentToken();
        JsonStreamContext holder = p.getParsingContext();
        if ((value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) && holder != null) {
            holder = holder.getParent();
        }
        unknown.add("unknown field \"" + JsonMemberPath.of(holder, propertyName) + "\""
                + known(deserializer == null ? null : deserializer.getKnownPropertyNames()));
        p.skipChildren();
        return true;
    }

    static String known(Collection<Object> ids) {
        if (ids == null || ids.isEmpty()) {
            return "";
        }
        return " (known fields: " + ids.stream().filter(Objects::nonNull).map(String::valueOf).sorted()
                .collect(Collectors.joining(", ")) + ")";
    }
}
