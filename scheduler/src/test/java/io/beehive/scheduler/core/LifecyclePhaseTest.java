package io.beehive.scheduler.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LifecyclePhaseTest {

    @Test
    void aTermWalksThePhasesAndAStaleTermCannotMoveTheReplica() {
        PhaseTracker phases = new PhaseTracker();
        long first = phases.beginTerm();
        assertThat(phases.phase()).isEqualTo(LifecyclePhase.LOADING);
        assertThat(phases.moveTo(first, LifecyclePhase.ACTIVE)).isFalse(); // must subscribe and reconcile first
        assertThat(phases.moveTo(first, LifecyclePhase.SUBSCRIBING)).isTrue();
        assertThat(phases.moveTo(first, LifecyclePhase.RECONCILING)).isTrue();
        assertThat(phases.moveTo(first, LifecyclePhase.ACTIVE)).isTrue();
        assertThat(phases.force(LifecyclePhase.STANDBY)).isTrue();
        assertThat(phases.moveTo(first, LifecyclePhase.ACTIVE)).isFalse();

        long second = phases.beginTerm();
        assertThat(second).isGreaterThan(first);
        assertThat(phases.moveTo(first, LifecyclePhase.SUBSCRIBING)).isFalse();
        assertThat(phases.phase()).isEqualTo(LifecyclePhase.LOADING);
    }

    @Test
    void aStoppedReplicaStartsNoTerm() {
        PhaseTracker phases = new PhaseTracker();
        assertThat(phases.force(LifecyclePhase.STOPPED)).isTrue();
        assertThat(phases.beginTerm()).isEqualTo(-1);
        assertThat(phases.phase()).isEqualTo(LifecyclePhase.STOPPED);
    }

    @Test
    void suspensionIsLeftOnlyTowardsReconcilingOrEarlier() {
        assertThat(LifecyclePhase.SUSPENDED.canMoveTo(LifecyclePhase.ACTIVE)).isFalse();
        assertThat(LifecyclePhase.SUSPENDED.canMoveTo(LifecyclePhase.RECONCILING)).isTrue();
        assertThat(LifecyclePhase.STOPPED.canMoveTo(LifecyclePhase.STANDBY)).isFalse();
        assertThat(LifecyclePhase.STANDBY.isLeading()).isFalse();
    }
}
