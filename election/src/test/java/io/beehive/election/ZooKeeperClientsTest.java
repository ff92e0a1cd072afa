package io.beehive.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.Test;

class ZooKeeperClientsTest {

    @Test
    void digestCredentialsLockEveryCreatedNodeToTheirOwner() throws Exception {
        try (TestingServer server = ZooKeeperTestSupport.server()) {
            ZooKeeperSettings base = ZooKeeperTestSupport.settings(server.getConnectString(), Duration.ofSeconds(4));
            try (CuratorFramework owner = started(base.withDigestCredentials("beehive:s3cret"));
                 CuratorFramework stranger = started(base);
                 CuratorFramework wrongPassword = started(base.withDigestCredentials("beehive:guess"))) {
                owner.create().creatingParentsIfNeeded().forPath("/beehive/secret", bytes("x"));

                for (String path : new String[] {"/beehive", "/beehive/secret"}) {
                    assertThat(owner.getACL().forPath(path)).singleElement().satisfies(acl -> {
                        assertThat(acl.getPerms()).isEqualTo(ZooDefs.Perms.ALL);
                        assertThat(acl.getId().getScheme()).isEqualTo("digest");
                        assertThat(acl.getId().getId()).startsWith("beehive:");
                    });
                }
                assertThatThrownBy(() -> stranger.getData().forPath("/beehive/secret"))
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> wrongPassword.setData().forPath("/beehive/secret", bytes("y")))
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThat(owner.getData().forPath("/beehive/secret")).isEqualTo(bytes("x"));
            }
        }
    }

    @Test
    void withoutCredentialsNodesAreOpen() throws Exception {
        try (TestingServer server = ZooKeeperTestSupport.server();
             CuratorFramework client = started(ZooKeeperSettings.defaults(server.getConnectString()))) {
            client.create().forPath("/open");
            assertThat(client.getACL().forPath("/open")).containsExactlyElementsOf(ZooDefs.Ids.OPEN_ACL_UNSAFE);
        }
    }

    @Test
    void theServerGrantsTheConfiguredSessionTimeoutWithinItsBounds() throws Exception {
        try (TestingServer server = ZooKeeperTestSupport.server();
             CuratorFramework client = started(
                     ZooKeeperTestSupport.settings(server.getConnectString(), Duration.ofMillis(2500)))) {
            client.blockUntilConnected();
            assertThat(client.getZookeeperClient().getZooKeeper().getSessionTimeout()).isEqualTo(2500);
        }
    }

    @Test
    void badSettingsAreRefusedWithAClearMessage() {
        ZooKeeperSettings ok = ZooKeeperSettings.defaults("zk1:2181,zk2:2181");
        assertThat(ok.sessionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ok.simulatedSessionExpirationPercent()).isEqualTo(100);

        assertThatThrownBy(() -> ZooKeeperSettings.defaults("zk1:2181/chroot"))
                .hasMessageContaining("chroot");
        assertThatThrownBy(() -> ZooKeeperSettings.defaults(" ")).hasMessageContaining("connectString");
        assertThatThrownBy(() -> ok.withSessionTimeout(Duration.ZERO)).hasMessageContaining("sessionTimeout");
        assertThatThrownBy(() -> ok.withSimulatedSessionExpirationPercent(0)).hasMessageContaining("1..100");
        assertThatThrownBy(() -> ok.withDigestCredentials("nocolon"))
                .hasMessageContaining("user:password").hasMessageNotContaining("nocolon");
        assertThatThrownBy(() -> ok.withDigestCredentials(":pw")).hasMessageContaining("user:password");
        assertThatThrownBy(() -> ElectionSettings.of("beehive", "h:1")).hasMessageContaining("absolute");
        assertThatThrownBy(() -> ElectionSettings.of("/beehive", " ")).hasMessageContaining("advertised");
    }

    @Test
    void settingsNeverPrintThePassword() {
        ZooKeeperSettings settings = ZooKeeperSettings.defaults("zk:2181").withDigestCredentials("beehive:s3cret");
        assertThat(settings.toString()).contains("digestUser=beehive").doesNotContain("s3cret");
        assertThat(settings.digestUser()).contains("beehive");
    }

    private static CuratorFramework started(ZooKeeperSettings settings) {
        CuratorFramework client = ZooKeeperClients.create(settings);
        client.start();
        return client;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
