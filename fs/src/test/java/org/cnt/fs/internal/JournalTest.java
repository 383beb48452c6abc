package org.cnt.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class JournalTest {
    private static final int BLOCK = 512;
    private static final int HOMES = 12;

    private static Layout layout(long journalBlocks) {
        return Layout.plan(BLOCK, 200, 8, journalBlocks);
    }

    /** Transactions of 1..5 random images of {@link #HOMES} home blocks in the data region. */
    private static List<Map<Long, byte[]>> transactions(Layout layout, long seed, int count) {
        Random random = new Random(seed);
        List<Map<Long, byte[]>> all = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            Map<Long, byte[]> images = new LinkedHashMap<>();
            int size = 1 + random.nextInt(5);
            for (int i = 0; i < size; i++) {
                byte[] image = new byte[BLOCK];
                random.nextBytes(image);
                images.put(layout.dataStart() + random.nextInt(HOMES), image);
            }
            all.add(images);
        }
        return all;
    }

    /** The home blocks after the first {@code applied} transactions. */
    private static byte[][] expected(Layout layout, List<Map<Long, byte[]>> all, int applied) {
        byte[][] homes = new byte[HOMES][BLOCK];
        for (int t = 0; t < applied; t++) {
            all.get(t).forEach((home, image) -> homes[(int) (home - layout.dataStart())] = image);
        }
        return homes;
    }

    private static byte[][] homes(MemoryBlocks blocks, Layout layout) {
        byte[][] homes = new byte[HOMES][BLOCK];
        for (int i = 0; i < HOMES; i++) {
            blocks.read(layout.dataStart() + i, homes[i]);
        }
        return homes;
    }

    @Property(tries = 1500)
    void aCrashAtAnyWriteLeavesEveryAcknowledgedTransactionAndNoPartOfAnother(
            @ForAll @IntRange(min = 16, max = 40) int journalBlocks,
            @ForAll @IntRange(min = 0, max = 400) int crashAfterWrites,
            @ForAll boolean tear, @ForAll boolean reorder, @ForAll long seed)
            throws IOException {
        Layout layout = layout(journalBlocks);
        MemoryBlocks blocks = new MemoryBlocks(BLOCK, layout.blockCount());
        Journal.format(blocks, layout);
        List<Map<Long, byte[]>> all = transactions(layout, seed, 40);
        Journal journal = Journal.open(blocks, layout);
        blocks.crashAfter(crashAfterWrites, tear, reorder ? new Random(seed) : null);
        int acknowledged = 0;
        try {
            for (Map<Long, byte[]> images : all) {
                journal.commit(images);
                acknowledged++;
            }
            journal.checkpoint();
        } catch (IOException crashed) {
            assertThat(blocks.crashed()).isTrue();
        }
        blocks.restart();
        Journal.open(blocks, layout);
        byte[][] after = homes(blocks, layout);
        boolean matches = Arrays.deepEquals(after, expected(layout, all, acknowledged))
                || acknowledged < all.size()
                && Arrays.deepEquals(after, expected(layout, all, acknowledged + 1));
        assertThat(matches).as("the homes hold transactions 1..%d (or one more, whole)",
                acknowledged).isTrue();
    }

    @Test
    void aCleanCheckpointLeavesNothingToReplayAndTheJournalWrapsForEver() throws IOException {
        Layout layout = layout(16);
        MemoryBlocks blocks = new MemoryBlocks(BLOCK, layout.blockCount());
        Journal.format(blocks, layout);
        Journal journal = Journal.open(blocks, layout);
        List<Map<Long, byte[]>> all = transactions(layout, 9, 500);
        for (Map<Long, byte[]> images : all) {
            journal.commit(images);
        }
        assertThat(journal.unwrittenImage(all.getLast().keySet().iterator().next()))
                .as("committed images wait in memory for the checkpoint").isNotNull();
        journal.checkpoint();
        assertThat(homes(blocks, layout)).isDeepEqualTo(expected(layout, all, all.size()));
        Journal.open(blocks, layout);
        assertThat(homes(blocks, layout)).isDeepEqualTo(expected(layout, all, all.size()));
    }
}
