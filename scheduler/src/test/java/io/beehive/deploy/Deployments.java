package io.beehive.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Starting a {@link LocalDeployment} for a test: skips (JUnit assumption) when haproxy or curl is missing, finds the
 * repository and the packaged jar (failsafe passes {@code beehive.repo} and {@code beehive.jar}, which point at the
 * build directory of this build), runs {@code up.sh} on a fresh run directory and port block.
 */
final class Deployments {
    private Deployments() {}

    /** Runs the deployment from the shaded jar (failsafe ITs run after package). */
    static LocalDeployment startFromJar(Map<String, String> settings) throws Exception {
        return start(settings, false);
    }

    /**
     * Runs the deployment from this JVM's class path (the module's classes and dependencies): how the benchmarks,
     * which surefire runs before the jar is packaged, start the same processes.
     */
    static LocalDeployment startFromClassPath(Map<String, String> settings) throws Exception {
        return start(settings, true);
    }

    /**
     * Runs the deployment from another build (a shaded jar or a class path), with this build's scripts and
     * configuration: how a benchmark compares two builds under the same harness and the same load.
     */
    static LocalDeployment startFromOtherBuild(String classPath, Map<String, String> settings) throws Exception {
        Map<String, String> env = new HashMap<>(settings);
        env.put("BEEHIVE_CLASSPATH", classPath);
        return start(env, false, true);
    }

    /**
     * Runs the deployment from the shaded jar against a real Mesos build ({@code up.sh} with
     * {@code BEEHIVE_REAL_MESOS_HOME}): skips (JUnit assumption) unless the environment variable (or the system
     * property {@code beehive.realMesosHome}) names a build holding {@code build/src/mesos-master}.
     */
    static LocalDeployment startWithRealMesos(Map<String, String> settings) throws Exception {
        Path home = realMesosHome().orElse(null);
        assumeTrue(home != null, LocalDeployment.REAL_MESOS_HOME + " is not set: real-Mesos tests skipped"
            + " (see ../shared/real-mesos/README.md)");
        assumeTrue(Files.isExecutable(home.resolve("build/src/mesos-master")),
            "no build/src/mesos-master under " + home + ": real-Mesos tests skipped");
        Map<String, String> env = new HashMap<>(settings);
        env.put(LocalDeployment.REAL_MESOS_HOME, home.toString());
        return start(env, false);
    }

    static java.util.Optional<Path> realMesosHome() {
        String home = System.getProperty("beehive.realMesosHome", System.getenv(LocalDeployment.REAL_MESOS_HOME));
        return home == null || home.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(Path.of(home));
    }

    private static LocalDeployment start(Map<String, String> settings, boolean fromClassPath) throws Exception {
        return start(settings, fromClassPath, false);
    }

    private static LocalDeployment start(Map<String, String> settings, boolean fromClassPath, boolean classPathGiven)
            throws Exception {
        assumeTrue(onPath("haproxy"), "haproxy is not installed (apt-get install -y haproxy): deploy tests skipped");
        assumeTrue(onPath("curl"), "curl is not installed: deploy tests skipped");
        Path repo = repo();
        Path jar = Path.of(System.getProperty("beehive.jar", repo.resolve("scheduler/target/beehive.jar").toString()));
        Map<String, String> env = new HashMap<>(settings);
        if (fromClassPath) {
            env.put("BEEHIVE_CLASSPATH", System.getProperty("java.class.path"));
        } else if (!classPathGiven) {
            assertThat(jar).as("the packaged jar (run through failsafe after package)").exists();
        }
        Path runDir = Files.createTempDirectory("beehive-deploy").resolve("run");
        // a copy taken now: the work tree's dropwizard.yml may change under a long test (other work in progress), and
        // a replica restarted later must read the configuration the others started with
        Files.createDirectories(runDir);
        Path config = Files.copy(repo.resolve("dropwizard.yml"), runDir.resolve("dropwizard.yml"));
        env.putIfAbsent("BEEHIVE_CONFIG", config.toString());
        LocalDeployment deployment = new LocalDeployment(repo, jar, runDir, env);
        LocalDeployment.ScriptResult up = deployment.up();
        if (up.exitCode() != 0) {
            deployment.close();
        }
        assertThat(up.exitCode()).as("up.sh exit code").isZero();
        return deployment;
    }

    /** The repository root: failsafe's {@code beehive.repo}, or the module's parent when run from the module. */
    static Path repo() {
        String configured = System.getProperty("beehive.repo");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("deploy/local/up.sh")) ? here : here.getParent();
    }

    static boolean onPath(String command) throws IOException, InterruptedException {
        return new ProcessBuilder("bash", "-c", "command -v " + command).start().waitFor() == 0;
    }
}
