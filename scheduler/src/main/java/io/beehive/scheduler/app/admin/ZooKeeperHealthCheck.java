package io.beehive.scheduler.app.admin;

import com.codahale.metrics.health.HealthCheck;
import io.beehive.scheduler.app.runtime.ReplicaRuntime;
import org.apache.curator.framework.CuratorFramework;

import java.util.Optional;

/** Unhealthy while this replica's ZooKeeper connection is down (it can then neither lead nor serve fresh reads). */
public final class ZooKeeperHealthCheck extends HealthCheck {
    private final ReplicaRuntime runtime;

    public ZooKeeperHealthCheck(ReplicaRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    protected Result check() {
        Optional<CuratorFramework> zk = runtime.zookeeper();
        if (zk.isEmpty()) {
            return Result.unhealthy("no ZooKeeper client (replica is %s)", runtime.phase());
        }
        return zk.get().getZookeeperClient().isConnected()
                ? Result.healthy("connected to %s", zk.get().getZookeeperClient().getCurrentConnectionString())
                : Result.unhealthy("not connected to ZooKeeper");
    }
}
