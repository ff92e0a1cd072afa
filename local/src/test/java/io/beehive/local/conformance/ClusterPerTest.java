package io.beehive.local.conformance;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh cluster for every test, for semantics where frameworks would otherwise compete for the same offers. */
abstract class ClusterPerTest extends ClusterTestBase {

    @BeforeEach
    void startClusterForTest() {
        startCluster();
    }

    @AfterEach
    void stopClusterOfTest() {
        stopCluster();
    }
}
