package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * What is wrong with a request body Jackson could not read, in the API's error format: 400 for malformed JSON (where
 * the parser stopped), 422 naming the field by its JSON path for well-formed JSON that is not what the endpoint takes
 * (an unknown field, a value of the wrong type, a number out of range, a member given twice:
 * {@code {"errors":["resources.cpus must be a number, got a string"]}}). Used only while a request body is being
 * read ({@link UnknownFields}), so that a JSON failure anywhere else (an agent's answer, a stored record) is never
 * blamed on the client.
 */
final class RequestBodyErrors {
    private RequestBodyErrors() {}

    /** Empty when the failure is the server's (Jackson cannot build the target type at all). */
    static Optional<ApiProblem> problem(JsonProcessingException e) {
        Throwable root = rootCause(e);
        if (root instanceof StreamReadException read && !(root instanceof InputCoercionException)) {
            return Optional.of(MalformedJson.problem(read));
        }
        if (!(e instanceof JsonMappingException mapping) || e instanceof InvalidDefinitionException) {
            return Optional.empty();
        }
        return Optional.of(ApiProblem.invalid(describe(mapping, root)));
    }

    static String describe(JsonMappingException e, Throwable root) {
        String path = path(e);
        if (e instanceof PropertyBindingException unknown) {
            return "unknown field \"" + path + "\"" + UnknownFields.known(unknown.getKnownPropertyIds());
        }
        String field = path.isEmpty() ? "the request body" : path;
        if (root instanceof InputCoercionException coercion) {
            return field + " is out of range for " + typeName(coercion.getTargetType());
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            String got = tokenName(e);
            return field + " must be " + typeName(mismatch.getTargetType()) + (got == null ? "" : ", got " + got);
        }
        if (e instanceof ValueInstantiationException && root.getMessage() != null) {
            return field + ": " + root.getMessage();
        }
        return field + ": " + e.getOriginalMessage();
    }

    /** {@code resources.cpus}, {@code constraints[1].value}, {@code environment.HOME}; empty for the body itself. */
    static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String typeName(Class<?> type) {
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == java.math.BigInteger.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        return Map.class.isAssignableFrom(type) || !type.isPrimitive() ? "an object" : type.getSimpleName();
    }

    /** What the client sent instead: the token the parser stopped at, when it is still known. */
    private static String tokenName(JsonMappingException e) {
        if (!(e.getProcessor() instanceof JsonParser parser)) {
            return null;
        }
        JsonToken token = parser.currentToken();
        if (token == null) {
            return null;
        }
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a number with a fraction or exponent";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_OBJECT, FIELD_NAME -> "an object";
            case START_ARRAY -> "an array";
            default -> null;
        };
    }

    private static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
