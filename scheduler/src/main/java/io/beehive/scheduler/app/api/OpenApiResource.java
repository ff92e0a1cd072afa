package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The hand-written OpenAPI 3 description of this API ({@code openapi.yaml} beside this class's package in the
 * resources), served as YAML and as JSON. Hand-written on purpose: it documents the error contract (which
 * annotations would not) and adds no annotation processor to the build.
 */
@Path("/v1")
public class OpenApiResource {
    private static final String RESOURCE = "/io/beehive/scheduler/app/openapi.yaml";
    private final String yaml;
    private final JsonNode json;

    public OpenApiResource() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            this.yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            this.json = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Path("/openapi.json")
    @Produces(MediaType.APPLICATION_JSON)
    public JsonNode json() {
        return json;
    }

    @GET
    @Path("/openapi.yaml")
    @Produces("application/yaml")
    public String yaml() {
        return yaml;
    }
}
