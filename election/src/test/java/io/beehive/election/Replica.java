package io.beehive.election;

import java.time.Duration;

import org.apache.curator.framework.CuratorFramework;

/** One scheduler replica as far as election goes: its own ZooKeeper client, election and recorder. */
final class Replica implements AutoCloseable {
    static final String ROOT = "/beehive";

    final String id;
    final CuratorFramework client;
    final LeaderElection election;
    final RecordingListener listener;

    private Replica(String id, CuratorFramework client, LeaderElection election, RecordingListener listener) {
        this.id = id;
        this.client = client;
        this.election = election;
        this.listener = listener;
    }

    static Replica start(String id, ZooKeeperSettings zk, Timeline timeline) {
        return start(id, zk, ElectionSettings.of(ROOT, id).withHandOffTimeout(Duration.ofSeconds(20)), timeline);
    }

    static Replica start(String id, ZooKeeperSettings zk, ElectionSettings settings, Timeline timeline) {
        CuratorFramework client = ZooKeeperClients.create(zk);
        client.start();
        RecordingListener listener = new RecordingListener(id, timeline);
        LeaderElection election = new LeaderElection(client, settings, listener);
        election.start();
        return new Replica(id, client, election, listener);
    }

    boolean leading() {
        return election.state() == LeadershipState.LEADING;
    }

    @Override
    public void close() {
        election.close();
        client.close();
    }

    @Override
    public String toString() {
        return id + "(" + election.state() + ")";
    }
}
