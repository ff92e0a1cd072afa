package io.beehive.scheduler.app.view;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Reads one JSON record the leader publishes in ZooKeeper, the same way on every replica (unfenced: a read never
 * needs to prove leadership). ZooKeeper failing is the caller's 503; a record that cannot be decoded is reported as
 * absent and logged, since an operator's view should not fail over one bad node.
 */
final class StoredJson {
    private static final Logger LOG = LoggerFactory.getLogger(StoredJson.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private StoredJson() {
    }

    static <T> Optional<T> read(CuratorFramework zookeeper, String path, Class<T> type) {
        byte[] data;
        try {
            data = zookeeper.getData().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw new StateUnavailableException("cannot read " + path + ": " + e.getMessage(), e);
        }
        if (data == null || data.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(data, type));
        } catch (Exception e) {
            LOG.warn("{} holds no readable {} ({}); reporting none", path, type.getSimpleName(), e.getMessage());
            return Optional.empty();
        }
    }
}
