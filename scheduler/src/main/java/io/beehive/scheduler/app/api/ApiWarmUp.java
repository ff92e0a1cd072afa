package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beehive.state.record.JobRecord;
import jakarta.validation.Validator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs once, in the background, when a replica's server has started: what the API does with a job submission short
 * of writing it (the body read with the server's own object mapper, its constraints validated, the record built and
 * written back as the answer). It writes nothing anywhere and asks nobody.
 *
 * <p>Why: a replica leads only after a fail-over, so the first job it is sent as leader is often the first it has
 * ever handled. That first {@code POST /v1/jobs} took ~170 ms, later ones 10-20 ms: building the mapper's
 * (de)serializers and the validator's metadata, loading and interpreting the classes. In a fail-over that was most
 * of the time between the new leader taking office and the first new job being written.
 */
public final class ApiWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(ApiWarmUp.class);
    private static final String[] SAMPLE_JOBS = {
        "{\"id\":\"warm-up-service\",\"kind\":\"SERVICE\",\"command\":\"true\",\"instances\":2,"
            + "\"resources\":{\"cpus\":0.1,\"memMb\":16},\"environment\":{\"WARM\":\"up\"},"
            + "\"constraints\":[{\"field\":\"hostname\",\"operator\":\"UNIQUE\"}],"
            + "\"healthCheck\":{\"type\":\"COMMAND\",\"command\":\"true\"},"
            + "\"upgradeStrategy\":{\"minReadySeconds\":1}}",
        "{\"id\":\"warm-up-batch\",\"kind\":\"BATCH\",\"argv\":[\"true\"],\"resources\":{\"cpus\":0.1,\"memMb\":16}}"
    };

    private ApiWarmUp() {
    }

    /** Starts the warm-up on a daemon thread and returns at once. */
    public static void inBackground(ObjectMapper mapper, Validator validator) {
        Thread t = new Thread(() -> run(mapper, validator), "beehive-api-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static void run(ObjectMapper mapper, Validator validator) {
        long started = System.nanoTime();
        try {
            int bytes = submitSamples(mapper, validator);
            LOG.info("API warm-up done in {} ms ({} sample jobs read, validated and written back, {} bytes)",
                    (System.nanoTime() - started) / 1_000_000, SAMPLE_JOBS.length, bytes);
        } catch (Exception | LinkageError e) {
            LOG.warn("API warm-up failed (no harm: the first request loads these classes itself)", e);
        }
    }

    /** Handles each sample as a submission would, short of the write; returns the bytes of the answers. */
    static int submitSamples(ObjectMapper mapper, Validator validator) throws java.io.IOException {
        int bytes = 0;
        for (String json : SAMPLE_JOBS) {
            JobSpec spec = mapper.readValue(json, JobSpec.class);
            if (!validator.validate(spec).isEmpty()) {
                throw new IllegalStateException("the warm-up's sample job is invalid: " + validator.validate(spec));
            }
            JobRecord job = spec.toRecord(System.currentTimeMillis());
            JobVersionTag.of(job);
            bytes += mapper.writeValueAsBytes(job).length;
        }
        return bytes;
    }
}
