package io.beehive.scheduler.app;

import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.ResourceConfigurationSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shipped dropwizard.yml, validation messages, secret redaction, and the entry point's exit codes. */
class ConfigurationTest {
    private static final Path SHIPPED = Path.of("..", "dropwizard.yml");
    private final YamlConfigurationFactory<BeehiveConfiguration> factory = new YamlConfigurationFactory<>(
            BeehiveConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(),
            // not "dw": the application tests' ConfigOverrides set dw.* system properties in this JVM
            "beehive-configuration-test");

    private BeehiveConfiguration parse(String yaml) throws Exception {
        return factory.build(path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yml");
    }

    @Test
    void theShippedFileRunsOnOneMachineByDefault() throws Exception {
        // Without environment variables the ${VAR:-default} defaults apply (substituted here as the app does).
        String yaml = Files.readString(SHIPPED).replaceAll("\\$\\{[A-Z_]+:-([^}]*)}", "$1");
        BeehiveConfiguration c = parse(yaml);
        assertThat(c.zookeeper().embedded()).isTrue();
        assertThat(c.mesos().isLocal()).isTrue();
        assertThat(c.api().auth().enabled()).isFalse();
        assertThat(c.coreConfig().failoverTimeout()).hasDays(7);
        assertThat(c.coreConfig().killReplaceAfter()).hasMinutes(1);
        assertThat(c.coreConfig().historyMaxPerJob()).isEqualTo(10);
        assertThat(c.api().logs().maxBytesPerRequest()).isEqualTo(1024 * 1024);
        assertThat(c.api().logs().defaultBytes()).isEqualTo(64 * 1024);
        assertThat(Files.readString(SHIPPED)).contains("${BEEHIVE_ZK_CONNECT:-}", "${BEEHIVE_MESOS_MASTERS:-local}",
                "${BEEHIVE_API_TOKEN:-}", "${BEEHIVE_MESOS_SECRET:-}", "${BEEHIVE_ZK_DIGEST:-}");
    }

    @Test
    void invalidCombinationsAreRefusedWithAMessageNamingTheKeys() {
        assertThatThrownBy(() -> parse("zookeeper: {embedded: true, connect: 'zk:2181'}"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("zookeeper.connect").hasMessageContaining("embedded");
        assertThatThrownBy(() -> parse("api: {logs: {maxBytesPerRequest: 16KiB, defaultBytes: 64KiB}}"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("api.logs.defaultBytes must not be larger than api.logs.maxBytesPerRequest");
        assertThatThrownBy(() -> parse("api: {logs: {followPollInterval: 1ms}}"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("followPollInterval");
        assertThatThrownBy(() -> parse("mesos: {principal: beehive}"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("mesos.principal and mesos.secret go together");
        assertThatThrownBy(() -> parse("api: {auth: {enabled: true, tokens: [{name: ci, token: ''}]}}"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("at least one user with a password or one token");
        assertThatThrownBy(() -> parse("zookeeper: {embedded: false, connect: 'zk:2181', digest: 'nopassword'}"))
                .isInstanceOf(ConfigurationValidationException.class).hasMessageContaining("user:password");
        assertThatThrownBy(() -> parse("mesos: {failoverTimeout: 0s}"))
                .isInstanceOf(ConfigurationValidationException.class).hasMessageContaining("failoverTimeout");
        assertThatThrownBy(() -> parse("tasks: {historyMaxPerJob: 0}"))
                .isInstanceOf(ConfigurationValidationException.class).hasMessageContaining("tasks.historyMaxPerJob");
    }

    @Test
    void taskPoliciesReachTheCore() throws Exception {
        BeehiveConfiguration c = parse("tasks: {killUnknown: false, unreachableReplaceAfter: 30s, stagingTimeout: 2m,"
                + " killRetryInterval: 5s, killReplaceAfter: 20s, historyMaxPerJob: 3, historyMaxAge: 2h}");
        assertThat(c.coreConfig().killUnknownTasks()).isFalse();
        assertThat(c.coreConfig().unreachableReplaceAfter()).hasSeconds(30);
        assertThat(c.coreConfig().stagingTimeout()).hasMinutes(2);
        assertThat(c.coreConfig().killRetryInterval()).hasSeconds(5);
        assertThat(c.coreConfig().killReplaceAfter()).hasSeconds(20);
        assertThat(c.coreConfig().historyMaxPerJob()).isEqualTo(3);
        assertThat(c.coreConfig().historyMaxAge()).hasHours(2);
    }

    @Test
    void secretsNeverAppearInStrings() throws Exception {
        BeehiveConfiguration c = parse("""
                zookeeper: {embedded: false, connect: 'zk:2181', digest: 'beehive:zk-pass-123'}
                mesos: {masters: 'm1:5050', principal: beehive, secret: mesos-pass-456}
                api: {auth: {enabled: true, users: [{name: admin, password: api-pass-789}],
                             tokens: [{name: ci, token: token-000}]}}
                """);
        String printed = c.zookeeper() + " " + c.mesos() + " " + c.zookeeper().settings("zk:2181") + " "
                + c.api().auth().usableUsers().get(0).password() + " " + c.api().auth().usableTokens().get(0).token()
                + " " + Jackson.newObjectMapper().writeValueAsString(c.mesos());
        assertThat(printed).doesNotContain("zk-pass-123", "mesos-pass-456", "api-pass-789", "token-000")
                .contains("******");
        assertThat(c.mesos().connection("unused").secret()).hasValue("mesos-pass-456");
    }

    @Test
    void checkCommandExitCodesAndEnvironmentVariables() throws Exception {
        Run ok = java(Map.of("BEEHIVE_ZK_EMBEDDED", "false", "BEEHIVE_ZK_CONNECT", "zk1:2181,zk2:2181",
                "BEEHIVE_MESOS_MASTERS", "zk://zk1:2181/mesos"), "check", SHIPPED.toString());
        assertThat(ok.exitValue()).as(ok.output()).isZero();

        // An ensemble named while the embedded server stays on: refused, exit code 1, and the message says why.
        Run bad = java(Map.of("BEEHIVE_ZK_CONNECT", "zk1:2181"), "check", SHIPPED.toString());
        assertThat(bad.exitValue()).isEqualTo(1);
        assertThat(bad.output()).contains("zookeeper.connect");
    }

    private record Run(int exitValue, String output) {
    }

    private static Run java(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BeehiveApplication.class.getName()));
        command.addAll(List.of(args));
        File log = File.createTempFile("beehive-check", ".log");
        log.deleteOnExit();
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("check finishes").isTrue();
        return new Run(p.exitValue(), Files.readString(log.toPath()));
    }
}
