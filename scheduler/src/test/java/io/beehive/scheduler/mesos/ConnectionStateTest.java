package io.beehive.scheduler.mesos;

import org.junit.jupiter.api.Test;

import static io.beehive.scheduler.mesos.ConnectionState.*;
import static org.assertj.core.api.Assertions.assertThat;

class ConnectionStateTest {

    @Test
    void followsTheSubscriptionCycle() {
        assertThat(NEW.canMoveTo(DETECTING)).isTrue();
        assertThat(DETECTING.canMoveTo(SUBSCRIBING)).isTrue();
        assertThat(SUBSCRIBING.canMoveTo(SUBSCRIBED)).isTrue();
        assertThat(SUBSCRIBED.canMoveTo(BACKING_OFF)).isTrue();
        assertThat(BACKING_OFF.canMoveTo(DETECTING)).isTrue();
    }

    @Test
    void refusesShortcutsAndLeavingTerminalStates() {
        assertThat(DETECTING.canMoveTo(SUBSCRIBED)).isFalse();
        assertThat(BACKING_OFF.canMoveTo(SUBSCRIBED)).isFalse();
        for (ConnectionState terminal : new ConnectionState[] {STOPPED, FAILED_OVER, REFUSED, FRAMEWORK_REMOVED}) {
            assertThat(terminal.isTerminal()).isTrue();
            for (ConnectionState any : values()) {
                assertThat(terminal.canMoveTo(any)).isFalse();
            }
        }
    }
}
