package io.beehive.local.conformance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** One cluster for all tests of the class, for tests that each use a framework of their own (or none). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClusterPerClass extends ClusterTestBase {

    @BeforeAll
    void startClusterForClass() {
        startCluster();
    }

    @AfterAll
    void stopClusterOfClass() {
        stopCluster();
    }
}
