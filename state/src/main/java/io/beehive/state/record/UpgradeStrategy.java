package io.beehive.state.record;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How a SERVICE job moves from one version to the next (a deployment), in Marathon's terms: never fewer than
 * {@link #floor} ready instances, never more than {@link #ceiling} live ones.
 *
 * @param minimumHealthyCapacity  share of the instances that must stay ready (0..1)
 * @param maximumOverCapacity     share of extra instances that may run meanwhile (0..1)
 * @param minReadySeconds         how long a new instance of a job without a health check must run to count as ready
 * @param maxFailures             new-version instances that may fail before the deployment fails (and rolls back)
 * @param progressDeadlineSeconds how long a deployment may take before it fails (and rolls back)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UpgradeStrategy(
        double minimumHealthyCapacity,
        double maximumOverCapacity,
        int minReadySeconds,
        int maxFailures,
        int progressDeadlineSeconds) {

    public static final UpgradeStrategy DEFAULT = new UpgradeStrategy(1.0, 0.2, 10, 3, 600);

    public UpgradeStrategy {
        if (!(minimumHealthyCapacity >= 0 && minimumHealthyCapacity <= 1)) {
            throw new IllegalArgumentException("upgradeStrategy.minimumHealthyCapacity must be between 0 and 1, got "
                    + minimumHealthyCapacity);
        }
        if (!(maximumOverCapacity >= 0 && maximumOverCapacity <= 1)) {
            throw new IllegalArgumentException("upgradeStrategy.maximumOverCapacity must be between 0 and 1, got "
                    + maximumOverCapacity);
        }
        if (minimumHealthyCapacity == 1.0 && maximumOverCapacity == 0.0) {
            throw new IllegalArgumentException("upgradeStrategy with minimumHealthyCapacity 1.0 and "
                    + "maximumOverCapacity 0 can never replace an instance: lower the first or raise the second");
        }
        if (minReadySeconds < 0 || minReadySeconds > 86_400) {
            throw new IllegalArgumentException("upgradeStrategy.minReadySeconds must be 0 to 86400, got "
                    + minReadySeconds);
        }
        if (maxFailures < 1 || maxFailures > 1000) {
            throw new IllegalArgumentException("upgradeStrategy.maxFailures must be 1 to 1000, got " + maxFailures);
        }
        if (progressDeadlineSeconds < 1 || progressDeadlineSeconds > 7 * 86_400) {
            throw new IllegalArgumentException("upgradeStrategy.progressDeadlineSeconds must be 1 to 604800, got "
                    + progressDeadlineSeconds);
        }
    }

    /**
     * Ready instances a deployment keeps: ceil(minimumHealthyCapacity × instances), but below {@code instances}
     * whenever the capacity is under 1, so that a strategy without over-capacity can always make a first step
     * (ceil(0.5 × 1) would otherwise be 1 and the single instance could never be replaced).
     */
    public int floor(int instances) {
        int floor = (int) Math.ceil(minimumHealthyCapacity * instances - 1e-9);
        return minimumHealthyCapacity < 1.0 ? Math.max(0, Math.min(floor, instances - 1)) : floor;
    }

    /**
     * Live instances a deployment may have: floor((1 + maximumOverCapacity) × instances), but at least one more than
     * {@code instances} whenever over-capacity is allowed at all (floor(1.2 × 4) would otherwise be 4 and a
     * strategy of 1.0/0.2 could never start a new instance of a small service).
     */
    public int ceiling(int instances) {
        int ceiling = (int) Math.floor((1 + maximumOverCapacity) * instances + 1e-9);
        return maximumOverCapacity > 0 ? Math.max(ceiling, instances + 1) : ceiling;
    }
}
