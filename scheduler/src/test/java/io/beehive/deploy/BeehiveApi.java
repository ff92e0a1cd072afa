package io.beehive.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.awaitility.Awaitility.await;

/**
 * The Beehive REST API as a client uses it: through HAProxy, never a replica directly. Writes that meet a
 * fail-over (HAProxy 503 while no replica passes its check, Beehive 503 while leadership changes) are retried
 * until they succeed, as a client following {@code Retry-After} would.
 */
final class BeehiveApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LocalDeployment deployment;

    BeehiveApi(LocalDeployment deployment) {
        this.deployment = deployment;
    }

    static String serviceJob(String id, int instances, String command, double cpus, int memMb) {
        ObjectNode job = JSON.createObjectNode().put("id", id).put("kind", "SERVICE").put("instances", instances)
            .put("command", command);
        job.putObject("resources").put("cpus", cpus).put("memMb", memMb);
        return job.toString();
    }

    static String batchJob(String id, String command, double cpus, int memMb) {
        ObjectNode job = JSON.createObjectNode().put("id", id).put("kind", "BATCH").put("command", command);
        job.putObject("resources").put("cpus", cpus).put("memMb", memMb);
        return job.toString();
    }

    /**
     * POSTs a job until it is created (201) or found to exist already (200: an earlier attempt landed although its
     * answer was lost in a fail-over; the API answers an identical create so). A connection closed without an
     * answer (the replica died under the request) and a 5xx are retried; any 4xx fails at once: the request itself
     * is wrong, or another job has this id.
     */
    void createJob(String json, Duration patience) {
        String id = readTree(json).path("id").asText();
        await("job " + id + " created through HAProxy").atMost(patience).pollInterval(Duration.ofMillis(100))
            .until(() -> {
                HttpResponse<String> r;
                try {
                    r = deployment.post(deployment.api("/v1/jobs"), json);
                } catch (IOException e) {
                    return false;
                }
                int code = r.statusCode();
                if (code >= 400 && code < 500) {
                    throw new IllegalStateException("job " + id + " refused with " + code + ": " + r.body());
                }
                return code == 201 || code == 200;
            });
    }

    /** PATCHes the job's instances; the answer must be 200 (the deployment is stable when this is called). */
    void scale(String jobId, int instances) throws IOException, InterruptedException {
        expect(200, deployment.patch(deployment.api("/v1/jobs/" + jobId), "{\"instances\":" + instances + "}"),
            "scale " + jobId + " to " + instances);
    }

    /** {@code POST /v1/tasks/{id}/kill}: 202 once the kill is sent. */
    void killTask(String taskId) throws IOException, InterruptedException {
        expect(202, deployment.post(deployment.api("/v1/tasks/" + taskId + "/kill"), ""), "kill " + taskId);
    }

    /** {@code DELETE /v1/jobs/{id}}: 200 or 202 once the job is deleted and its tasks are being killed. */
    void deleteJob(String jobId) throws IOException, InterruptedException {
        HttpResponse<String> r = deployment.delete(deployment.api("/v1/jobs/" + jobId));
        if (r.statusCode() != 200 && r.statusCode() != 202 && r.statusCode() != 204) {
            throw new IllegalStateException("delete " + jobId + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static void expect(int status, HttpResponse<String> r, String what) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(what + " answered " + r.statusCode() + " (expected " + status + "): " + r.body());
        }
    }

    /** The job's tasks as Beehive reports them (any state), or empty when the API does not answer 200. */
    Optional<List<JsonNode>> tasks(String jobId) {
        return deployment.getJson(deployment.api("/v1/tasks?job=" + jobId)).map(BeehiveApi::elements);
    }

    List<JsonNode> runningTasks(String jobId) {
        return deployment.getJson(deployment.api("/v1/tasks?job=" + jobId + "&state=running"))
            .map(BeehiveApi::elements).orElse(List.of());
    }

    /** Every task Beehive reports, or empty when the API does not answer 200. */
    Optional<List<JsonNode>> allTasks() {
        return deployment.getJson(deployment.api("/v1/tasks")).map(BeehiveApi::elements);
    }

    /** One task by id: present if Beehive knows it (live or in history). */
    Optional<JsonNode> task(String taskId) {
        return deployment.getJson(deployment.api("/v1/tasks/" + taskId));
    }

    /** The HTTP status of {@code GET /v1/tasks/{id}} (200 known, 404 unknown, other: not answerable now). */
    int taskStatus(String taskId) throws IOException, InterruptedException {
        return deployment.get(deployment.api("/v1/tasks/" + taskId)).statusCode();
    }

    Optional<JsonNode> leaderView() {
        return deployment.getJson(deployment.api("/v1/leader"));
    }

    static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
