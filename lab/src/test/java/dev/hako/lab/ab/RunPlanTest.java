package dev.hako.lab.ab;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RunPlanTest {
    static final Variant A = new Variant("A", VariantSpec.parse("hako:remote=push"));
    static final Variant B = new Variant("B", VariantSpec.parse("hako"));
    static final Variant GLIBC = new Variant("glibc", VariantSpec.parse("glibc"));

    @Test
    void timedRunsAlternateThenCountersThenProfilesPerCell() {
        List<Cell> cells = List.of(new Cell(4, 0), new Cell(4, 90));
        List<PlannedRun> plan = RunPlan.build(cells, List.of(A, B), 2, 1, 1);
        List<String> order = plan.stream().map(r -> r.cell().remotePct() + r.kind().id() + r.variant()).toList();
        assertEquals(List.of("0timed0", "0timed1", "0timed0", "0timed1", "0counters0", "0counters1",
                "90timed0", "90timed1", "90timed0", "90timed1", "90counters0", "90counters1", "90jfr0", "90jfr1"), order);
    }

    @Test
    void countersAndProfilesOnlyForHako() {
        List<PlannedRun> plan = RunPlan.build(List.of(new Cell(2, 90)), List.of(GLIBC, A), 1, 2, 1);
        assertEquals(List.of("timed0", "timed1", "counters1", "counters1", "jfr1"),
                plan.stream().map(r -> r.kind().id() + r.variant()).toList());
    }

    @Test
    void badCounts() {
        assertThrows(IllegalArgumentException.class, () -> RunPlan.build(List.of(new Cell(1, 0)), List.of(A, B), 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> RunPlan.build(List.of(new Cell(1, 0)), List.of(A, B), 1, -1, 0));
    }

    @Test
    void matrixFoldsT1RemoteCellsIntoR0() {
        assertEquals(List.of(new Cell(1, 0), new Cell(2, 0), new Cell(2, 90)),
                Cell.matrix(List.of(1, 2), List.of(0, 90)));
        assertThrows(IllegalArgumentException.class, () -> Cell.matrix(List.of(0), List.of(0)));
        assertThrows(IllegalArgumentException.class, () -> Cell.matrix(List.of(2), List.of(101)));
    }
}
