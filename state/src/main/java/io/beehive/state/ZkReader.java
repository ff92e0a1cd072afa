package io.beehive.state;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.BackgroundCallback;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Asynchronous ZooKeeper reads, and nothing else: the classes that only read get this, not the Curator client,
 * so no write can bypass {@link FencedWriter}. An absent node is a normal answer ({@code null}), not an error.
 */
final class ZkReader {
    /** A node's value and its stat. */
    record Node(byte[] data, Stat stat) {
    }

    private final CuratorFramework client;

    ZkReader(CuratorFramework client) {
        this.client = client;
    }

    CompletableFuture<Stat> exists(String path) {
        return read(path, callback -> client.checkExists().inBackground(callback).forPath(path),
                CuratorEvent::getStat);
    }

    /** Children names, or {@code null} if the node does not exist. */
    CompletableFuture<List<String>> children(String path) {
        return read(path, callback -> client.getChildren().inBackground(callback).forPath(path),
                CuratorEvent::getChildren);
    }

    /** The node, or {@code null} if it does not exist. */
    CompletableFuture<Node> data(String path) {
        return read(path, callback -> client.getData().inBackground(callback).forPath(path),
                event -> new Node(event.getData(), event.getStat()));
    }

    /**
     * Adds a persistent recursive watch on {@code path} through the client's current ZooKeeper handle (so on a new
     * session it must be added again). The handle delivers its events on its one event thread, in the order the
     * server sent them, interleaved in that order with the answers to this handle's requests: what
     * {@link #sync} relies on.
     */
    CompletableFuture<Void> watchTree(String path, Watcher watcher) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        try {
            client.getZookeeperClient().getZooKeeper().addWatch(path, watcher, AddWatchMode.PERSISTENT_RECURSIVE,
                    (rc, p, ctx) -> complete(result, rc, path), null);
        } catch (Exception e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /**
     * ZooKeeper's sync on the current handle: completes (on the handle's event thread) once the server this client
     * talks to has applied every change the ensemble committed before the sync, and after every watch event for
     * those changes has been delivered on that thread.
     */
    CompletableFuture<Void> sync(String path) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        try {
            client.getZookeeperClient().getZooKeeper().sync(path, (rc, p, ctx) -> complete(result, rc, path), null);
        } catch (Exception e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /** The session of the client's current handle (0 while it has none). */
    long sessionId() {
        try {
            return client.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            return 0;
        }
    }

    private static void complete(CompletableFuture<Void> result, int rc, String path) {
        if (rc == KeeperException.Code.OK.intValue()) {
            result.complete(null);
        } else {
            result.completeExceptionally(KeeperException.create(KeeperException.Code.get(rc), path));
        }
    }

    /** Starts one background read of Curator's that answers {@code callback}. */
    @FunctionalInterface
    private interface BackgroundRead {
        void start(BackgroundCallback callback) throws Exception;
    }

    private static <T> CompletableFuture<T> read(String path, BackgroundRead read, Function<CuratorEvent, T> answer) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            read.start((c, event) -> {
                if (absent(event)) {
                    result.complete(null);
                } else if (!failed(event, result, path)) {
                    result.complete(answer.apply(event));
                }
            });
        } catch (Exception e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /**
     * Reads many nodes in one request (a ZooKeeper 3.6+ read-only multi): one round trip and one server request
     * instead of one per node, which is what makes loading 100,000 task records fast. Nodes that do not exist
     * answer {@code null} at their position. The caller must keep the sum of the values under jute.maxbuffer: the
     * answer is one packet, and a packet over the client's limit drops the connection.
     */
    CompletableFuture<List<Node>> dataOfMany(List<String> paths) {
        return multiRead(paths, Op::getData, op -> {
            OpResult.GetDataResult data = (OpResult.GetDataResult) op;
            return new Node(data.getData(), data.getStat());
        });
    }

    /** The children of many nodes in one request ({@code null} for a node that does not exist); see dataOfMany. */
    CompletableFuture<List<List<String>>> childrenOfMany(List<String> paths) {
        return multiRead(paths, Op::getChildren, op -> ((OpResult.GetChildrenResult) op).getChildren());
    }

    /**
     * Which of these leaf nodes exist, in one request: a read-only multi of {@code getChildren}, whose answer
     * for a leaf is an empty list (a few bytes), where {@code exists} would cost one request per node.
     */
    CompletableFuture<List<Boolean>> leavesExist(List<String> paths) {
        return multiRead(paths, Op::getChildren, op -> Boolean.TRUE)
                .thenApply(found -> found.stream().map(present -> present != null).toList());
    }

    private <T> CompletableFuture<List<T>> multiRead(List<String> paths, Function<String, Op> read,
                                                     Function<OpResult, T> answer) {
        CompletableFuture<List<T>> result = new CompletableFuture<>();
        List<Op> ops = new ArrayList<>(paths.size());
        for (String path : paths) {
            ops.add(read.apply(path));
        }
        try {
            client.getZookeeperClient().getZooKeeper().multi(ops, (rc, path, ctx, opResults) -> {
                // A read-only multi reports the first failed read in rc but still answers every op: only a
                // missing answer list means the request itself failed.
                if (opResults == null || opResults.size() != paths.size()) {
                    result.completeExceptionally(KeeperException.create(KeeperException.Code.get(rc),
                            "multi-read of " + paths.size() + " nodes"));
                    return;
                }
                List<T> answers = new ArrayList<>(opResults.size());
                for (int i = 0; i < opResults.size(); i++) {
                    OpResult op = opResults.get(i);
                    if (op instanceof OpResult.ErrorResult error) {
                        if (error.getErr() != KeeperException.Code.NONODE.intValue()) {
                            result.completeExceptionally(KeeperException.create(
                                    KeeperException.Code.get(error.getErr()), paths.get(i)));
                            return;
                        }
                        answers.add(null);
                    } else {
                        answers.add(answer.apply(op));
                    }
                }
                result.complete(answers);
            }, null);
        } catch (Exception e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private static boolean absent(CuratorEvent event) {
        return event.getResultCode() == KeeperException.Code.NONODE.intValue();
    }

    private static boolean failed(CuratorEvent event, CompletableFuture<?> result, String path) {
        int rc = event.getResultCode();
        if (rc == KeeperException.Code.OK.intValue()) {
            return false;
        }
        result.completeExceptionally(KeeperException.create(KeeperException.Code.get(rc), path));
        return true;
    }
}
