package io.beehive.scheduler.app.api;

import io.beehive.scheduler.core.term.JobVersionMismatchException;
import io.beehive.state.record.JobRecord;
import jakarta.ws.rs.core.EntityTag;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job's {@code version} as an HTTP entity tag: {@code ETag: "7"} on the answers that carry one job, and
 * {@code If-Match} on PATCH and DELETE, which then apply only to that version (412 otherwise). {@code If-Match}
 * takes the tag as sent ({@code "7"}) or the bare number ({@code 7}), which is what people type; {@code *} matches
 * any version (the job must exist, as for every PATCH and DELETE).
 */
public final class JobVersionTag {
    private static final Pattern TAG = Pattern.compile("\"(\\d{1,18})\"|(\\d{1,18})");

    private JobVersionTag() {
    }

    public static EntityTag of(JobRecord job) {
        return new EntityTag(Long.toString(job.version()));
    }

    /** The version {@code If-Match} asks for; empty when absent or {@code *}; a 422 when it is not one version. */
    public static OptionalLong ifMatch(String header) {
        if (header == null || header.isBlank() || header.trim().equals("*")) {
            return OptionalLong.empty();
        }
        Matcher m = TAG.matcher(header.trim());
        if (!m.matches()) {
            throw ApiProblem.invalid("If-Match must be one job version, as the ETag of GET /v1/jobs/{id} gives it "
                    + "(\"7\" or 7), or *; got " + header);
        }
        return OptionalLong.of(Long.parseLong(m.group(1) != null ? m.group(1) : m.group(2)));
    }

    /** A 412 unless {@code job} is at the version {@code If-Match} asks for. */
    static void check(JobRecord job, OptionalLong expected) {
        if (expected.isPresent() && expected.getAsLong() != job.version()) {
            throw ApiProblem.preconditionFailed(new JobVersionMismatchException(job.id(), expected.getAsLong(),
                    job.version()).getMessage());
        }
    }
}
