package io.beehive.scheduler.app.api;

import io.beehive.scheduler.app.runtime.ReplicaNotReadyException;
import io.beehive.scheduler.app.view.StateUnavailableException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * 503 + Retry-After for conditions that pass by themselves: a replica starting or stopping, ZooKeeper unreachable.
 * Both are met before a write is handed to the leader's loop, so nothing was applied.
 */
public final class RuntimeExceptionMappers {
    private RuntimeExceptionMappers() {
    }

    public static final class NotReady implements ExceptionMapper<ReplicaNotReadyException> {
        private final long retryAfterSeconds;

        public NotReady(long retryAfterSeconds) {
            this.retryAfterSeconds = retryAfterSeconds;
        }

        @Override
        public Response toResponse(ReplicaNotReadyException e) {
            return ApiProblem.unavailableResponse(e.getMessage(), retryAfterSeconds, null, WriteApplied.NO);
        }
    }

    public static final class StateUnavailable implements ExceptionMapper<StateUnavailableException> {
        private final long retryAfterSeconds;

        public StateUnavailable(long retryAfterSeconds) {
            this.retryAfterSeconds = retryAfterSeconds;
        }

        @Override
        public Response toResponse(StateUnavailableException e) {
            return ApiProblem.unavailableResponse("state cannot be read right now: " + e.getMessage(),
                    retryAfterSeconds, null, WriteApplied.NO);
        }
    }
}
