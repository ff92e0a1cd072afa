/**
 * The Mesos v1 scheduler HTTP client (no libmesos).
 *
 * <p>Entry point: {@link io.beehive.scheduler.mesos.MesosClient}, configured by
 * {@link io.beehive.scheduler.mesos.MesosClientConfig} and reporting to a
 * {@link io.beehive.scheduler.mesos.MesosClientListener}. Calls are built with
 * {@link io.beehive.scheduler.mesos.SchedulerCalls} and sent with {@code MesosClient.call}. The connection lifecycle
 * is {@link io.beehive.scheduler.mesos.ConnectionState}; the leading master is found by a
 * {@link io.beehive.scheduler.mesos.MasterDetector} (static list with 307 following, or ZooKeeper). The stream is
 * RecordIO ({@link io.beehive.scheduler.mesos.RecordIoDecoder}) in either {@link io.beehive.scheduler.mesos.Encoding}.
 *
 * <p>Most frameworks should use the callback SDK in {@code io.beehive.scheduler.sdk} instead of this package directly.
 */
package io.beehive.scheduler.mesos;
