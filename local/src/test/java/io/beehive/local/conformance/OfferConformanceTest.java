package io.beehive.local.conformance;

import io.beehive.local.LocalClusterConfig;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** §6 "Offers": granularity and ids, decline filters, SUPPRESS / REVIVE, RESCIND on offer timeout. */
class OfferConformanceTest extends ClusterPerTest {

    @Override
    LocalClusterConfig.Builder config(LocalClusterConfig.Builder fast) {
        return fast.agent(Clusters.traceAgent()).agent(io.beehive.local.AgentSpec.defaults("agent-b"));
    }

    private List<Offer> offersUntilBothAgents(RawScheduler fw) {
        List<Offer> seen = new java.util.ArrayList<>();
        while (seen.stream().map(o -> o.getAgentId().getValue()).distinct().count() < 2) {
            seen.addAll(fw.stream.awaitType(Event.Type.OFFERS).getOffers().getOffersList());
        }
        return seen;
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void oneOfferPerAgentWithMasterDerivedIds(Wire wire) {
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, Calls.framework("offers").build())) {
            List<Offer> offers = offersUntilBothAgents(fw);
            assertThat(offers).hasSize(2);
            assertThat(offers).allSatisfy(o -> {
                assertThat(o.getId().getValue()).matches(java.util.regex.Pattern.quote(cluster.masterId()) + "-O\\d+");
                assertThat(o.getFrameworkId().getValue()).isEqualTo(fw.frameworkId);
                assertThat(o.hasAllocationInfo()).as("no allocation_info without MULTI_ROLE").isFalse();
                assertThat(o.getResourcesList()).allSatisfy(r -> assertThat(r.getRole()).isEqualTo("*"));
            });
            assertThat(offers.stream().map(o -> o.getAgentId().getValue()).collect(Collectors.toSet()))
                    .isEqualTo(Set.copyOf(cluster.agentIds()));
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void declineWithRefuseZeroIsReofferedAtOnce_withRefuseThreeSecondsOnlyAfterTheFilter(Wire wire) {
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, Calls.framework("filters").build())) {
            Offer offer = fw.awaitOffer();
            String agent = offer.getAgentId().getValue();
            fw.call(Calls.decline(fw.frameworkId, 0.0, offer.getId()));
            Offer again = fw.stream.await(e -> e.getType() == Event.Type.OFFERS && e.getOffers().getOffersList()
                    .stream().anyMatch(o -> o.getAgentId().getValue().equals(agent)), "re-offer after refuse 0")
                    .getOffers().getOffersList().stream().filter(o -> o.getAgentId().getValue().equals(agent))
                    .findFirst().orElseThrow();
            assertThat(again.getId()).isNotEqualTo(offer.getId());

            long declinedAt = System.nanoTime();
            fw.call(Calls.decline(fw.frameworkId, 3.0, again.getId()));
            fw.stream.await(e -> e.getType() == Event.Type.OFFERS && e.getOffers().getOffersList()
                    .stream().anyMatch(o -> o.getAgentId().getValue().equals(agent)), "re-offer after refuse 3");
            // a slow machine can only make the re-offer later, never earlier than the filter
            assertThat(Duration.ofNanos(System.nanoTime() - declinedAt)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void suppressKeepsOutstandingOffersAndStopsNewOnes_reviveClearsFiltersAndOffersAgain(Wire wire) {
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, Calls.framework("suppress").build())) {
            List<Offer> held = offersUntilBothAgents(fw);
            fw.call(Calls.suppress(fw.frameworkId));
            long offersAtSuppress = fw.stream.types().stream().filter("OFFERS"::equals).count();
            // the held offers stay valid: no RESCIND, and a launch on one works
            Offer first = held.get(0);
            fw.call(Calls.launch(fw.frameworkId, first, Calls.task("on-held-offer", first, "sleep 600")));
            fw.awaitAndAck("on-held-offer", TaskState.TASK_STARTING);
            // decline the other with a day-long filter: neither suppression nor the filter lets it come back ...
            fw.call(Calls.decline(fw.frameworkId, 86400.0, held.get(1).getId()));
            for (int i = 0; i < 5; i++) {
                fw.stream.awaitType(Event.Type.HEARTBEAT);
            }
            assertThat(fw.stream.types()).doesNotContain("RESCIND");
            long offersSoFar = fw.stream.types().stream().filter("OFFERS"::equals).count();
            assertThat(offersSoFar).as("no offer while suppressed").isEqualTo(offersAtSuppress);
            // ... until REVIVE clears both
            fw.stream.skipToEnd();
            fw.call(Calls.revive(fw.frameworkId));
            Event revived = fw.stream.awaitType(Event.Type.OFFERS);
            assertThat(revived.getOffers().getOffersList()).isNotEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void offerTimeoutRescindsTheOffer_andTheRescindedOfferIsInvalid(Wire wire) {
        cluster.offerTimeout(Duration.ofMillis(500));
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, Calls.framework("timeout").build())) {
            Offer offer = fw.awaitOffer();
            Event rescind = fw.stream.await(e -> e.getType() == Event.Type.RESCIND
                    && e.getRescind().getOfferId().equals(offer.getId()), "RESCIND of " + offer.getId().getValue());
            assertThat(rescind.getRescind().getOfferId()).isEqualTo(offer.getId());
            cluster.offerTimeout(null);
            fw.call(Calls.launch(fw.frameworkId, offer, Calls.task("late", offer, "true")));
            TaskStatus lost = fw.stream.awaitUpdate("late").getUpdate().getStatus();
            assertThat(lost.getState()).isEqualTo(TaskState.TASK_LOST);
            assertThat(lost.getReason()).isEqualTo(TaskStatus.Reason.REASON_INVALID_OFFERS);
            // resources came back without a filter: an offer the framework still holds, other than the rescinded one
            assertThat(fw.heldOffer().getId()).isNotEqualTo(offer.getId());
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void suppressOrReviveNamingAnUnsubscribedRoleIsDroppedSilently(Wire wire) {
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, Calls.framework("bad-role").build())) {
            Offer offer = fw.awaitOffer();
            org.apache.mesos.v1.scheduler.Protos.Call suppress = Calls.base(fw.frameworkId,
                    org.apache.mesos.v1.scheduler.Protos.Call.Type.SUPPRESS).setSuppress(
                    org.apache.mesos.v1.scheduler.Protos.Call.Suppress.newBuilder().addRoles("*").addRoles("not-mine")).build();
            fw.call(suppress);
            // the whole call was dropped: "*" is not suppressed, the declined agent is offered again
            fw.stream.skipToEnd();
            fw.call(Calls.decline(fw.frameworkId, 0.0, offer.getId()));
            fw.stream.await(e -> e.getType() == Event.Type.OFFERS && e.getOffers().getOffersList().stream()
                    .anyMatch(o -> o.getAgentId().equals(offer.getAgentId())), "re-offer of the declined agent");
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void declineWithoutFiltersOrWithNegativeRefuseSecondsFiltersForTheDefaultFiveSeconds(Wire wire) {
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, Calls.framework("default-filter").build())) {
            for (Double refuse : new Double[] {null, -1.0}) {
                Offer offer = fw.heldOffer();
                fw.stream.skipToEnd();
                long declinedAt = System.nanoTime();
                fw.call(Calls.decline(fw.frameworkId, refuse, offer.getId()));
                fw.stream.awaitType(Event.Type.OFFERS);
                // a slow machine can only make the re-offer later, never earlier than the filter
                assertThat(Duration.ofNanos(System.nanoTime() - declinedAt)).as("refuse_seconds %s", refuse)
                        .isGreaterThanOrEqualTo(Duration.ofMillis(4900));
            }
        }
    }
}
