package io.beehive.scheduler.core.term;

import io.beehive.scheduler.core.CoreConfig;
import io.beehive.scheduler.core.CoreMetrics;
import io.beehive.scheduler.mesos.SchedulerCalls;
import io.beehive.scheduler.sdk.SchedulerDriver;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Whether offers flow to the term: DECLINE with a filter, SUPPRESS when nothing is left to place, REVIVE when
 * work appears. REVIVE is rate-limited (at most one per {@code reviveMinInterval}, a late one scheduled rather than
 * dropped) because every status update can create work and a REVIVE storm makes the master re-offer everything.
 * Confined to the term's loop.
 */
final class OfferFlow {
    private static final Logger LOG = LoggerFactory.getLogger(OfferFlow.class);

    private final long term;
    private final CoreConfig config;
    private final CoreMetrics metrics;
    private final TermLoop loop;
    private final BooleanSupplier halted;
    private final BooleanSupplier current;
    private final BooleanSupplier mayLaunch;
    private final Supplier<SchedulerDriver> driver;
    private final BooleanSupplier hasDemand;
    private boolean suppressed;
    private long lastReviveNanos = Long.MIN_VALUE / 2;
    private boolean reviveScheduled;

    /**
     * @param hasDemand whether anything waits to be placed (asked only when deciding an unforced REVIVE: it costs
     *                  a planning pass)
     */
    OfferFlow(long term, CoreConfig config, CoreMetrics metrics, TermLoop loop, BooleanSupplier halted,
              BooleanSupplier current, BooleanSupplier mayLaunch, Supplier<SchedulerDriver> driver,
              BooleanSupplier hasDemand) {
        this.term = term;
        this.config = config;
        this.metrics = metrics;
        this.loop = loop;
        this.halted = halted;
        this.current = current;
        this.mayLaunch = mayLaunch;
        this.driver = driver;
        this.hasDemand = hasDemand;
    }

    /** A new subscription starts unsuppressed. */
    void subscribed() {
        suppressed = false;
    }

    void decline(List<Offer> offers, Duration filter) {
        SchedulerDriver d = driver.get();
        if (offers.isEmpty() || halted.getAsBoolean() || d == null) {
            return;
        }
        Filters filters = Filters.newBuilder().setRefuseSeconds(filter.toMillis() / 1000.0).build();
        List<OfferID> ids = new ArrayList<>(offers.size());
        offers.forEach(o -> ids.add(o.getId()));
        d.client().call(SchedulerCalls.decline(ids, filters));
        metrics.offersDeclined.inc(offers.size());
    }

    void suppress() {
        if (!suppressed && current.getAsBoolean()) {
            suppressed = true;
            LOG.debug("Term {}: nothing to place; suppressing offers", term);
            driver.get().suppressOffers();
        }
    }

    /** Work appeared: make sure offers come (REVIVE, rate-limited), unless they are flowing already. */
    void want(boolean force) {
        if (!mayLaunch.getAsBoolean() || (!suppressed && !force)) {
            return;
        }
        if (!force && !hasDemand.getAsBoolean()) {
            return;
        }
        long now = System.nanoTime();
        long wait = lastReviveNanos + config.reviveMinInterval().toNanos() - now;
        if (wait <= 0) {
            lastReviveNanos = now;
            suppressed = false;
            driver.get().reviveOffers();
        } else if (!reviveScheduled) {
            reviveScheduled = true;
            loop.schedule("revive", () -> {
                reviveScheduled = false;
                want(force);
            }, Duration.ofNanos(wait));
        }
    }
}
