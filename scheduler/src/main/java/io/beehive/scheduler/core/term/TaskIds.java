package io.beehive.scheduler.core.term;

import java.util.UUID;

/**
 * Task ids: {@code <job>.<instance>.<attempt>.<random>}. Every launch gets a NEW id (a replacement never reuses the
 * id of the task it replaces), so an old task that reappears can never be mistaken for its successor.
 */
final class TaskIds {
    private static final int MAX_JOB_PART = 150;

    private TaskIds() {
    }

    static String next(String jobId, int instance, int attempt) {
        String job = jobId.length() > MAX_JOB_PART ? jobId.substring(0, MAX_JOB_PART) : jobId;
        String random = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return job + "." + instance + "." + attempt + "." + random;
    }
}
