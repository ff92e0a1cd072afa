package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * How the API reads request bodies: a field it does not know and a value of the wrong JSON type are refused
 * (422, see {@link RequestBodyErrors}) instead of being dropped or converted. Dropwizard's mapper ignores
 * unknown properties and Jackson coerces scalars by default, which turned {@code "instanses": 3} into a job with one
 * instance and {@code "id": true} into a job named {@code true}.
 *
 * <p>Applied to the application's mapper in {@code run}, not in {@code initialize}: configuration parsing works on
 * a copy of the bootstrap mapper, and {@code dw.*} overrides reach it as strings that must still become numbers.
 * The state records have their own codec (tolerant on read, for older records) and are not affected.
 */
public final class StrictJson {
    private static final UnknownFields UNKNOWN_FIELDS = new UnknownFields();

    private StrictJson() {
    }

    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        // A property the bean ignores on purpose (a derived getter) is not an input either.
        mapper.enable(DeserializationFeature.FAIL_ON_IGNORED_PROPERTIES);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        // {"instances": 1, "instances": 5} has no single meaning; Jackson would keep the last one silently.
        mapper.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // No scalar becomes another: "3" is not 3, 5 is not "5", true is not "true", "" is not null.
        mapper.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // ...except that an integer is a number: JSON has one number type, and "cpus": 1 means 1.0.
        mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
        mapper.addHandler(UNKNOWN_FIELDS);
        return mapper;
    }

    /** Registered with Jersey as well, as the reader interceptor that reports the fields it collected. */
    public static UnknownFields unknownFields() {
        return UNKNOWN_FIELDS;
    }
}
