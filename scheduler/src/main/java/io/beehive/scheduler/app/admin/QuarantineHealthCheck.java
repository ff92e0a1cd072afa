package io.beehive.scheduler.app.admin;

import com.codahale.metrics.health.HealthCheck;
import io.beehive.scheduler.app.runtime.ReplicaRuntime;
import io.beehive.state.StateLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

import java.util.List;
import java.util.Optional;

/**
 * Unhealthy while records sit in quarantine: they could not be read, so the scheduler ignores them (a job or task
 * the operator may be missing). The message names them; the runbook is in README.md.
 */
public final class QuarantineHealthCheck extends HealthCheck {
    private static final int NAMES_SHOWN = 10;
    private final ReplicaRuntime runtime;

    public QuarantineHealthCheck(ReplicaRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    protected Result check() throws Exception {
        Optional<CuratorFramework> zk = runtime.zookeeper();
        if (zk.isEmpty()) {
            return Result.unhealthy("no ZooKeeper client (replica is %s)", runtime.phase());
        }
        String path = new StateLayout(runtime.stateRoot()).quarantine();
        List<String> names;
        try {
            names = zk.get().getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return Result.healthy("no quarantine yet");
        }
        if (names.isEmpty()) {
            return Result.healthy("no quarantined records");
        }
        List<String> shown = names.stream().sorted().limit(NAMES_SHOWN).toList();
        return Result.unhealthy("%d record(s) quarantined under %s: %s%s", names.size(), path, shown,
                names.size() > NAMES_SHOWN ? " ..." : "");
    }
}
