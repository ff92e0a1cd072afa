package io.beehive.scheduler.app;

import io.beehive.scheduler.app.browser.Browser;
import io.dropwizard.testing.ResourceHelpers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console with {@code api.auth} on and reads protected ({@code auth-test.yml}): its files are public (they hold
 * no data), the data is not; the page asks for credentials, and with a token it reads the API and follows the event
 * stream (which it reads with fetch, sending the token, because EventSource cannot send headers).
 */
class ConsoleSignInTest {
    @RegisterExtension
    static final SingleReplicaApp APP =
            SingleReplicaApp.elected(ResourceHelpers.resourceFilePath("io/beehive/scheduler/app/auth-test.yml"));
    @RegisterExtension
    static final Browser BROWSER = new Browser();

    @Test
    void theFilesArePublicButTheDataNeedsCredentials() {
        HttpResponse<String> page = Http.get(APP.api("/"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(p -> assertThat(p)
                .contains("default-src 'self'"));
        assertThat(Http.get(APP.api("/console/app.js")).statusCode()).isEqualTo(200);
        assertThat(Http.get(APP.api("/console/..%2Fopenapi.yaml")).statusCode()).as("nothing outside the console's folder")
                .isBetween(400, 404);
        assertThat(Http.get(APP.api("/console/nope.js")).statusCode()).isEqualTo(404);
        assertThat(Http.get(APP.api("/v1/state")).statusCode()).isEqualTo(401);
        assertThat(Http.streamStatus(APP.api("/v1/events"))).isEqualTo(401);
    }

    @Test
    void theConsoleAsksForATokenThenReadsAndFollowsTheApi() {
        String self = Http.json(Http.get(APP.api("/v1/state"), "Authorization", "Bearer s3cret-token")).path("self")
                .asText();
        BROWSER.open(APP.api("/"));
        BROWSER.await("the sign-in dialog", d -> BROWSER.find("#login").isDisplayed() ? true : null);
        BROWSER.awaitText("the stream says it is signed out", "#live-state", "signed out"::equals);

        BROWSER.type("#login-token", "s3cret-token");
        BROWSER.click("#login-form button[type='submit']");
        BROWSER.awaitText("the overview read with the token", "#overview-leader", self::equals);
        BROWSER.awaitText("the event stream followed with the token", "#live-state", "live"::equals);
        BROWSER.awaitText("the leader from the stream", "#leader-name", self::equals);
        assertThat(BROWSER.find("#auth-button").getText()).isEqualTo("Sign out");
    }
}
