package io.beehive.scheduler.examples;

import io.beehive.local.LocalCluster;
import io.beehive.local.LocalClusterConfig;
import io.beehive.scheduler.mesos.Encoding;
import io.beehive.scheduler.mesos.MesosClientConfig;
import io.beehive.scheduler.sdk.SchedulerDriver;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HelloWorldFrameworkTest {

    @TempDir
    Path workDir;

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void printsHelloWorldInARealProcessOnTheLocalCluster(Encoding encoding) throws Exception {
        try (LocalCluster cluster = LocalCluster.start(LocalClusterConfig.builder().workDir(workDir).agents(2).build())) {
            HelloWorldFramework hello = new HelloWorldFramework(2);
            SchedulerDriver driver = new SchedulerDriver(hello, MesosClientConfig.builder()
                    .masters(cluster.leaderUri().getHost() + ":" + cluster.leaderUri().getPort())
                    .encoding(encoding)
                    .frameworkInfo(FrameworkInfo.newBuilder().setUser(System.getProperty("user.name"))
                            .setName("hello world").build()).build());
            try {
                driver.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> hello.finishedTasks() == 2);
                String framework = driver.frameworkId().orElseThrow().getValue();
                for (String task : new String[] {"hello-1", "hello-2"}) {
                    Path stdout = cluster.sandbox(framework, task).resolve("stdout");
                    assertThat(Files.readString(stdout, StandardCharsets.UTF_8)).isEqualTo("hello world\n");
                }
            } finally {
                driver.stop();
            }
        }
    }
}
