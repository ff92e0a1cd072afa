package io.beehive.scheduler.core.offer;

import io.beehive.state.record.Constraint;
import io.beehive.state.record.ConstraintOperator;
import io.beehive.state.record.ResourceSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class OfferMatcherTest {
    private final OfferMatcher matcher = new OfferMatcher();

    private static AgentOffer offer(String agent, String host, Map<String, String> attrs, double cpus, double mem) {
        return new AgentOffer("o-" + agent, agent, host, attrs, cpus, mem, 1000, List.<long[]>of(new long[] {31000, 31004}));
    }

    private static Demand demand(String job, int instance, double cpus, double mem, int ports, Constraint... cs) {
        return new Demand(job, instance, new ResourceSpec(cpus, mem, 0, ports), List.of(cs), null);
    }

    @Test
    void packsDemandsUntilAResourceRunsOutAndSkipsOnesThatDoNotFit() {
        List<Match> m = matcher.match(offer("a1", "h1", Map.of(), 1.0, 256),
                List.of(demand("j", 0, 0.5, 100, 0), demand("big", 0, 4, 10, 0), demand("j", 1, 0.5, 100, 0),
                        demand("j", 2, 0.5, 100, 0)), List.of(), Set.of());
        assertThat(m).extracting(x -> x.demand().jobId() + x.demand().instance()).containsExactly("j0", "j1");
    }

    @Test
    void memoryAndPortsLimitToo() {
        List<Match> m = matcher.match(offer("a1", "h1", Map.of(), 8, 150),
                List.of(demand("j", 0, 0.1, 100, 0), demand("j", 1, 0.1, 100, 0)), List.of(), Set.of());
        assertThat(m).hasSize(1);
        List<Match> p = matcher.match(offer("a1", "h1", Map.of(), 8, 1000),
                List.of(demand("p", 0, 0.1, 1, 3), demand("p", 1, 0.1, 1, 3), demand("p", 2, 0.1, 1, 2)), List.of(),
                Set.of());
        assertThat(p).extracting(x -> x.demand().instance()).containsExactly(0, 2);
        assertThat(p.get(0).ports()).containsExactly(31000, 31001, 31002);
        assertThat(p.get(1).ports()).containsExactly(31003, 31004);
    }

    @Test
    void blacklistedAgentsGetNothing() {
        assertThat(matcher.match(offer("bad", "h", Map.of(), 8, 1000), List.of(demand("j", 0, 0.1, 1, 0)), List.of(),
                Set.of("bad"))).isEmpty();
    }

    @Test
    void uniqueHostnameAllowsOneTaskOfTheJobPerHost() {
        Constraint unique = new Constraint("hostname", ConstraintOperator.UNIQUE, null);
        List<Match> m = matcher.match(offer("a1", "h1", Map.of(), 8, 1000),
                List.of(demand("j", 0, 0.1, 1, 0, unique), demand("j", 1, 0.1, 1, 0, unique),
                        demand("other", 0, 0.1, 1, 0, unique)), List.of(), Set.of());
        assertThat(m).extracting(x -> x.demand().jobId()).containsExactly("j", "other");
        List<Match> taken = matcher.match(offer("a1", "h1", Map.of(), 8, 1000), List.of(demand("j", 1, 0.1, 1, 0, unique)),
                List.of(new Placement("j", "a1", "h1", Map.of())), Set.of());
        assertThat(taken).isEmpty();
    }

    @Test
    void attributeEqualsLikeUnlike() {
        AgentOffer rack1 = offer("a1", "h1", Map.of("rack", "r1", "zone", "eu-west"), 8, 1000);
        AgentOffer bare = offer("a2", "h2", Map.of(), 8, 1000);
        Constraint eq = new Constraint("rack", ConstraintOperator.EQUALS, "r1");
        Constraint like = new Constraint("zone", ConstraintOperator.LIKE, "eu-.*");
        Constraint unlike = new Constraint("zone", ConstraintOperator.UNLIKE, "eu-.*");
        assertThat(matcher.match(rack1, List.of(demand("j", 0, 0.1, 1, 0, eq, like)), List.of(), Set.of())).hasSize(1);
        assertThat(matcher.match(rack1, List.of(demand("j", 0, 0.1, 1, 0, unlike)), List.of(), Set.of())).isEmpty();
        assertThat(matcher.match(bare, List.of(demand("j", 0, 0.1, 1, 0, eq)), List.of(), Set.of())).isEmpty();
        assertThat(matcher.match(bare, List.of(demand("j", 0, 0.1, 1, 0, like)), List.of(), Set.of())).isEmpty();
        assertThat(matcher.match(bare, List.of(demand("j", 0, 0.1, 1, 0, unlike)), List.of(), Set.of())).hasSize(1);
        // LIKE matches the whole value, not a part of it.
        Constraint partial = new Constraint("zone", ConstraintOperator.LIKE, "eu");
        assertThat(matcher.match(rack1, List.of(demand("j", 0, 0.1, 1, 0, partial)), List.of(), Set.of())).isEmpty();
    }

    @Test
    void maxPerAttributeValueCountsExistingAndNewPlacements() {
        Constraint max2 = new Constraint("rack", ConstraintOperator.MAX_PER, "2");
        AgentOffer rack1 = offer("a1", "h1", Map.of("rack", "r1"), 8, 1000);
        List<Match> m = matcher.match(rack1, List.of(demand("j", 0, 0.1, 1, 0, max2), demand("j", 1, 0.1, 1, 0, max2),
                demand("j", 2, 0.1, 1, 0, max2)), List.of(new Placement("j", "a9", "h9", Map.of("rack", "r1"))), Set.of());
        assertThat(m).hasSize(1);
    }

    @Test
    void aDaemonDemandGoesOnlyOnItsAgent() {
        Demand d = new Demand("d", 0, new ResourceSpec(0.1, 1, 0, 0), List.of(), "a2");
        assertThat(matcher.match(offer("a1", "h1", Map.of(), 8, 1000), List.of(d), List.of(), Set.of())).isEmpty();
        assertThat(matcher.match(offer("a2", "h2", Map.of(), 8, 1000), List.of(d), List.of(), Set.of())).hasSize(1);
    }
}
