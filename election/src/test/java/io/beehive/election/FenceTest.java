package io.beehive.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FenceTest {

    @Test
    void refusesRelativePathsAndNegativeEpochs() {
        assertThatThrownBy(() -> new Fence("leader/x", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Fence("/leader/x", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Fence("/beehive/leader/_c_1-latch-0000000007", 7).epoch()).isEqualTo(7);
    }
}
