package io.beehive.local.master;

import java.util.concurrent.ScheduledFuture;
import org.apache.mesos.v1.Protos.Offer;

/** An outstanding offer: resources of one agent allocated to one role of one framework. */
final class OfferRecord {
    final String id;
    final String frameworkId;
    final String agentId;
    final String role;
    final ResourceBag resources;
    final Offer offer;
    ScheduledFuture<?> timeout;

    OfferRecord(String id, String frameworkId, String agentId, String role, ResourceBag resources, Offer offer) {
        this.id = id;
        this.frameworkId = frameworkId;
        this.agentId = agentId;
        this.role = role;
        this.resources = resources;
        this.offer = offer;
    }
}
