package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.jackson.JacksonMessageBodyProvider;
import io.dropwizard.testing.junit5.DropwizardClientExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who is blamed for JSON that cannot be read: the client only for its request body (400 malformed, 422 not what the
 * endpoint takes), the server (a logged 500) for JSON it parses itself, such as an agent's answer. Before the body
 * translation moved into the reader interceptor, exception mappers answered 400 for every JSON failure, wherever
 * it came from. Runs the API's JSON providers as the application registers them, in a real Jersey server.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class JsonErrorBlameTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Item(String name, int count) {}

    @Path("/probe")
    @Produces(MediaType.APPLICATION_JSON)
    public static class ProbeResource {
        @POST
        @Consumes(MediaType.APPLICATION_JSON)
        public Item echo(Item item) {
            return item;
        }

        /** Parses JSON the server fetched itself, as the log reader does with an agent's {@code /state}. */
        @GET
        public Map<?, ?> fromAnAgent() throws IOException {
            return JSON.readValue("{\"frameworks\": [", Map.class);
        }
    }

    private final DropwizardClientExtension app = new DropwizardClientExtension(new ProbeResource(),
            new ServerJsonExceptionMapper(), StrictJson.unknownFields(),
            new JacksonMessageBodyProvider(StrictJson.configure(Jackson.newObjectMapper())));

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aServerSideParseFailureIsA500NotTheClientsFault() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(500);
        assertThat(r.body()).contains("There was an error processing your request");
    }

    @Test
    void aMalformedBodyIsA400SayingWhere() throws Exception {
        HttpResponse<String> r = post("{\"name\": \"a\", \"count\": tru}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("malformed JSON at line 1, column");
    }

    @Test
    void aWellFormedBodyThatIsNotWhatTheEndpointTakesIsA422NamingTheField() throws Exception {
        HttpResponse<String> wrongType = post("{\"name\": \"a\", \"count\": \"three\"}");
        assertThat(wrongType.statusCode()).as(wrongType.body()).isEqualTo(422);
        assertThat(wrongType.body()).contains("count must be an integer, got a string");

        HttpResponse<String> duplicate = post("{\"name\": \"a\", \"name\": \"b\", \"count\": 1}");
        assertThat(duplicate.statusCode()).as(duplicate.body()).isEqualTo(422);
        assertThat(duplicate.body()).contains("duplicate field \\\"name\\\"");

        HttpResponse<String> unknown = post("{\"name\": \"a\", \"cuont\": 1, \"colour\": \"red\"}");
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(422);
        assertThat(unknown.body()).contains("unknown field \\\"cuont\\\"").contains("unknown field \\\"colour\\\"");

        HttpResponse<String> fine = post("{\"name\": \"a\", \"count\": 3}");
        assertThat(fine.statusCode()).as(fine.body()).isEqualTo(200);
        assertThat(JSON.readTree(fine.body()).path("count").asInt()).isEqualTo(3);
    }

    private URI uri() {
        return URI.create(app.baseUri() + "/probe");
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
