package io.beehive.local.conformance;

import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * UPDATE_FRAMEWORK (§2.1): synchronous 200 with an empty body; user / checkpoint / principal changes refused with 400;
 * offers of a role the update removes are rescinded (§6 "RESCIND on ... role removal via UPDATE_FRAMEWORK").
 */
class UpdateFrameworkConformanceTest extends ClusterPerTest {

    private static FrameworkInfo multiRole(String... roles) {
        FrameworkInfo.Builder info = Calls.framework("update").setPrincipal("p").addCapabilities(
                FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.MULTI_ROLE));
        for (String role : roles) {
            info.addRoles(role);
        }
        return info.build();
    }

    private static Call update(String fw, FrameworkInfo info) {
        return Calls.base(fw, Call.Type.UPDATE_FRAMEWORK).setUpdateFramework(Call.UpdateFramework.newBuilder()
                .setFrameworkInfo(info.toBuilder().setId(FrameworkID.newBuilder().setValue(fw)))).build();
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void userCheckpointAndPrincipalChangesAreRefusedWith400(Wire wire) {
        FrameworkInfo info = multiRole("a");
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, info)) {
            for (FrameworkInfo changed : new FrameworkInfo[] {info.toBuilder().setUser("other").build(),
                    info.toBuilder().setCheckpoint(!info.getCheckpoint()).build(),
                    info.toBuilder().setPrincipal("q").build()}) {
                HttpMessage r = fw.send(update(fw.frameworkId, changed));
                assertThat(r.status()).as("%s", r).isEqualTo(400);
                assertThat(r.bodyText()).isNotBlank();
            }
            HttpMessage ok = fw.send(update(fw.frameworkId, info.toBuilder().setName("renamed").build()));
            assertThat(ok.status()).as("%s", ok).isEqualTo(200);
            assertThat(ok.body()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void removingARoleRescindsItsOffers(Wire wire) {
        FrameworkInfo info = multiRole("a", "b");
        try (RawScheduler fw = RawScheduler.subscribe(master, wire, info)) {
            Offer offer = fw.awaitOffer();
            String role = offer.getAllocationInfo().getRole();
            assertThat(role).isIn("a", "b");
            String other = role.equals("a") ? "b" : "a";
            HttpMessage r = fw.send(update(fw.frameworkId, info.toBuilder().clearRoles().addRoles(other).build()));
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            Event rescind = fw.stream.await(e -> e.getType() == Event.Type.RESCIND
                    && e.getRescind().getOfferId().equals(offer.getId()), "RESCIND of the removed role's offer");
            assertThat(rescind.getRescind().getOfferId()).isEqualTo(offer.getId());
            // the resources come back for the remaining role
            Offer again = fw.stream.awaitType(Event.Type.OFFERS).getOffers().getOffers(0);
            assertThat(again.getAllocationInfo().getRole()).isEqualTo(other);
        }
    }
}
