package io.beehive.scheduler.app;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * One replica of the real application on its own real ZooKeeper and local Mesos cluster ({@link AppFixture}), for
 * the API test classes that need a single leader: started before the class's first test and waited for until it
 * leads, stopped after its last test, replica first (it hands over and closes its session while ZooKeeper and Mesos
 * still run under it). Register it with {@code @RegisterExtension static final SingleReplicaApp APP = ...}.
 */
final class SingleReplicaApp implements BeforeAllCallback, AfterAllCallback {
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final String config;
    private final ConfigOverride[] overrides;
    private final boolean waitForActive;
    private AppFixture fixture;
    private DropwizardAppExtension<BeehiveConfiguration> app;

    private SingleReplicaApp(String config, boolean waitForActive, ConfigOverride... overrides) {
        this.config = config;
        this.overrides = overrides;
        this.waitForActive = waitForActive;
    }

    /** Configured from {@code test.yml} plus these overrides; tests start once its term is ACTIVE. */
    static SingleReplicaApp active(ConfigOverride... overrides) {
        return new SingleReplicaApp(AppFixture.CONFIG, true, overrides);
    }

    /**
     * Configured from another file (e.g. with authentication on, where {@code /v1/state} needs credentials); tests
     * start once it is elected ({@code /leaderhealth} 200).
     */
    static SingleReplicaApp elected(String config, ConfigOverride... overrides) {
        return new SingleReplicaApp(config, false, overrides);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        fixture = new AppFixture();
        app = new DropwizardAppExtension<>(BeehiveApplication.class, config, fixture.overrides(overrides));
        app.before();
        await("the replica elected").atMost(STARTUP).until(() -> Http.get(api("/leaderhealth")).statusCode() == 200);
        if (waitForActive) {
            await("the leader's term ACTIVE").atMost(STARTUP)
                    .until(() -> Http.json(Http.get(api("/v1/state"))).path("phase").asText().equals("ACTIVE"));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (app != null) {
            app.after();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    /** The URL of {@code path} on the replica's API port. */
    String api(String path) {
        return "http://127.0.0.1:" + app.getLocalPort() + path;
    }

    /** The URL of {@code path} on the replica's admin port. */
    String admin(String path) {
        return "http://127.0.0.1:" + app.getAdminPort() + path;
    }

    int apiPort() {
        return app.getLocalPort();
    }

    /** The ZooKeeper server and Mesos cluster under the replica. */
    AppFixture fixture() {
        return fixture;
    }
}
