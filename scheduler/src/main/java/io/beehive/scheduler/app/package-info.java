/**
 * The Dropwizard application: one Beehive replica behind a REST API and Dropwizard's admin port.
 *
 * <ul>
 *   <li>{@code BeehiveApplication} wires everything; {@code BeehiveConfiguration} and {@code config} are
 *       {@code dropwizard.yml}.</li>
 *   <li>{@code runtime}: the replica's process lifecycle ({@code ReplicaRuntime}, a {@code ReplicaPhase} state
 *       machine) and the channel that carries fatal errors to the entry point.</li>
 *   <li>{@code api}: the {@code /v1} resources, request validation and error answers; {@code view}: where reads
 *       come from (leader memory or ZooKeeper) and the term status every replica shows; {@code proxy}: followers forwarding writes to the leader;
 *       {@code security}: which requests need credentials; {@code events}: the server-sent event stream, pushed by the core and the
 *       election watch, relayed by followers.</li>
 *   <li>{@code metrics}: ZooKeeper operation latencies from the Curator client.</li>
 *   <li>{@code admin}: health checks, admin tasks and the state view on the admin port.</li>
 * </ul>
 */
package io.beehive.scheduler.app;
