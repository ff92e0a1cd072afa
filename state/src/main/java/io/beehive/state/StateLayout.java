package io.beehive.state;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where everything lives in ZooKeeper. All paths are absolute under a configurable root (no Curator namespace),
 * so the leader latch can live beside the state:
 *
 * <pre>
 * &lt;root&gt;/schema                      the schema version of the layout ("1")
 * &lt;root&gt;/framework-id                the Mesos FrameworkID (UTF-8 string)
 * &lt;root&gt;/term-status                 the current leader's {@code TermStatus} (JSON): fail-over, reconciliation
 * &lt;root&gt;/failover-history            the last fail-overs, newest first ({@code FailoverHistory}, JSON, bounded)
 * &lt;root&gt;/jobs/&lt;jobId&gt;                one {@code JobRecord} (JSON)
 * &lt;root&gt;/tasks/&lt;bucket&gt;/&lt;taskId&gt;      one {@code TaskRecord} (JSON); bucket = two hex digits, see {@link #bucketOf}
 * &lt;root&gt;/blacklist/&lt;agentId&gt;         one {@code BlacklistEntry} (JSON)
 * &lt;root&gt;/quarantine/&lt;name&gt;           the unreadable bytes of a record, untouched, so it can be restored
 * &lt;root&gt;/quarantine/&lt;name&gt;/reason    why it was moved, and from where (JSON)
 * &lt;root&gt;/leader/...                  the election module's latch nodes (not written here)
 * </pre>
 *
 * <p>Why buckets: a {@code getChildren} answer must fit in jute.maxbuffer (about 1 MB); 25,000 task ids of 41
 * characters already pass it, and Curator then loops SUSPENDED/RECONNECTED. With 256 buckets a bucket reaches that
 * size only at about 6 million tasks. The bucket is a hash that never changes between versions (FNV-1a of the id's
 * UTF-8 bytes), so every release finds the records of every other.
 */
public final class StateLayout {
    static final int BUCKETS = 256;
    /** "00".."ff": built once; String.format on every task path was a visible share of a burst's CPU. */
    private static final String[] BUCKET_NAMES = new String[BUCKETS];

    static {
        for (int b = 0; b < BUCKETS; b++) {
            BUCKET_NAMES[b] = String.format("%02x", b);
        }
    }

    private final String root;
    private final String[] bucketPaths = new String[BUCKETS];

    public StateLayout(String root) {
        Objects.requireNonNull(root, "root");
        if (!root.startsWith("/") || root.endsWith("/") || root.contains("//")) {
            throw new IllegalArgumentException("state root must be an absolute ZooKeeper path without a trailing "
                    + "slash, e.g. /beehive; got '" + root + "'");
        }
        this.root = root;
        for (int b = 0; b < BUCKETS; b++) {
            bucketPaths[b] = tasks() + "/" + BUCKET_NAMES[b];
        }
    }

    public String root() {
        return root;
    }

    public String schema() {
        return root + "/schema";
    }

    public String frameworkId() {
        return root + "/framework-id";
    }

    public String termStatus() {
        return root + "/term-status";
    }

    public String failoverHistory() {
        return root + "/failover-history";
    }

    public String jobs() {
        return root + "/jobs";
    }

    public String job(String jobId) {
        return jobs() + "/" + jobId;
    }

    public String tasks() {
        return root + "/tasks";
    }

    public String bucket(int bucket) {
        bucketName(bucket); // checks the range
        return bucketPaths[bucket];
    }

    /** Every bucket's path, "00" to "ff" in order. */
    public List<String> buckets() {
        return List.of(bucketPaths);
    }

    public String task(String taskId) {
        return bucket(bucketOf(taskId)) + "/" + taskId;
    }

    public String blacklist() {
        return root + "/blacklist";
    }

    public String blacklisted(String agentId) {
        return blacklist() + "/" + agentId;
    }

    public String quarantine() {
        return root + "/quarantine";
    }

    /**
     * The quarantine node for the record at {@code path}: the path below the root with '/' turned into '~', plus
     * the zxid of the record's last change, so quarantining a rewritten record again never collides.
     */
    public String quarantined(String path, long modifiedZxid) {
        String relative = path.startsWith(root + "/") ? path.substring(root.length() + 1) : path.substring(1);
        return quarantine() + "/" + relative.replace('/', '~') + "@" + Long.toHexString(modifiedZxid);
    }

    public String quarantineReason(String quarantinedPath) {
        return quarantinedPath + "/reason";
    }

    /** Every structural node, parents first: what must exist before records can be written. */
    List<String> structuralNodes() {
        List<String> nodes = new ArrayList<>();
        int slash = root.indexOf('/', 1);
        while (slash > 0) {
            nodes.add(root.substring(0, slash));
            slash = root.indexOf('/', slash + 1);
        }
        nodes.add(root);
        nodes.add(jobs());
        nodes.add(tasks());
        nodes.addAll(buckets());
        nodes.add(blacklist());
        nodes.add(quarantine());
        return nodes;
    }

    /** FNV-1a (32 bit) of the UTF-8 bytes, low 8 bits: cheap, well spread, and fixed forever. */
    public static int bucketOf(String taskId) {
        int hash = 0x811c9dc5;
        for (byte b : taskId.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return (hash ^ (hash >>> 8) ^ (hash >>> 16) ^ (hash >>> 24)) & 0xff;
    }

    static String bucketName(int bucket) {
        if (bucket < 0 || bucket >= BUCKETS) {
            throw new IllegalArgumentException("bucket must be 0..255, got " + bucket);
        }
        return BUCKET_NAMES[bucket];
    }
}
