package io.beehive.state;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransactionSizerTest {
    private static final String FENCE = "/beehive/leader/latch-0000000001";

    @Test
    void splitsInOrderAndKeepsEveryPartUnderTheBudget() {
        TransactionSizer sizer = new TransactionSizer(100_000);
        List<Mutation> mutations = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            mutations.add(new Mutation.Put("/beehive/tasks/00/t" + i, new byte[3_000]));
        }
        List<List<Mutation>> parts = sizer.split(mutations, FENCE);

        assertThat(parts).hasSizeGreaterThan(3);
        assertThat(parts.stream().flatMap(List::stream).toList()).isEqualTo(mutations);
        for (List<Mutation> part : parts) {
            long size = TransactionSizer.fenceCheck(FENCE)
                    + part.stream().mapToLong(TransactionSizer::estimate).sum();
            assertThat(size).isLessThanOrEqualTo(100_000);
        }
    }

    @Test
    void aSingleMutationOverTheBudgetIsRefused() {
        TransactionSizer sizer = new TransactionSizer(100_000);
        List<Mutation> mutations = List.of(new Mutation.Put("/beehive/jobs/small", new byte[10]),
                new Mutation.Put("/beehive/jobs/huge", new byte[100_000]));
        assertThatThrownBy(() -> sizer.split(mutations, FENCE))
                .isInstanceOf(RecordTooLargeException.class)
                .hasMessageContaining("/beehive/jobs/huge")
                .hasMessageContaining("nothing of its batch was written");
    }

    @Test
    void anEmptyBatchIsOneFenceOnlyTransaction() {
        assertThat(new TransactionSizer(100_000).split(List.of(), FENCE)).containsExactly(List.of());
    }
}
