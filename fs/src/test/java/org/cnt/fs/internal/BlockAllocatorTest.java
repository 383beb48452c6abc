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
        // Freed blocks not yet safe to reuse: block -> {freed in transaction, metadata ? 1 : 0}
        java.util.Map<Long, long[]> quarantined = new java.util.HashMap<>();
        List<BlockAllocator.Run> live = new ArrayList<>();
        long running = 1;
        long durable = 0;
        long checkpointed = 0;
        for (int step : steps) {
            if (step % 7 == 0) {
                durable = running++;
                if (step % 3 == 0) {
                    checkpointed = durable;
                }
                allocator.release(durable, checkpointed);
                long d = durable;
                long c = checkpointed;
                quarantined.values().removeIf(q -> q[0] <= (q[1] == 1 ? c : d));
            } else if (step % 4 == 0 && !live.isEmpty()) {
                BlockAllocator.Run run = live.remove(step % live.size());
                boolean metadata = step % 8 == 0;
                try {
                    allocator.free(run.start(), run.length(), running, metadata);
                } catch (CorruptFilesystemException e) {
                    throw new AssertionError(e);
                }
                for (long b = run.start(); b < run.start() + run.length(); b++) {
                    taken.remove(b);
                    quarantined.put(b, new long[] {running, metadata ? 1 : 0});
                }
            } else {
                BlockAllocator.Run run;
                try {
                    run = allocator.allocate(step % LAYOUT.blockCount(), 1 + step % 9);
                } catch (FsException full) {
                    assertThat(full.error()).isEqualTo(FsError.ENOSPC);
                    assertThat(taken.size() + quarantined.size())
                            .isEqualTo((int) LAYOUT.dataBlocks());
                    continue;
                }
                for (long b = run.start(); b < run.start() + run.length(); b++) {
                    assertThat(b).isBetween(LAYOUT.dataStart(), LAYOUT.backupSuperblock() - 1);
                    assertThat(taken.add(b)).as("block %d handed out twice", b).isTrue();
                    assertThat(quarantined).as("block %d reused before it is safe", b)
                            .doesNotContainKey(b);
                }
                live.add(run);
            }
            assertThat(allocator.freeBlocks()).isEqualTo(LAYOUT.dataBlocks() - taken.size());
            assertThat(allocator.quarantinedBlocks()).isEqualTo(quarantined.size());
        }
    }

    @Test
    void aGoalInsideAFreeRunGrowsThereAndADoubleFreeIsCaught() throws Exception {
        BlockAllocator allocator = new BlockAllocator(formatted(), LAYOUT);
        long goal = LAYOUT.dataStart() + 10;
        assertThat(allocator.allocate(goal, 4)).isEqualTo(new BlockAllocator.Run(goal, 4));
        assertThat(allocator.allocate(goal + 4, 2)).isEqualTo(new BlockAllocator.Run(goal + 4,
                2));
        allocator.free(goal, 4, 1, false);
        assertThatThrownBy(() -> allocator.free(goal + 1, 1, 1, false))
                .isInstanceOf(CorruptFilesystemException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> allocator.free(0, 1, 1, false))
                .hasMessageContaining("outside the data region");
    }
}
