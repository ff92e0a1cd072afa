package io.beehive.state;

import io.beehive.election.DigestCredentials;
import io.beehive.election.Fence;
import io.beehive.election.ZooKeeperClients;
import io.beehive.election.ZooKeeperSettings;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DigestAclTest {
    private static final DigestCredentials CREDENTIALS = DigestCredentials.parse("beehive:s3cret");

    @RegisterExtension
    final ZooKeeperFixture zk = new ZooKeeperFixture();

    @Test
    void anUnauthenticatedClientCanNeitherReadNorChangeBeehiveNodes() throws Exception {
        CuratorFramework beehive = zk.client(builder -> CREDENTIALS.applyTo(builder, false));
        ZooKeeperFixture.Leader leader = zk.leader(beehive);
        StateStore store = leader.store();
        Fence fence = leader.fence();
        store.saveJob(fence, Records.job("web")).get(30, TimeUnit.SECONDS);
        store.saveTasks(fence, List.of(Records.task(1))).get(30, TimeUnit.SECONDS);
        String job = store.layout().job("web");
        String task = store.layout().task(Records.task(1).taskId());

        CuratorFramework stranger = zk.client();
        CuratorFramework impostor = zk.client(builder -> builder.authorization("digest",
                "beehive:guess".getBytes(StandardCharsets.UTF_8)));
        for (CuratorFramework outsider : List.of(stranger, impostor)) {
            assertThatThrownBy(() -> outsider.setData().forPath(job, "{}".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> outsider.getData().forPath(task))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> outsider.delete().forPath(job))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> outsider.create().forPath(store.layout().job("intruder")))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> outsider.create().forPath(store.layout().frameworkId()))
                    .isInstanceOf(KeeperException.NoAuthException.class);
        }

        assertThat(beehive.getACL().forPath(job)).containsExactlyElementsOf(CREDENTIALS.acls(false));
        assertThat(store.readJob("web").get(30, TimeUnit.SECONDS)).contains(Records.job("web"));
        // A second Beehive replica with the same credentials reads and takes over.
        CuratorFramework replica = zk.client(builder -> CREDENTIALS.applyTo(builder, false));
        assertThat(zk.leader(replica).loaded().jobs()).hasSize(1);
    }

    @Test
    void worldReadableLetsOutsidersReadButNotWrite() throws Exception {
        CuratorFramework beehive = zk.client(builder -> CREDENTIALS.applyTo(builder, true));
        ZooKeeperFixture.Leader leader = zk.leader(beehive);
        StateStore store = leader.store();
        Fence fence = leader.fence();
        store.saveFrameworkId(fence, "fw-1").get(30, TimeUnit.SECONDS);

        CuratorFramework stranger = zk.client();
        assertThat(new String(stranger.getData().forPath("/beehive/framework-id"), StandardCharsets.UTF_8))
                .isEqualTo("fw-1");
        assertThatThrownBy(() -> stranger.setData().forPath("/beehive/framework-id", new byte[1]))
                .isInstanceOf(KeeperException.NoAuthException.class);
        assertThat(beehive.getACL().forPath("/beehive/framework-id"))
                .contains(new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE));
    }

    @Test
    void aClientBuiltByTheElectionModuleWithTheSameCredentialsInteroperates() throws Exception {
        // The election module's ZooKeeperClients applies the same DigestCredentials ACLs from its settings; the
        // store works on such a client, its nodes are protected, and a client given the DigestCredentials directly
        // with the same user:password is that same identity.
        try (CuratorFramework electionClient = ZooKeeperClients.create(
                ZooKeeperSettings.defaults(zk.connectString()).withDigestCredentials("beehive:s3cret"))) {
            electionClient.start();
            ZooKeeperFixture.Leader leader = zk.leader(electionClient);
            StateStore store = leader.store();
            Fence fence = leader.fence();
            store.saveFrameworkId(fence, "fw-2").get(30, TimeUnit.SECONDS);

            CuratorFramework stranger = zk.client();
            assertThatThrownBy(() -> stranger.setData().forPath("/beehive/framework-id", new byte[1]))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            CuratorFramework sameIdentity = zk.client(builder -> CREDENTIALS.applyTo(builder, false));
            sameIdentity.setData().forPath("/beehive/framework-id", "fw-3".getBytes(StandardCharsets.UTF_8));
            assertThat(store.readFrameworkId().get(30, TimeUnit.SECONDS)).contains("fw-3");
        }
    }

    @Test
    void aFenceTheWriterMayNotReadIsAnErrorNotALostLeadership() throws Exception {
        CuratorFramework beehive = zk.client(builder -> CREDENTIALS.applyTo(builder, false));
        Fence fence = ZooKeeperFixture.fence(beehive);
        StateStore misconfigured = zk.store(zk.client());

        assertThatThrownBy(() -> misconfigured.loadAll(fence)).isInstanceOf(StateWriteException.class)
                .hasMessageContaining("NoAuth");
    }
}
