package io.beehive.scheduler.app.api;

import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up's sample submissions stay what the API accepts: if a change to the job schema made them invalid, the
 * warm-up would only log a warning and a new leader's first submission would be slow again, unnoticed.
 */
class ApiWarmUpTest {

    @Test
    void theSampleJobsAreReadValidatedAndWrittenBackByTheServersOwnMapper() throws Exception {
        int bytes = ApiWarmUp.submitSamples(StrictJson.configure(Jackson.newObjectMapper()), Validators.newValidator());

        assertThat(bytes).as("bytes of the answers to both samples").isGreaterThan(500);
    }
}
