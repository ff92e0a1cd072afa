/**
 * The scheduler SDK: implement {@link io.beehive.scheduler.sdk.Scheduler}, run it with a
 * {@link io.beehive.scheduler.sdk.SchedulerDriver}. Callbacks run on one thread in master order; the framework posts
 * its own work into the same queue with {@code SchedulerDriver.post}; status updates are acknowledged explicitly with
 * {@code SchedulerDriver.acknowledgeStatusUpdate} after the framework has persisted them.
 */
package io.beehive.scheduler.sdk;
