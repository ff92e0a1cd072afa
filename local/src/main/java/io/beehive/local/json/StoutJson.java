package io.beehive.local.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Mesos's own JSON mapping of protobuf messages (stout's {@code protobuf.hpp}), not proto3 JSON: .proto field
 * names, fields in declaration order, enum names, base64 bytes, 64-bit integers as numbers, doubles always with a
 * fraction ({@code 15.0}) and never in exponent notation, optional fields with an explicit non-deprecated default
 * printed even when unset, empty repeated fields omitted. The parser accepts what stout accepts: unknown names
 * ignored, a bare value for a repeated field, numeric strings, "Infinity", {@code null} as unset.
 */
public final class StoutJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StoutJson() {}

    /** Thrown for input the master answers with 400. */
    public static final class ParseException extends Exception {
        private static final long serialVersionUID = 1L;

        public ParseException(String message) {
            super(message);
        }
    }

    // ---- printing -------------------------------------------------------------------------------------------

    public static String print(Message message) {
        StringBuilder out = new StringBuilder(256);
        printMessage(message, out);
        return out.toString();
    }

    public static byte[] printBytes(Message message) {
        return print(message).getBytes(StandardCharsets.UTF_8);
    }

    private static void printMessage(Message message, StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            if (field.isRepeated()) {
                int count = message.getRepeatedFieldCount(field);
                if (count == 0) {
                    continue;
                }
                first = comma(first, out);
                quote(field.getName(), out);
                out.append(':');
                if (field.isMapField()) {
                    printMap(message, field, count, out);
                } else {
                    out.append('[');
                    for (int i = 0; i < count; i++) {
                        if (i > 0) {
                            out.append(',');
                        }
                        printValue(field, message.getRepeatedField(field, i), out);
                    }
                    out.append(']');
                }
            } else if (message.hasField(field)
                    || (field.hasDefaultValue() && !field.getOptions().getDeprecated()
                        && field.getJavaType() != FieldDescriptor.JavaType.MESSAGE)) {
                first = comma(first, out);
                quote(field.getName(), out);
                out.append(':');
                printValue(field, message.getField(field), out);
            }
        }
        out.append('}');
    }

    private static void printMap(Message message, FieldDescriptor field, int count, StringBuilder out) {
        out.append('{');
        FieldDescriptor keyField = field.getMessageType().findFieldByName("key");
        FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
        for (int i = 0; i < count; i++) {
            Message entry = (Message) message.getRepeatedField(field, i);
            if (i > 0) {
                out.append(',');
            }
            quote(String.valueOf(entry.getField(keyField)), out);
            out.append(':');
            printValue(valueField, entry.getField(valueField), out);
        }
        out.append('}');
    }

    private static boolean comma(boolean first, StringBuilder out) {
        if (!first) {
            out.append(',');
        }
        return false;
    }

    private static void printValue(FieldDescriptor field, Object value, StringBuilder out) {
        switch (field.getJavaType()) {
            case MESSAGE -> printMessage((Message) value, out);
            case ENUM -> quote(((EnumValueDescriptor) value).getName(), out);
            case STRING -> quote((String) value, out);
            case BYTE_STRING -> quote(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()), out);
            case BOOLEAN -> out.append(((Boolean) value).booleanValue());
            case DOUBLE -> printDouble((Double) value, out);
            case FLOAT -> printDouble(Double.parseDouble(Float.toString((Float) value)), out);
            case INT -> {
                int v = (Integer) value;
                if (field.getType() == FieldDescriptor.Type.UINT32 || field.getType() == FieldDescriptor.Type.FIXED32) {
                    out.append(Integer.toUnsignedString(v));
                } else {
                    out.append(v);
                }
            }
            case LONG -> {
                long v = (Long) value;
                if (field.getType() == FieldDescriptor.Type.UINT64 || field.getType() == FieldDescriptor.Type.FIXED64) {
                    out.append(Long.toUnsignedString(v));
                } else {
                    out.append(v);
                }
            }
        }
    }

    /** A double as stout prints it ({@link #printDouble}). */
    public static String number(double d) {
        StringBuilder out = new StringBuilder();
        printDouble(d, out);
        return out.toString();
    }

    /** Doubles as stout prints them: shortest round-trip digits, never exponent notation, always a fraction. */
    static void printDouble(double d, StringBuilder out) {
        if (Double.isNaN(d)) {
            out.append("\"NaN\"");
        } else if (Double.isInfinite(d)) {
            out.append(d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        } else {
            String plain = BigDecimal.valueOf(d).toPlainString();
            out.append(plain);
            if (plain.indexOf('.') < 0) {
                out.append(".0");
            }
        }
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    // ---- parsing --------------------------------------------------------------------------------------------

    /** Parses text into a JSON tree; the message mirrors the master's "Failed to parse body into JSON: ...". */
    public static JsonNode parseTree(byte[] body) throws ParseException {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null) {
                throw new ParseException("syntax error at line 1 near: ");
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            String text = new String(body, StandardCharsets.UTF_8);
            int line = location == null ? 1 : Math.max(1, location.getLineNr());
            int column = location == null ? 1 : Math.max(1, location.getColumnNr());
            int lineStart = 0;
            for (int l = 1; l < line && lineStart >= 0; l++) {
                lineStart = text.indexOf('\n', lineStart) + 1;
            }
            int offset = Math.max(0, lineStart) + column - 1;
            String near = offset < text.length() ? text.substring(offset) : "";
            throw new ParseException("syntax error at line " + line + " near: " + near);
        } catch (java.io.IOException e) {
            throw new ParseException(e.getMessage());
        }
    }

    /** Converts a JSON tree into a message; missing required fields are an error, as in stout. */
    public static <B extends Message.Builder> B merge(JsonNode json, B builder) throws ParseException {
        if (!json.isObject()) {
            throw new ParseException("Expecting a JSON object");
        }
        try {
            mergeObject(json, builder);
        } catch (RuntimeException e) {
            // e.g. a number that does not fit (1.5e400 as an int64): bad input, not a crash
            throw new ParseException("Invalid value: " + e.getMessage());
        }
        if (!builder.isInitialized()) {
            throw new ParseException("Missing required fields: "
                + String.join(", ", builder.findInitializationErrors()));
        }
        return builder;
    }

    private static void mergeObject(JsonNode json, Message.Builder builder) throws ParseException {
        Descriptor descriptor = builder.getDescriptorForType();
        Iterator<Map.Entry<String, JsonNode>> fields = json.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            FieldDescriptor field = descriptor.findFieldByName(entry.getKey());
            JsonNode value = entry.getValue();
            if (field == null || value.isNull()) {
                continue;
            }
            if (field.isMapField()) {
                if (!value.isObject()) {
                    throw new ParseException("Not expecting a JSON " + kind(value) + " for field '" + field.getName() + "'");
                }
                Iterator<Map.Entry<String, JsonNode>> entries = value.fields();
                while (entries.hasNext()) {
                    Map.Entry<String, JsonNode> e = entries.next();
                    Message.Builder entryBuilder = builder.newBuilderForField(field);
                    FieldDescriptor keyField = field.getMessageType().findFieldByName("key");
                    FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
                    entryBuilder.setField(keyField, convertScalar(keyField, new com.fasterxml.jackson.databind.node.TextNode(e.getKey())));
                    Object v = convert(valueField, e.getValue(), entryBuilder);
                    if (v != null) {
                        entryBuilder.setField(valueField, v);
                    }
                    builder.addRepeatedField(field, entryBuilder.build());
                }
            } else if (field.isRepeated()) {
                if (value.isArray()) {
                    for (JsonNode element : value) {
                        Object v = convert(field, element, builder);
                        if (v != null) {
                            builder.addRepeatedField(field, v);
                        }
                    }
                } else {
                    Object v = convert(field, value, builder);
                    if (v != null) {
                        builder.addRepeatedField(field, v);
                    }
                }
            } else {
                Object v = convert(field, value, builder);
                if (v != null) {
                    builder.setField(field, v);
                }
            }
        }
    }

    private static Object convert(FieldDescriptor field, JsonNode value, Message.Builder parent) throws ParseException {
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            if (!value.isObject()) {
                throw new ParseException("Not expecting a JSON " + kind(value) + " for field '" + field.getName() + "'");
            }
            Message.Builder child = parent.newBuilderForField(field);
            mergeObject(value, child);
            return child.buildPartial();
        }
        return convertScalar(field, value);
    }

    private static Object convertScalar(FieldDescriptor field, JsonNode value) throws ParseException {
        String name = field.getName();
        switch (field.getJavaType()) {
            case ENUM: {
                if (!value.isTextual()) {
                    throw new ParseException("Not expecting a JSON " + kind(value) + " for field '" + name + "'");
                }
                EnumValueDescriptor v = field.getEnumType().findValueByName(value.asText());
                if (v == null && field.isRequired()) {
                    throw new ParseException("Failed to find enum for '" + value.asText() + "'");
                }
                return v;
            }
            case STRING:
                if (!value.isTextual()) {
                    throw new ParseException("Not expecting a JSON " + kind(value) + " for field '" + name + "'");
                }
                return value.asText();
            case BYTE_STRING:
                if (!value.isTextual()) {
                    throw new ParseException("Not expecting a JSON " + kind(value) + " for field '" + name + "'");
                }
                try {
                    return ByteString.copyFrom(Base64.getDecoder().decode(value.asText()));
                } catch (IllegalArgumentException e) {
                    throw new ParseException("Failed to base64 decode for field '" + name + "': " + e.getMessage());
                }
            case BOOLEAN:
                if (value.isBoolean()) {
                    return value.booleanValue();
                }
                if (value.isTextual() && (value.asText().equals("true") || value.asText().equals("false"))) {
                    return Boolean.parseBoolean(value.asText());
                }
                throw new ParseException("Not expecting a JSON " + kind(value) + " for field '" + name + "'");
            case DOUBLE:
            case FLOAT: {
                double d;
                if (value.isNumber()) {
                    d = value.doubleValue();
                } else if (value.isTextual()) {
                    String s = value.asText().trim();
                    try {
                        d = switch (s) {
                            case "Infinity", "inf", "+inf" -> Double.POSITIVE_INFINITY;
                            case "-Infinity", "-inf" -> Double.NEGATIVE_INFINITY;
                            default -> Double.parseDouble(s);
                        };
                    } catch (NumberFormatException e) {
                        throw new ParseException("Failed to convert '" + s + "' to number for field '" + name + "'");
                    }
                } else {
                    throw new ParseException("Not expecting a JSON " + kind(value) + " for field '" + name + "'");
                }
                return field.getJavaType() == FieldDescriptor.JavaType.FLOAT ? (Object) (float) d : (Object) d;
            }
            case INT:
            case LONG: {
                BigDecimal n;
                if (value.isNumber()) {
                    n = value.decimalValue();
                } else if (value.isTextual()) {
                    try {
                        n = new BigDecimal(value.asText().trim());
                    } catch (NumberFormatException e) {
                        throw new ParseException("Failed to convert '" + value.asText() + "' to number for field '" + name + "'");
                    }
                } else {
                    throw new ParseException("Not expecting a JSON " + kind(value) + " for field '" + name + "'");
                }
                long l = n.longValue();
                return field.getJavaType() == FieldDescriptor.JavaType.INT ? (Object) (int) l : (Object) l;
            }
            default:
                throw new ParseException("Unsupported field '" + name + "'");
        }
    }

    private static String kind(JsonNode value) {
        if (value.isObject()) {
            return "object";
        }
        if (value.isArray()) {
            return "array";
        }
        if (value.isTextual()) {
            return "string";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        if (value.isNumber()) {
            return "number";
        }
        return "null";
    }

    /** Convenience for tests and tools: a list of messages printed as a JSON array. */
    public static String printList(List<? extends Message> messages) {
        StringBuilder out = new StringBuilder();
        out.append('[');
        for (int i = 0; i < messages.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            printMessage(messages.get(i), out);
        }
        return out.append(']').toString();
    }
}
