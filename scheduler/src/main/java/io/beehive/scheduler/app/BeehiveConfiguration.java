package io.beehive.scheduler.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.beehive.scheduler.app.config.ApiConfig;
import io.beehive.scheduler.app.config.MesosConfig;
import io.beehive.scheduler.app.config.ReconciliationConfig;
import io.beehive.scheduler.app.config.ReplicaConfig;
import io.beehive.scheduler.app.config.TasksConfig;
import io.beehive.scheduler.app.config.ZooKeeperConfig;
import io.beehive.scheduler.core.CoreConfig;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * The whole of {@code dropwizard.yml}: Dropwizard's own {@code server}/{@code logging}/{@code metrics} sections plus
 * Beehive's {@code zookeeper}, {@code replica}, {@code mesos}, {@code reconciliation}, {@code tasks} and {@code api}. Every value
 * has a default that runs on one machine; real deployments override them (see README.md for the keys and their
 * environment variables).
 */
public class BeehiveConfiguration extends Configuration {
    @JsonProperty
    @Valid
    @NotNull
    private ZooKeeperConfig zookeeper = new ZooKeeperConfig().embedded(2181);

    @JsonProperty
    @Valid
    @NotNull
    private ReplicaConfig replica = new ReplicaConfig();

    @JsonProperty
    @Valid
    @NotNull
    private MesosConfig mesos = new MesosConfig();

    @JsonProperty
    @Valid
    @NotNull
    private ReconciliationConfig reconciliation = new ReconciliationConfig();

    @JsonProperty
    @Valid
    @NotNull
    private TasksConfig tasks = new TasksConfig();

    @JsonProperty
    @Valid
    @NotNull
    private ApiConfig api = new ApiConfig();

    public ZooKeeperConfig zookeeper() {
        return zookeeper;
    }

    public ReplicaConfig replica() {
        return replica;
    }

    public MesosConfig mesos() {
        return mesos;
    }

    public ReconciliationConfig reconciliation() {
        return reconciliation;
    }

    public TasksConfig tasks() {
        return tasks;
    }

    public ApiConfig api() {
        return api;
    }

    /** The scheduling core's settings; the values not exposed here keep the core's production defaults. */
    public CoreConfig coreConfig() {
        CoreConfig.Builder b = CoreConfig.builder()
                .frameworkName(mesos.frameworkName())
                .role(mesos.role())
                .failoverTimeout(mesos.failoverTimeout())
                .periodicReconcileInterval(reconciliation.interval())
                .reconcileBackoff(reconciliation.initialBackoff(), reconciliation.maxBackoff())
                .reconcileMaxDuration(reconciliation.maxDuration())
                .reconcileBatchSize(reconciliation.batchSize())
                .killUnknownTasks(tasks.killUnknown())
                .unreachableReplaceAfter(tasks.unreachableReplaceAfter())
                .stagingTimeout(tasks.stagingTimeout())
                .killRetryInterval(tasks.killRetryInterval())
                .killReplaceAfter(tasks.killReplaceAfter())
                .history(tasks.historyMaxPerJob(), tasks.historyMaxAge());
        mesos.user().ifPresent(b::user);
        return b.build();
    }
}
