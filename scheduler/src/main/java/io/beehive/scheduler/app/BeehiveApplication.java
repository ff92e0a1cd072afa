package io.beehive.scheduler.app;

import io.beehive.scheduler.app.admin.AbdicateTask;
import io.beehive.scheduler.app.admin.MesosSubscriptionHealthCheck;
import io.beehive.scheduler.app.admin.QuarantineHealthCheck;
import io.beehive.scheduler.app.admin.ReconcileTask;
import io.beehive.scheduler.app.admin.StateLoadedHealthCheck;
import io.beehive.scheduler.app.admin.StateViewServlet;
import io.beehive.scheduler.app.admin.ZooKeeperHealthCheck;
import io.beehive.scheduler.app.api.ApiWarmUp;
import io.beehive.scheduler.app.api.AgentsResource;
import io.beehive.scheduler.app.api.BodySizeLimitFilter;
import io.beehive.scheduler.app.api.CommandRunner;
import io.beehive.scheduler.app.api.ConsoleResource;
import io.beehive.scheduler.app.api.EventsResource;
import io.beehive.scheduler.app.api.JobsResource;
import io.beehive.scheduler.app.api.ServerJsonExceptionMapper;
import io.beehive.scheduler.app.api.LeaderHealthResource;
import io.beehive.scheduler.app.api.OpenApiResource;
import io.beehive.scheduler.app.api.RuntimeExceptionMappers;
import io.beehive.scheduler.app.api.StateReport;
import io.beehive.scheduler.app.api.StateResource;
import io.beehive.scheduler.app.api.StrictJson;
import io.beehive.scheduler.app.api.TaskLogsResource;
import io.beehive.scheduler.app.api.TasksResource;
import io.beehive.scheduler.app.logs.TaskLogs;
import io.beehive.scheduler.app.config.ApiConfig;
import io.beehive.scheduler.app.events.EventHub;
import io.beehive.scheduler.app.proxy.LeaderForwarder;
import io.beehive.scheduler.app.proxy.LeaderProxyFilter;
import io.beehive.scheduler.app.runtime.FatalExitSignal;
import io.beehive.scheduler.app.runtime.ReplicaRuntime;
import io.beehive.scheduler.app.security.AccessPolicyFilter;
import io.beehive.scheduler.app.view.StateViews;
import io.beehive.scheduler.core.FatalError;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.ServerLifecycleListener;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Beehive's entry point: {@code java -jar beehive.jar server dropwizard.yml}. Wires one replica (see
 * {@link ReplicaRuntime}) behind the REST API and the admin port.
 *
 * <p>Exit codes (the only {@link System#exit} in Beehive is in {@link #main}): 0 after a normal stop or a command
 * such as {@code check}; 1 when start-up fails (bad configuration, ZooKeeper unreachable, port in use); the
 * scheduling core's {@link FatalError} codes (70 task records without a FrameworkID, 71 framework removed by
 * Mesos, 72 subscription refused, 78 unusable configuration) when the replica must not go on.
 */
public class BeehiveApplication extends Application<BeehiveConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(BeehiveApplication.class);
    public static final int EXIT_STARTUP_FAILED = 1;

    private final FatalExitSignal fatal = new FatalExitSignal();
    private volatile boolean serving;
    private volatile boolean startupFailed;

    public static void main(String[] args) throws Exception {
        BeehiveApplication app = new BeehiveApplication();
        app.run(args);
        if (app.startupFailed) {
            System.exit(EXIT_STARTUP_FAILED);
        }
        if (app.serving) {
            // Jetty's threads keep serving; this thread only waits for a reason to end the process. A SIGTERM ends
            // it through the shutdown hook instead (graceful hand-off, then exit 0 by the JVM's own rules).
            FatalError error = app.fatal.firstError().get();
            System.exit(error.exitCode());
        }
    }

    @Override
    public String getName() {
        return "beehive";
    }

    @Override
    public void initialize(Bootstrap<BeehiveConfiguration> bootstrap) {
        // ${VAR} and ${VAR:-default} in dropwizard.yml; an undefined variable without default is left as written
        // (non-strict), so configuration validation reports the field rather than the substitutor failing.
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
    }

    @Override
    public void run(BeehiveConfiguration config, Environment environment) {
        LOG.info("Beehive replica: {}, {}, state root {}", config.zookeeper(), config.mesos(),
                config.replica().root());
        ApiConfig api = config.api();
        ReplicaRuntime runtime = new ReplicaRuntime(config, environment.metrics(), fatal);
        environment.lifecycle().manage(runtime);
        environment.lifecycle().addServerLifecycleListener(new ServerLifecycleListener() {
            @Override
            public void serverStarted(org.eclipse.jetty.server.Server server) {
                runtime.serverStarted(server, getLocalPort(server));
                ApiWarmUp.inBackground(environment.getObjectMapper(), environment.getValidator());
            }
        });
        LeaderForwarder forwarder = new LeaderForwarder(api.proxyTimeout());
        environment.lifecycle().manage(forwarder);
        StateViews views = new StateViews(runtime);
        EventHub events = new EventHub(runtime, api.eventQueueSize(), api.maxEventSubscribers(),
                environment.metrics());
        environment.lifecycle().manage(events);
        TaskLogs logs = new TaskLogs(api.logs(), config.mesos().basicAuthorization(),
                () -> runtime.schedulerIfRunning().flatMap(s -> s.leadingMaster()));
        environment.lifecycle().manage(logs);
        // As soon as the server starts stopping (SIGTERM): hand leadership over first, then let Jetty drain. Managed
        // objects are only stopped after Jetty's graceful shutdown of connectors and the other managed objects, which
        // cost 1.2-1.5 s of every hand-off through HAProxy while nothing led (0.35-0.7 s with this). Event streams never end by themselves: close them too, or the
        // graceful shutdown would wait for them until its grace period runs out.
        environment.lifecycle().addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
            @Override
            public void lifeCycleStopping(org.eclipse.jetty.util.component.LifeCycle event) {
                runtime.stop();
                events.stop();
                logs.stop();
            }
        });

        StrictJson.configure(environment.getObjectMapper());
        registerApi(environment, api, runtime, views, forwarder, events, logs);
        registerAdmin(environment, runtime, views);
        serving = true;
    }

    private static void registerApi(Environment environment, ApiConfig api, ReplicaRuntime runtime, StateViews views,
                                    LeaderForwarder forwarder, EventHub events, TaskLogs logs) {
        long retryAfter = api.retryAfterSeconds();
        CommandRunner commands = new CommandRunner(api.commandTimeout(), retryAfter);
        var jersey = environment.jersey();
        jersey.register(new BodySizeLimitFilter(api.maxRequestBodyBytes()));
        if (api.auth().enabled()) {
            jersey.register(new AccessPolicyFilter(api.auth()));
            LOG.info("API authentication on: {} user(s), {} token(s); reads {}", api.auth().usableUsers().size(),
                    api.auth().usableTokens().size(), api.auth().protectReads() ? "protected" : "open");
        } else {
            LOG.warn("API authentication is OFF: anyone who reaches the API port can change jobs "
                    + "(set api.auth.enabled and BEEHIVE_API_TOKEN or users for a shared machine)");
        }
        jersey.register(new LeaderProxyFilter(runtime, forwarder, retryAfter));
        jersey.register(new ServerJsonExceptionMapper());
        jersey.register(StrictJson.unknownFields());
        jersey.register(new RuntimeExceptionMappers.NotReady(retryAfter));
        jersey.register(new RuntimeExceptionMappers.StateUnavailable(retryAfter));
        jersey.register(new JobsResource(runtime, views, commands));
        jersey.register(new TasksResource(runtime, views, commands));
        jersey.register(new TaskLogsResource(views, logs, retryAfter));
        jersey.register(new AgentsResource(runtime, views, commands));
        jersey.register(new StateResource(runtime, new StateReport(runtime, views), retryAfter));
        jersey.register(new EventsResource(events, retryAfter));
        jersey.register(new OpenApiResource());
        jersey.register(new ConsoleResource());
        jersey.register(new LeaderHealthResource(runtime));
    }

    private static void registerAdmin(Environment environment, ReplicaRuntime runtime, StateViews views) {
        environment.healthChecks().register("zookeeper", new ZooKeeperHealthCheck(runtime));
        environment.healthChecks().register("mesos-subscription", new MesosSubscriptionHealthCheck(runtime));
        environment.healthChecks().register("state-loaded", new StateLoadedHealthCheck(runtime));
        environment.healthChecks().register("quarantine", new QuarantineHealthCheck(runtime));
        environment.admin().addTask(new ReconcileTask(runtime));
        environment.admin().addTask(new AbdicateTask(runtime));
        environment.admin().addServlet("beehive-state",
                new StateViewServlet(new StateReport(runtime, views), environment.getObjectMapper()))
                .addMapping("/beehive");
        PrometheusRegistry prometheus = new PrometheusRegistry();
        DropwizardExports.builder().dropwizardRegistry(environment.metrics()).register(prometheus);
        environment.admin().addServlet("prometheus", new PrometheusMetricsServlet(prometheus))
                .addMapping("/prometheus");
    }

    /** Start-up failures are reported by Dropwizard's CLI; {@link #main} turns them into the exit code. */
    @Override
    protected void onFatalError(Throwable t) {
        startupFailed = true;
    }

    /** For tests: the fatal-error channel the entry point waits on. */
    public FatalExitSignal fatalErrors() {
        return fatal;
    }
}
