package io.beehive.state;

import io.beehive.election.Fence;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * For tests that start as the one leader on a fresh ZooKeeper: a client holding a fence, and a store on that
 * client which has loaded the (empty) state under the fence.
 */
abstract class LeaderTestBase {
    @RegisterExtension
    final ZooKeeperFixture zk = new ZooKeeperFixture();

    CuratorFramework client;
    StateStore store;
    Fence fence;

    @BeforeEach
    void becomeLeader() throws Exception {
        ZooKeeperFixture.Leader leader = zk.leader();
        client = leader.client();
        store = leader.store();
        fence = leader.fence();
    }
}
