package io.beehive.election;

import org.apache.zookeeper.util.ServiceUtils;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For test classes that kill and restart servers of an in-JVM ensemble: a restarted node may find its election
 * port still held for a moment by its killed predecessor; ZooKeeper then retries 3 times and calls System.exit(14),
 * which would kill the whole test JVM. Retry until free, and never let an embedded server exit the JVM.
 */
final class RestartableEnsemble implements BeforeAllCallback, AfterAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        System.setProperty("zookeeper.electionPortBindRetry", "0");
        ServiceUtils.setSystemExitProcedure(ServiceUtils.LOG_ONLY);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        System.clearProperty("zookeeper.electionPortBindRetry");
        ServiceUtils.setSystemExitProcedure(ServiceUtils.SYSTEM_EXIT);
    }
}
