package io.beehive.local.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent's HTTP API against trace 09 (a real 1.11 agent): {@code GET /state} names each executor's sandbox
 * {@code directory}, and {@code /files/read}, {@code /files/browse}, {@code /files/download} serve what is in it,
 * with the status codes, bodies and texts of {@code src/files/files.cpp}.
 */
class AgentFilesConformanceTest extends ClusterPerClass {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** 37 bytes of stdout; the task also leaves a directory, a file, a link out of the sandbox and a cut UTF-8. */
    private static final String STDOUT = "0123456789abcdefghijklmnopqrstuvwxyz\n";
    private static final String COMMAND = "echo 0123456789abcdefghijklmnopqrstuvwxyz && mkdir bundle"
            + " && printf 'hello from the fetcher\\n' > hello.txt && printf 'inner\\n' > bundle/inner.txt"
            + " && ln -s /etc/hostname leak && printf 'caf\\303\\251\\n' > utf8.txt";

    private RawScheduler fw;
    private URI agent;
    private String sandbox;

    @BeforeAll
    void runATaskToCompletion() {
        fw = RawScheduler.subscribe(master, Wire.JSON, Calls.framework("files").build());
        fw.launch("files", COMMAND);
        fw.awaitAndAck("files", TaskState.TASK_STARTING);
        fw.awaitAndAck("files", TaskState.TASK_RUNNING);
        fw.awaitAndAck("files", TaskState.TASK_FINISHED);
        fw.quiesce();
        agent = cluster.agentUri(cluster.agentIds().get(0));
        sandbox = cluster.sandbox(fw.frameworkId, "files").toString();
    }

    @Test
    void agentListensOnTheAddressTheMasterAdvertises() throws Exception {
        JsonNode slave = JSON.readTree(get(master, "/state").body()).path("slaves").get(0);
        assertThat(slave.path("pid").asText()).isEqualTo("slave(1)@127.0.0.1:" + agent.getPort());
        assertThat(slave.path("port").asInt()).isEqualTo(agent.getPort());
        JsonNode state = JSON.readTree(get(agent, "/slave(1)/state").body());
        assertThat(state.path("id").asText()).isEqualTo(cluster.agentIds().get(0));
        assertThat(state.path("pid").asText()).isEqualTo(slave.path("pid").asText());
        assertThat(state.path("hostname").asText()).isEqualTo("localhost");
    }

    @Test
    void stateNamesTheSandboxOfACompletedExecutor() throws Exception {
        HttpMessage answer = get(agent, "/state");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).contains("application/json");
        // the framework has no live executor left once the agent has the acknowledgement of TASK_FINISHED:
        // completed_frameworks[].completed_executors[] (trace 09 (b))
        await().atMost(LONG).until(() -> find(JSON.readTree(get(agent, "/state").body())
                .path("completed_frameworks"), fw.frameworkId) != null);
        JsonNode framework = find(JSON.readTree(get(agent, "/state").body()).path("completed_frameworks"),
                fw.frameworkId);
        assertThat(framework.path("executors")).isEmpty();
        JsonNode executor = find(framework.path("completed_executors"), "files");
        assertThat(executor.path("directory").asText()).isEqualTo(sandbox);
        assertThat(Path.of(executor.path("directory").asText()).resolve("stdout")).hasContent(STDOUT.trim());
        assertThat(executor.path("source").asText()).isEqualTo("files");
        assertThat(executor.path("name").asText())
                .isEqualTo("Command Executor (Task: files) (Command: sh -c 'echo 0123456...')");
        assertThat(executor.path("tasks")).isEmpty();
        assertThat(executor.path("queued_tasks")).isEmpty();
        assertThat(executor.path("completed_tasks").get(0).path("state").asText()).isEqualTo("TASK_FINISHED");
        List<String> keys = new ArrayList<>();
        executor.fieldNames().forEachRemaining(keys::add);
        // the order of the trace's executor entry
        assertThat(keys).containsSubsequence("id", "name", "source", "container", "directory", "resources", "role",
                "tasks", "queued_tasks", "completed_tasks");
    }

    @Test
    void stateListsARunningExecutorUnderFrameworks() throws Exception {
        try (RawScheduler live = RawScheduler.subscribe(master, Wire.JSON, Calls.framework("live").build())) {
            live.launchRunning("sleeper", "sleep 600");
            live.quiesce();
            JsonNode executor = find(find(JSON.readTree(get(agent, "/state").body()).path("frameworks"),
                    live.frameworkId).path("executors"), "sleeper");
            assertThat(executor.path("directory").asText())
                    .isEqualTo(cluster.sandbox(live.frameworkId, "sleeper").toString());
            assertThat(executor.path("tasks").get(0).path("state").asText()).isEqualTo("TASK_RUNNING");
            live.call(Calls.teardown(live.frameworkId));
        }
    }

    @Test
    void readAnswersAsTrace09() {
        assertThat(read("stdout", "&offset=0").bodyText()).isEqualTo(json(STDOUT, 0));
        // offset=-1: the size probe; offset absent is the same
        assertThat(read("stdout", "&offset=-1").bodyText()).isEqualTo("{\"data\":\"\",\"offset\":37}");
        assertThat(read("stdout", "").bodyText()).isEqualTo("{\"data\":\"\",\"offset\":37}");
        assertThat(read("stdout", "&offset=10&length=20").bodyText())
                .isEqualTo("{\"data\":\"abcdefghijklmnopqrst\",\"offset\":10}");
        assertThat(read("stdout", "&offset=30&length=-1").bodyText()).isEqualTo(json("uvwxyz\n", 30));
        // past the end: nothing, the offset that was asked for
        assertThat(read("stdout", "&offset=1000").bodyText()).isEqualTo("{\"data\":\"\",\"offset\":1000}");
        HttpMessage ok = read("stdout", "&offset=0");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("Content-Type")).contains("application/json");
        // the shape of every recorded read answer
        Matcher recorded = Pattern.compile("\\{\"data\":\"(?:[^\"\\\\]|\\\\.)*\",\"offset\":\\d+}")
                .matcher(TraceFile.resource("09-fetch-uris.txt"));
        assertThat(recorded.find()).isTrue();
        assertThat(ok.bodyText()).matches(Pattern.compile("\\{\"data\":\"(?:[^\"\\\\]|\\\\.)*\",\"offset\":\\d+}"));
    }

    @Test
    void virtualPathReadsTheSameFile() {
        String virtual = "/frameworks/" + fw.frameworkId + "/executors/files/runs/latest/hello.txt";
        assertThat(get(agent, "/files/read?path=" + enc(virtual) + "&offset=0").bodyText())
                .isEqualTo("{\"data\":\"hello from the fetcher\\n\",\"offset\":0}");
    }

    @Test
    void readCopiesBytesAsTheyAreEvenInsideACharacter() {
        // "caf" + the first byte of "é": rapidjson copies the byte, so offsets stay byte offsets
        byte[] body = read("utf8.txt", "&offset=0&length=4").body();
        byte[] expected = "{\"data\":\"caf\u00c3\",\"offset\":0}".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(body).isEqualTo(expected);
    }

    @Test
    void readErrorsAsFilesCpp() {
        assertNotFound(read("nothere.txt", "&offset=0"));
        assertNotFound(get(agent, "/files/read?path=" + enc("/frameworks/nope/executors/nope/runs/latest/stdout")));
        assertNotFound(get(agent, "/files/read?path=" + enc("/etc/hostname") + "&offset=0"));
        assertBadRequest(get(agent, "/files/read"), "Expecting 'path=value' in query.\n");
        assertBadRequest(get(agent, "/files/read?path="), "Expecting 'path=value' in query.\n");
        assertBadRequest(read("bundle", "&offset=0"), "Cannot read a directory.\n");
        assertBadRequest(read("stdout", "&offset=-2"), "Negative offset provided: -2.\n");
        assertBadRequest(read("stdout", "&offset=abc"), "Failed to parse offset: Failed to convert 'abc' to number.\n");
        assertBadRequest(read("stdout", "&offset=0&length=-5"), "Negative length provided: -5.\n");
        assertBadRequest(read("stdout", "&offset=0&length=x"),
                "Failed to parse length: Failed to convert 'x' to number.\n");
    }

    @Test
    void nothingOutsideTheSandboxCanBeRead() {
        // ../ out of the sandbox into its neighbour, into the work directory, and into the file system
        HttpMessage up = read("../latest/stdout", "&offset=0");
        assertThat(up.status()).isEqualTo(200); // still inside the same sandbox: allowed
        for (String escape : List.of("..", "../".repeat(30) + "etc/hostname", "leak")) {
            HttpMessage answer = read(escape, "&offset=0");
            assertThat(answer.status()).as(escape).isEqualTo(400);
            assertThat(answer.bodyText()).as(escape).endsWith("is inaccessible.\n");
        }
        String virtualEscape = "/frameworks/" + fw.frameworkId + "/executors/files/runs/latest/"
                + "../".repeat(30) + "etc/hostname";
        assertThat(get(agent, "/files/read?path=" + enc(virtualEscape) + "&offset=0").status()).isEqualTo(400);
        assertThat(get(agent, "/files/browse?path=" + enc(sandbox + "/..")).status()).isEqualTo(400);
        assertThat(get(agent, "/files/download?path=" + enc(sandbox + "/leak")).status()).isEqualTo(400);
    }

    @Test
    void browseAnswersAsTrace09() throws Exception {
        HttpMessage answer = get(agent, "/files/browse?path=" + enc(sandbox));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).contains("application/json");
        JsonNode list = JSON.readTree(answer.body());
        List<String> paths = new ArrayList<>();
        list.forEach(e -> paths.add(e.path("path").asText()));
        assertThat(paths).containsExactly(sandbox + "/bundle", sandbox + "/hello.txt", sandbox + "/leak",
                sandbox + "/stderr", sandbox + "/stdout", sandbox + "/utf8.txt");
        JsonNode stdout = list.get(4);
        assertThat(stdout.path("size").asLong()).isEqualTo(37);
        assertThat(stdout.path("nlink").asLong()).isEqualTo(1);
        assertThat(stdout.path("mode").asText()).matches("-r[w-][x-]r[w-][x-]r[w-][x-]");
        assertThat(list.get(0).path("mode").asText()).startsWith("d");
        assertThat(stdout.path("uid").asText()).isEqualTo(System.getProperty("user.name"));
        assertThat(stdout.path("mtime").asDouble()).isCloseTo(System.currentTimeMillis() / 1000.0,
                org.assertj.core.data.Offset.offset(300.0));
        // keys in the trace's order, mtime printed as a float
        String recordedEntry = TraceFile.resource("09-fetch-uris.txt").lines()
                .filter(l -> l.startsWith("[{\"gid\"")).findFirst().orElseThrow();
        assertThat(keyOrder(answer.bodyText())).isEqualTo(keyOrder(recordedEntry));
        assertThat(answer.bodyText()).containsPattern("\"mtime\":\\d+\\.0,");

        String virtual = "/frameworks/" + fw.frameworkId + "/executors/files/runs/latest/bundle";
        JsonNode inner = JSON.readTree(get(agent, "/files/browse?path=" + enc(virtual)).body());
        assertThat(inner.get(0).path("path").asText()).isEqualTo(virtual + "/inner.txt");
        assertNotFound(get(agent, "/files/browse?path=" + enc("/frameworks/nope/executors/nope/runs/latest")));
        assertBadRequest(get(agent, "/files/browse"), "Expecting 'path=value' in query.\n");
    }

    @Test
    void downloadGivesTheRawBytes() throws Exception {
        HttpMessage answer = get(agent, "/files/download?path=" + enc(sandbox + "/utf8.txt"));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).contains("application/octet-stream");
        assertThat(answer.header("Content-Disposition")).contains("attachment; filename=utf8.txt");
        assertThat(answer.body()).isEqualTo(Files.readAllBytes(Path.of(sandbox, "utf8.txt")));
        assertBadRequest(get(agent, "/files/download?path=" + enc(sandbox + "/bundle")),
                "Cannot download a directory.\n");
        assertNotFound(get(agent, "/files/download?path=" + enc(sandbox + "/nothere")));
    }

    @Test
    void aDeletedSandboxIsNotFound() throws Exception {
        try (RawScheduler gc = RawScheduler.subscribe(master, Wire.JSON, Calls.framework("gc").build())) {
            gc.launch("short", "echo bye");
            gc.awaitAndAck("short", TaskState.TASK_STARTING);
            gc.awaitAndAck("short", TaskState.TASK_RUNNING);
            gc.awaitAndAck("short", TaskState.TASK_FINISHED);
            gc.quiesce();
            Path dir = cluster.sandbox(gc.frameworkId, "short");
            String stdout = dir.resolve("stdout").toString();
            assertThat(get(agent, "/files/read?path=" + enc(stdout) + "&offset=0").status()).isEqualTo(200);
            // what the agent's garbage collection does to an old sandbox
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            assertNotFound(get(agent, "/files/read?path=" + enc(stdout) + "&offset=0"));
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private HttpMessage read(String file, String query) {
        return get(agent, "/files/read?path=" + enc(sandbox + "/" + file) + query);
    }

    private static HttpMessage get(URI base, String pathAndQuery) {
        return HttpWire.exchange(base, "GET", pathAndQuery, Map.of(), null);
    }

    private static String enc(String path) {
        return URLEncoder.encode(path, StandardCharsets.UTF_8);
    }

    private static String json(String data, long offset) {
        return "{\"data\":\"" + data.replace("\n", "\\n") + "\",\"offset\":" + offset + "}";
    }

    private static JsonNode find(JsonNode array, String id) {
        for (JsonNode n : array) {
            if (n.path("id").asText().equals(id)) {
                return n;
            }
        }
        return null;
    }

    private static List<String> keyOrder(String firstArrayEntry) {
        String entry = firstArrayEntry.substring(0, firstArrayEntry.indexOf('}'));
        List<String> keys = new ArrayList<>();
        Matcher m = Pattern.compile("\"(\\w+)\":").matcher(entry);
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    private static void assertNotFound(HttpMessage answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
        assertThat(answer.header("Content-Type")).contains("text/plain; charset=utf-8");
        assertThat(answer.body()).isEmpty();
    }

    private static void assertBadRequest(HttpMessage answer, String text) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).contains("text/plain; charset=utf-8");
        assertThat(answer.bodyText()).isEqualTo(text);
    }
}
