package io.beehive.scheduler.app;

import io.beehive.scheduler.app.browser.Browser;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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
@ExtendWith(DropwizardExtensionsSupport.class)
class ConsoleSignInTest {
    private static final AppFixture FIXTURE = new AppFixture();
    static final DropwizardAppExtension<BeehiveConfiguration> APP = new DropwizardAppExtension<>(
            BeehiveApplication.class, ResourceHelpers.resourceFilePath("io/beehive/scheduler/app/auth-test.yml"),
            FIXTURE.overrides());
    @RegisterExtension
    static final Browser BROWSER = new Browser();

    @BeforeAll
    static void leaderElected() {
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url("/leaderhealth")).statusCode() == 200);
    }

    @AfterAll
    static void closeFixture() throws Exception {
        APP.after();
        FIXTURE.close();
    }

    static String url(String path) {
        return "http://127.0.0.1:" + APP.getLocalPort() + path;
    }

    @Test
    void theFilesArePublicButTheDataNeedsCredentials() {
        HttpResponse<String> page = Http.get(url("/"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(p -> assertThat(p)
                .contains("default-src 'self'"));
        assertThat(Http.get(url("/console/app.js")).statusCode()).isEqualTo(200);
        assertThat(Http.get(url("/console/..%2Fopenapi.yaml")).statusCode()).as("nothing outside the console's folder")
                .isBetween(400, 404);
        assertThat(Http.get(url("/console/nope.js")).statusCode()).isEqualTo(404);
        assertThat(Http.get(url("/v1/state")).statusCode()).isEqualTo(401);
        assertThat(Http.streamStatus(url("/v1/events"))).isEqualTo(401);
    }

    @Test
    void theConsoleAsksForATokenThenReadsAndFollowsTheApi() {
        String self = Http.json(Http.get(url("/v1/state"), "Authorization", "Bearer s3cret-token")).path("self")
                .asText();
        BROWSER.open(url("/"));
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
