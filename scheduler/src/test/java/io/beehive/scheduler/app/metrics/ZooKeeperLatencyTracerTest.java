package io.beehive.scheduler.app.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ZooKeeperLatencyTracerTest {
    @Test
    void curatorTraceNamesBecomeOperationNames() {
        assertThat(ZooKeeperLatencyTracer.operationName("GetDataBuilderImpl-Background")).isEqualTo("get_data");
        assertThat(ZooKeeperLatencyTracer.operationName("TempGetDataBuilderImpl-Foreground")).isEqualTo("get_data");
        assertThat(ZooKeeperLatencyTracer.operationName("GetChildrenBuilderImpl-Foreground"))
                .isEqualTo("get_children");
        assertThat(ZooKeeperLatencyTracer.operationName("CuratorMultiTransactionImpl-Foreground")).isEqualTo("multi");
        assertThat(ZooKeeperLatencyTracer.operationName("GetACLBuilderImpl-Foreground")).isEqualTo("get_acl");
        assertThat(ZooKeeperLatencyTracer.operationName("RemoteWatches-Background")).isEqualTo("remote_watches");
        assertThat(ZooKeeperLatencyTracer.operationName(null)).isEqualTo("unknown");
    }
}
