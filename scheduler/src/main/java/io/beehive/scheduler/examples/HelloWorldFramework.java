package io.beehive.scheduler.examples;

import io.beehive.scheduler.mesos.MesosClientConfig;
import io.beehive.scheduler.sdk.Scheduler;
import io.beehive.scheduler.sdk.SchedulerDriver;
import org.apache.mesos.v1.Protos.*;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The seed's hello world: launch {@code echo hello world} on every offer, up to {@code maxTasks} tasks. */
public final class HelloWorldFramework implements Scheduler {
    private final int maxTasks;
    private final AtomicInteger launched = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();

    public HelloWorldFramework(int maxTasks) { this.maxTasks = maxTasks; }

    @Override
    public void resourceOffers(SchedulerDriver driver, List<Offer> offers) {
        for (Offer offer : offers) {
            if (launched.get() >= maxTasks) {
                driver.declineOffer(offer.getId(), Filters.newBuilder().setRefuseSeconds(60).build());
                continue;
            }
            TaskInfo task = TaskInfo.newBuilder().setName("hello")
                    .setTaskId(TaskID.newBuilder().setValue("hello-" + launched.incrementAndGet()))
                    .setAgentId(offer.getAgentId())
                    .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 32))
                    .setCommand(CommandInfo.newBuilder().setValue("echo hello world")).build();
            driver.launchTasks(offer.getId(), List.of(task));
        }
    }

    @Override
    public void statusUpdate(SchedulerDriver driver, TaskStatus status) {
        if (status.getState() == TaskState.TASK_FINISHED) {
            finished.incrementAndGet();
        }
        driver.acknowledgeStatusUpdate(status); // nothing to persist here
    }

    public int finishedTasks() {
        return finished.get();
    }

    private static Resource scalar(String name, double value) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

    public static void main(String[] args) throws InterruptedException { // args: host:port[,…] or zk://…/mesos
        SchedulerDriver driver = new SchedulerDriver(new HelloWorldFramework(1), MesosClientConfig.builder().masters(args[0])
                .frameworkInfo(FrameworkInfo.newBuilder().setUser(System.getProperty("user.name")).setName("hello world").build()).build());
        driver.start();
        driver.await();
    }
}
