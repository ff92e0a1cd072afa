package io.beehive.scheduler.app.api;

import io.beehive.election.Fence;
import io.beehive.scheduler.core.term.CommandRejectedException;
import io.beehive.scheduler.core.term.JobVersionMismatchException;
import io.beehive.scheduler.core.term.NotLeadingException;
import io.beehive.state.NotLeaderException;
import io.beehive.state.StateWriteException;
import io.dropwizard.jersey.validation.ValidationErrorMessage;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** How a command's outcome becomes an HTTP answer, and above all what every 503 says about the write. */
class CommandRunnerTest {
    private final CommandRunner runner = new CommandRunner(Duration.ofMillis(50), 3);

    private static Response answerTo(CommandRunner runner, CompletableFuture<?> command) {
        return catchThrowableOfType(WebApplicationException.class, () -> runner.await(command)).getResponse();
    }

    private Response failedWith(Throwable cause) {
        return answerTo(runner, CompletableFuture.failedFuture(cause));
    }

    private static void assertUnavailable(Response r, WriteApplied applied) {
        assertThat(r.getStatus()).isEqualTo(503);
        assertThat(r.getHeaderString("Retry-After")).isEqualTo("3");
        assertThat(r.getHeaderString("X-Beehive-Write-Applied")).isEqualTo(applied.value());
        assertThat(r.getEntity()).isInstanceOfSatisfying(UnavailableMessage.class, m -> {
            assertThat(m.code()).isEqualTo(503);
            assertThat(m.applied()).isEqualTo(applied.value());
        });
    }

    @Test
    void aCommandTheLeaderDidNotConfirmInTimeMayHaveBeenApplied() {
        Response r = answerTo(runner, new CompletableFuture<>());
        assertUnavailable(r, WriteApplied.UNKNOWN);
        assertThat(((UnavailableMessage) r.getEntity()).message()).contains("may still apply");
    }

    @Test
    void aCommandCutOffByALostLeadershipWasNotApplied() {
        assertUnavailable(failedWith(new NotLeadingException("term ended")), WriteApplied.NO);
        assertUnavailable(failedWith(new NotLeaderException(new Fence("/beehive/leader/latch-1", 4))),
                WriteApplied.NO);
        Response r = failedWith(new NotLeadingException("term ended"));
        assertThat(((UnavailableMessage) r.getEntity()).message()).contains("it was not applied");
    }

    @Test
    void aZooKeeperFailureIsUnknownOnlyWhenTheTransactionMayHaveLanded() {
        assertUnavailable(failedWith(new StateWriteException("lost", new KeeperException.ConnectionLossException())),
                WriteApplied.UNKNOWN);
        assertUnavailable(failedWith(new StateWriteException("acl", new KeeperException.NoAuthException())),
                WriteApplied.NO);
    }

    @Test
    void theClientsOwnMistakesAre4xx() {
        assertThat(failedWith(new CommandRejectedException("job x already exists")).getStatus()).isEqualTo(409);
        assertThat(failedWith(new JobVersionMismatchException("x", 3, 4)).getStatus()).isEqualTo(412);
        Response invalid = failedWith(new IllegalArgumentException("instances must not be negative, got -1"));
        assertThat(invalid.getStatus()).isEqualTo(422);
        assertThat(invalid.getEntity()).isInstanceOfSatisfying(ValidationErrorMessage.class, m ->
                assertThat(m.getErrors()).containsExactly("instances must not be negative, got -1"));
    }
}
