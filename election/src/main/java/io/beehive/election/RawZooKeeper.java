package io.beehive.election;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;

/** The ZooKeeper handle under a Curator client, for calls that must fail fast instead of retrying. */
final class RawZooKeeper {
    private RawZooKeeper() {
    }

    static ZooKeeper of(CuratorFramework client) throws KeeperException {
        try {
            return client.getZookeeperClient().getZooKeeper();
        } catch (KeeperException e) {
            throw e;
        } catch (Exception e) {
            // Curator wraps "no session yet" in a plain Exception; to callers it is a lost connection.
            throw new KeeperException.ConnectionLossException();
        }
    }
}
