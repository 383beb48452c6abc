package org.cnt.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ExtentMapTest {

    /** step: kind (0..2), file block, length. */
    @Property(tries = 400)
    void lookupsMatchABlockByBlockModelAndFreedRunsAreExactlyWhatWasMapped(
            @ForAll @Size(max = 80) List<@IntRange(min = 0, max = 2_999) Integer> steps) {
        ExtentMap map = new ExtentMap(List.of());
        TreeMap<Long, Long> model = new TreeMap<>();
        long nextPhysical = 1000;
        for (int step : steps) {
            long block = step % 200;
            int kind = step / 1000;
            if (kind < 2) {
                // Map a run of holes, on consecutive device blocks (or, for kind 1, one apart).
                for (long b = block; b < block + 1 + step % 7; b++) {
                    if (!model.containsKey(b)) {
                        map.map(b, nextPhysical);
                        model.put(b, nextPhysical);
                        nextPhysical += kind == 0 ? 1 : 2;
                    }
                }
            } else {
                long count = 1 + step % 13;
                Map<Long, Long> freedByModel = new HashMap<>(model.subMap(block, block + count));
                model.keySet().removeAll(freedByModel.keySet());
                Map<Long, Long> freed = new HashMap<>();
                for (Extent run : map.unmap(block, count)) {
                    for (long b = run.logical(); b < run.logicalEnd(); b++) {
                        freed.put(b, run.physicalOf(b));
                    }
                }
                assertThat(freed).isEqualTo(freedByModel);
            }
            for (long b = 0; b < 220; b++) {
                assertThat(map.lookup(b)).isEqualTo(model.getOrDefault(b, 0L));
            }
            assertThat(map.mappedBlocks()).isEqualTo(model.size());
            List<Extent> extents = map.extents();
            for (int i = 1; i < extents.size(); i++) {
                Extent a = extents.get(i - 1);
                Extent b = extents.get(i);
                assertThat(a.logicalEnd()).isLessThanOrEqualTo(b.logical());
                assertThat(a.logicalEnd() == b.logical()
                        && a.physicalOf(a.logicalEnd() - 1) + 1 == b.physical())
                        .as("adjacent runs are merged").isFalse();
            }
        }
    }

    @Property(tries = 50)
    void aFileWrittenInOrderOnConsecutiveBlocksIsOneExtent(
            @ForAll @IntRange(min = 1, max = 5000) int blocks) {
        ExtentMap map = new ExtentMap(List.of());
        for (long b = 0; b < blocks; b++) {
            map.map(b, 77 + b);
        }
        assertThat(map.extents()).containsExactly(new Extent(0, blocks, 77));
    }
}
