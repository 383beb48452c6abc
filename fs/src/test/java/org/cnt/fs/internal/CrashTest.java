package org.cnt.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cnt.fs.Filesystem;
import org.cnt.fs.FsckReport;
import org.junit.jupiter.api.Test;

/**
 * Crashes the device at a random write during a random workload, over and over: after the
 * restart the filesystem opens, fsck finds nothing wrong, and the tree is exactly the one some
 * prefix of the operations left, never older than the last sync. Each run is one seed; a
 * failure names it (replay with {@code -Dcnt.fs.crashSeed=N}).
 */
class CrashTest {
    private static final int BLOCK = 512;
    private static final int STEPS = 120;
    private static final int EXTENTS = 2500;

    @Test
    void aCrashAtAnyWriteLeavesAConsistentFilesystemWithEverySyncedChange() throws Exception {
        String one = System.getProperty("cnt.fs.crashSeed");
        int seeds = Integer.getInteger("cnt.fs.crashSeeds", 1100);
        long first = one != null ? Long.parseLong(one) : new Random().nextInt(1 << 20) * 1000L;
        int crashed = 0;
        for (long seed = first; seed < first + (one != null ? 1 : seeds); seed++) {
            try {
                Outcome outcome = run(seed);
                crashed += outcome.crashed ? 1 : 0;
            } catch (AssertionError | Exception e) {
                throw new AssertionError("crash seed " + seed + " (replay with -Dcnt.fs."
                        + "crashSeed=" + seed + "): " + e.getMessage(), e);
            }
        }
        assertThat(crashed).as("runs where the crash hit before the workload ended")
                .isGreaterThan((one != null ? 1 : seeds) * 9 / 10 - 1);
        System.out.println("crash test: " + crashed + " crash points in random workloads");
    }

    private record Outcome(boolean crashed) {
    }

    private static Outcome run(long seed) throws Exception {
        // The run without a crash: the state after every step, and how many writes it takes.
        TestFs clean = new TestFs(BLOCK, 6144);
        List<Map<String, String>> states = new ArrayList<>();
        List<Integer> syncedAt = new ArrayList<>();
        states.add(Workload.snapshot(clean.fs));
        Workload workload = new Workload(seed, BLOCK);
        long writesBefore = clean.blocks.writes();
        for (int i = 0; i < STEPS; i++) {
            if (workload.step(clean.fs)) {
                syncedAt.add(i + 1);
            }
            states.add(Workload.snapshot(clean.fs));
        }
        long writes = clean.blocks.writes() - writesBefore;
        if (Boolean.getBoolean("cnt.fs.crashVerbose")) {
            System.out.println("seed " + seed + ": " + writes + " writes, final tree "
                    + states.getLast().size() + " entries, " + syncedAt.size() + " syncs, "
                    + states.stream().distinct().count() + " distinct states");
        }

        Random random = new Random(seed);
        TestFs crashing = new TestFs(BLOCK, 6144);
        crashing.blocks.crashAfter(random.nextLong(writes + 1), random.nextBoolean(),
                new Random(seed + 1));
        Workload again = new Workload(seed, BLOCK);
        int synced = 0;
        boolean crashed = false;
        for (int i = 0; i < STEPS; i++) {
            try {
                if (again.step(crashing.fs)) {
                    synced = i + 1;
                }
            } catch (IOException e) {
                assertThat(crashing.blocks.crashed()).as("only the crash fails: %s", e).isTrue();
                crashed = true;
                break;
            }
        }
        crashing.blocks.restart();
        FsckReport check = Fsck.run(crashing.blocks, false);
        assertThat(check.problems()).as("fsck after the crash").isEmpty();
        CntFilesystem reopened = CntFilesystem.open(crashing.blocks, crashing.options(false));
        Map<String, String> recovered = Workload.snapshot(reopened);
        int match = -1;
        for (int k = states.size() - 1; k >= synced; k--) {
            if (states.get(k).equals(recovered)) {
                match = k;
                break;
            }
        }
        assertThat(match).as("the recovered tree is the state after some step from the last "
                + "sync (%d) on; it is %s; after that sync it was %s", synced, recovered,
                states.get(synced)).isGreaterThanOrEqualTo(synced);
        reopened.close();
        assertThat(Fsck.run(crashing.blocks, false).problems()).as("fsck after recovery")
                .isEmpty();
        return new Outcome(crashed);
    }

    @Test
    void aCrashWhileALargeFragmentedFileIsFreedIsFinishedOnTheNextOpen() throws Exception {
        int orphansSeen = 0;
        int points = 0;
        for (long crashAt = 0; ; crashAt += 5) {
            TestFs t = new TestFs(BLOCK, 16384);
            long big = t.fs.create(TestFs.OWNER, Filesystem.ROOT, "big", 0644).inode();
            long gap = t.fs.create(TestFs.OWNER, Filesystem.ROOT, "gap", 0644).inode();
            byte[] block = new byte[BLOCK];
            // Enough extents that freeing them touches more blocks than one transaction holds.
            for (int i = 0; i < EXTENTS; i++) {
                java.util.Arrays.fill(block, (byte) i);
                t.fs.write(big, (long) i * BLOCK, java.nio.ByteBuffer.wrap(block));
                t.fs.write(gap, (long) i * BLOCK, java.nio.ByteBuffer.wrap(block));
            }
            t.fs.unlink(TestFs.OWNER, Filesystem.ROOT, "gap");
            t.fs.sync();
            assertThat(t.fs.state().inode(big).treeDepth()).isPositive();
            byte[] content = t.readAll(big);
            long freeBefore = t.fs.statfs().freeBlocks();
            long ownBlocks = t.fs.getattr(big).blocks512() * 512 / BLOCK;
            t.blocks.crashAfter(crashAt, crashAt % 2 == 1, new Random(crashAt));
            boolean finished = true;
            try {
                t.fs.unlink(TestFs.OWNER, Filesystem.ROOT, "big");
                t.fs.sync();
            } catch (IOException crash) {
                finished = false;
            }
            t.blocks.restart();
            if (finished) {
                assertThat(points).as("the free took several commits").isGreaterThan(3);
                break;
            }
            points++;
            try (CntFilesystem readOnly = CntFilesystem.open(t.blocks, t.options(true))) {
                orphansSeen += new Orphans(readOnly.state()).list().isEmpty() ? 0 : 1;
            }
            assertThat(Fsck.run(t.blocks, false).problems()).as("crash after %d writes",
                    crashAt).isEmpty();
            t.fs = t.open(false);
            try {
                long again = t.fs.lookup(TestFs.OWNER, Filesystem.ROOT, "big").inode();
                assertThat(t.readAll(again)).isEqualTo(content);
            } catch (org.cnt.fs.FsException gone) {
                assertThat(gone.error()).isEqualTo(org.cnt.fs.FsError.ENOENT);
                assertThat(t.fs.statfs().freeBlocks()).as("every block of the file is free")
                        .isEqualTo(freeBefore + ownBlocks);
            }
            t.fs.close();
            assertThat(Fsck.run(t.blocks, false).problems()).isEmpty();
        }
        assertThat(orphansSeen).as("crashes that left the free half done").isPositive();
        System.out.println("crash test, large free: " + points + " crash points, "
                + orphansSeen + " left it half done and the next open finished it");
    }
}
