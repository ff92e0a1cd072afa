package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.beehive.state.record.ResourceSpec;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Resources of one task in a job request; absent values take the defaults shown. */
public record ResourcesSpec(
        @JsonProperty("cpus") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1024") Double cpus,
        @JsonProperty("memMb") @DecimalMin(value = "0", inclusive = false) @DecimalMax("4194304") Double memMb,
        @JsonProperty("diskMb") @DecimalMin("0") @DecimalMax("1073741824") Double diskMb,
        @JsonProperty("ports") @Min(0) @Max(1000) Integer ports) {

    public static final ResourcesSpec DEFAULT = new ResourcesSpec(null, null, null, null);

    /** These resources over {@code base}: an absent value keeps the base's (a PATCH names only what changes). */
    ResourceSpec over(ResourceSpec base) {
        return new ResourceSpec(cpus == null ? base.cpus() : cpus, memMb == null ? base.memMb() : memMb,
                diskMb == null ? base.diskMb() : diskMb, ports == null ? base.ports() : ports);
    }

    ResourceSpec toRecord() {
        return new ResourceSpec(cpus == null ? 0.1 : cpus, memMb == null ? 32 : memMb, diskMb == null ? 0 : diskMb,
                ports == null ? 0 : ports);
    }
}
