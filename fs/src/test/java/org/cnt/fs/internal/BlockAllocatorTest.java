package org.cnt.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.cnt.fs.CorruptFilesystemException;
import org.cnt.fs.FsError;
import org.cnt.fs.FsException;
import org.junit.jupiter.api.Test;

class BlockAllocatorTest {
    private static final Layout LAYOUT = Layout.plan(512, 300, 16, 16);

    private static Bitmap formatted() {
        Bitmap bitmap = Bitmap.empty(LAYOUT.blockCount(), 512);
        for (long b = 0; b < LAYOUT.dataStart(); b++) {
            bitmap.set(b);
        }
        bitmap.set(LAYOUT.backupSuperblock());
        return bitmap;
    }

    @Property(tries = 300)
    void runsNeverOverlapNeverTouchMetadataAndFreeSpaceAddsUp(
            @ForAll @Size(max = 120) List<@IntRange(min = 0, max = 9_999) Integer> steps) {
        BlockAllocator allocator = new BlockAllocator(formatted(), LAYOUT);
        TreeSet<Long> taken = new TreeSet<>();
        List<BlockAllocator.Run> live = new ArrayList<>();
        for (int step : steps) {
            if (step % 4 == 0 && !live.isEmpty()) {
                BlockAllocator.Run run = live.remove(step % live.size());
                try {
                    allocator.free(run.start(), run.length());
                } catch (CorruptFilesystemException e) {
                    throw new AssertionError(e);
                }
                for (long b = run.start(); b < run.start() + run.length(); b++) {
                    taken.remove(b);
                }
            } else {
                BlockAllocator.Run run;
                try {
                    run = allocator.allocate(step % LAYOUT.blockCount(), 1 + step % 9);
                } catch (FsException full) {
                    assertThat(full.error()).isEqualTo(FsError.ENOSPC);
                    assertThat(taken).hasSize((int) LAYOUT.dataBlocks());
                    continue;
                }
                for (long b = run.start(); b < run.start() + run.length(); b++) {
                    assertThat(b).isBetween(LAYOUT.dataStart(), LAYOUT.backupSuperblock() - 1);
                    assertThat(taken.add(b)).as("block %d handed out twice", b).isTrue();
                }
                live.add(run);
            }
            assertThat(allocator.freeBlocks()).isEqualTo(LAYOUT.dataBlocks() - taken.size());
        }
    }

    @Test
    void aGoalInsideAFreeRunGrowsThereAndADoubleFreeIsCaught() throws Exception {
        BlockAllocator allocator = new BlockAllocator(formatted(), LAYOUT);
        long goal = LAYOUT.dataStart() + 10;
        assertThat(allocator.allocate(goal, 4)).isEqualTo(new BlockAllocator.Run(goal, 4));
        assertThat(allocator.allocate(goal + 4, 2)).isEqualTo(new BlockAllocator.Run(goal + 4,
                2));
        allocator.free(goal, 4);
        assertThatThrownBy(() -> allocator.free(goal + 1, 1))
                .isInstanceOf(CorruptFilesystemException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> allocator.free(0, 1))
                .hasMessageContaining("outside the data region");
    }
}
