package io.beehive.state;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateLayoutTest {
    private final StateLayout layout = new StateLayout("/beehive");

    @Test
    void bucketIsAFixedFunctionOfTheTaskId() {
        // Pinned value (FNV-1a("a") = 0xe40c292c, bytes xor-folded = 0xed): if the hash ever changed, a new
        // release would not find the records an older one wrote.
        assertThat(StateLayout.bucketOf("a")).isEqualTo(0xed);
        int pinned = StateLayout.bucketOf("web.instance-0.7c9e6679");
        assertThat(layout.task("web.instance-0.7c9e6679"))
                .isEqualTo("/beehive/tasks/" + String.format("%02x", pinned) + "/web.instance-0.7c9e6679");
    }

    @Test
    void bucketsAreEvenlyFilled() {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < 256_00; i++) {
            counts.merge(StateLayout.bucketOf(Records.task(i).taskId()), 1, Integer::sum);
        }
        assertThat(counts).hasSize(256);
        assertThat(counts.values()).allSatisfy(count -> assertThat(count).isBetween(50, 150));
    }

    @Test
    void rootMustBeAbsoluteWithoutTrailingSlash() {
        assertThatThrownBy(() -> new StateLayout("beehive")).hasMessageContaining("absolute");
        assertThatThrownBy(() -> new StateLayout("/beehive/")).hasMessageContaining("trailing");
    }

    @Test
    void structuralNodesIncludeAncestorsAndAllBuckets() {
        assertThat(new StateLayout("/a/b").structuralNodes())
                .startsWith("/a", "/a/b", "/a/b/jobs", "/a/b/tasks", "/a/b/tasks/00")
                .contains("/a/b/tasks/ff", "/a/b/blacklist", "/a/b/quarantine")
                .hasSize(2 + 2 + 256 + 2);
    }

    @Test
    void quarantineNamesAreFlatAndUnique() {
        assertThat(layout.quarantined("/beehive/tasks/0a/t1", 0x1f))
                .isEqualTo("/beehive/quarantine/tasks~0a~t1@1f");
    }
}
