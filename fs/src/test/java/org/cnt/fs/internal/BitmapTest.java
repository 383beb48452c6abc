package org.cnt.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class BitmapTest {

    @Property(tries = 300)
    void allocationsMatchASetModelAndSurviveStorage(
            @ForAll @IntRange(min = 1, max = 9000) int bits,
            @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 9999) Integer> steps) {
        Bitmap bitmap = Bitmap.empty(bits, 512);
        TreeSet<Long> model = new TreeSet<>();
        for (int step : steps) {
            long bit = step % bits;
            if (step % 3 == 0) {
                bitmap.clear(bit);
                model.remove(bit);
            } else {
                long found = bitmap.firstClear(bit);
                long expected = firstClear(model, bit, bits);
                assertThat(found).isEqualTo(expected);
                if (found >= 0) {
                    bitmap.set(found);
                    model.add(found);
                }
            }
            assertThat(bitmap.used()).isEqualTo(model.size());
        }
        byte[][] blocks = new byte[bitmap.blockCount()][512];
        for (int i = 0; i < blocks.length; i++) {
            bitmap.writeBlock(i, blocks[i]);
        }
        Bitmap back = Bitmap.read(bits, 512, blocks);
        for (long bit = 0; bit < bits; bit++) {
            assertThat(back.get(bit)).isEqualTo(model.contains(bit));
        }
        assertThat(back.free()).isEqualTo(bits - model.size());
    }

    @Property(tries = 100)
    void onlyTheBlocksHoldingChangedBitsAreDirty(
            @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 0, max = 40_959) Integer> set) {
        Bitmap bitmap = Bitmap.empty(40_960, 512);
        TreeSet<Integer> blocks = new TreeSet<>();
        for (int bit : set) {
            bitmap.set(bit);
            blocks.add(bit / 4096);
        }
        assertThat(bitmap.takeDirtyBlocks().stream().boxed().toList())
                .containsExactlyElementsOf(blocks);
        assertThat(bitmap.takeDirtyBlocks().isEmpty()).isTrue();
    }

    private static long firstClear(TreeSet<Long> used, long from, long bits) {
        for (long i = 0; i < bits; i++) {
            long bit = (from + i) % bits;
            if (!used.contains(bit)) {
                return bit;
            }
        }
        return -1;
    }
}
