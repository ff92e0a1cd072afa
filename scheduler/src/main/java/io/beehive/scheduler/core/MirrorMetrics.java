package io.beehive.scheduler.core;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.beehive.state.StateMirror;

/** The state mirror's figures on the admin port; gauges, since the mirror keeps its own counts. */
final class MirrorMetrics {
    /** Full reads after the first: each follows a watch lost or interrupted with the ZooKeeper connection. */
    static final String RESYNCS = "beehive.state.mirror.resyncs";
    /** Terms that could not start from the mirror (not trusted, or not caught up in time) and read every record. */
    static final String FALLBACKS = "beehive.state.mirror.fallbacks";
    /** Changed records read again and applied. */
    static final String APPLIED = "beehive.state.mirror.records-applied";
    /** 1 while the mirror follows every change, 0 from a lost connection until it has read everything again. */
    static final String TRUSTED = "beehive.state.mirror.trusted";
    static final String TASKS = "beehive.state.mirror.tasks";

    private MirrorMetrics() {
    }

    static void register(MetricRegistry registry, StateMirror mirror) {
        // A registry outlives replicas in tests that restart one on the same registry: the newest mirror counts.
        for (String name : new String[] {RESYNCS, FALLBACKS, APPLIED, TRUSTED, TASKS}) {
            registry.remove(name);
        }
        registry.register(RESYNCS, (Gauge<Long>) mirror::resyncs);
        registry.register(FALLBACKS, (Gauge<Long>) mirror::fallbacks);
        registry.register(APPLIED, (Gauge<Long>) mirror::recordsApplied);
        registry.register(TRUSTED, (Gauge<Integer>) () -> mirror.trusted() ? 1 : 0);
        registry.register(TASKS, (Gauge<Integer>) () -> mirror.tasks().size());
    }
}
