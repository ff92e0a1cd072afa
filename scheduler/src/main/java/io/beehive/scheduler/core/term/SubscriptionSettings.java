package io.beehive.scheduler.core.term;

import io.beehive.scheduler.core.CoreConfig;
import io.beehive.scheduler.core.MesosConnection;
import io.beehive.scheduler.mesos.MesosClientConfig;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;

/**
 * What a term subscribes with: the FrameworkInfo (checkpointing on, PARTITION_AWARE and TASK_KILLING_STATE, the
 * configured failover timeout, the stored FrameworkID if any) and the Mesos client's settings.
 */
final class SubscriptionSettings {
    private SubscriptionSettings() {
    }

    /** @param frameworkId the stored FrameworkID, or null to register a new framework */
    static MesosClientConfig clientConfig(CoreConfig config, MesosConnection mesos, String frameworkId) {
        FrameworkInfo.Builder info = FrameworkInfo.newBuilder()
                .setUser(config.user())
                .setName(config.frameworkName())
                .setRole(config.role())
                .setFailoverTimeout(config.failoverTimeout().toMillis() / 1000.0)
                .setCheckpoint(true)
                .addCapabilities(FrameworkInfo.Capability.newBuilder()
                        .setType(FrameworkInfo.Capability.Type.PARTITION_AWARE))
                .addCapabilities(FrameworkInfo.Capability.newBuilder()
                        .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE));
        MesosClientConfig.Builder client = MesosClientConfig.builder()
                .masters(mesos.masters())
                .encoding(mesos.encoding());
        if (frameworkId != null) {
            FrameworkID id = FrameworkID.newBuilder().setValue(frameworkId).build();
            info.setId(id);
            client.frameworkId(id);
        }
        if (mesos.principal().isPresent()) {
            info.setPrincipal(mesos.principal().get());
            client.credentials(mesos.principal().get(), mesos.secret().orElseThrow());
        }
        return client.frameworkInfo(info.build()).build();
    }
}
