package io.beehive.local.master;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ResourceBagSumTest {

    @Test
    void subtractingTheSumLeavesWhatSubtractingEachBagInTurnLeaves() {
        ResourceBag total = ResourceBag.of(4, 4096, 10000, List.of(new long[] {31000, 31099}));
        List<ResourceBag> tasks = List.of(
                ResourceBag.of(0.1, 32, 0, List.of(new long[] {31000, 31001})),
                ResourceBag.of(0.1, 32, 0, List.of(new long[] {31002, 31002}, new long[] {31050, 31059})),
                ResourceBag.of(0.3, 64, 10, List.of()),
                ResourceBag.of(1.5, 1024, 0, List.of(new long[] {31098, 31099})));
        ResourceBag oneByOne = total;
        ResourceBag.Sum sum = new ResourceBag.Sum();
        for (ResourceBag task : tasks) {
            oneByOne = oneByOne.minus(task);
            sum.add(task);
        }
        ResourceBag atOnce = total.minus(sum.toBag());
        assertThat(atOnce.toString()).isEqualTo(oneByOne.toString())
                .isEqualTo("cpus:2.0; mem:2944.0; disk:9990.0; ports:[31003-31049, 31060-31097]");
    }

    @Test
    void aSumNeverGoesBelowNothing() {
        ResourceBag total = ResourceBag.of(1, 128, 0, List.of());
        ResourceBag.Sum sum = new ResourceBag.Sum()
                .add(ResourceBag.of(0.75, 100, 0, List.of()))
                .add(ResourceBag.of(0.75, 100, 0, List.of()));
        assertThat(total.minus(sum.toBag()).isEmpty()).isTrue();
    }
}
