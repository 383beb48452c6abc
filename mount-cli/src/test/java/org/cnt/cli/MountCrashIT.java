package org.cnt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the {@code cnt mount} process at random moments of a metadata-heavy
 * workload, again and again: after each kill {@code cnt fsck} finds the file system clean, and
 * the next mount shows every file whose fsync returned, byte for byte.
 */
class MountCrashIT {
    private static final int KILLS = Integer.getInteger("cnt.mountKills", 20);

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path home;

    @Test
    @Timeout(value = 25, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void killedAtAnyMomentTheMountComesBackCleanWithEverythingItSynced() throws Exception {
        FuseAvailable.assume("fusermount3");
        Path mnt = Files.createDirectories(home.resolve("mnt"));
        CntProcesses cnt = new CntProcesses(home);
        Map<Path, byte[]> synced = new ConcurrentHashMap<>();
        long seed = Long.getLong("cnt.mountCrashSeed", System.nanoTime());
        Random random = new Random(seed);
        int files = 0;
        try {
            for (int round = 0; round < KILLS; round++) {
                Process mount = cnt.startMount(mnt.toString());
                for (Map.Entry<Path, byte[]> file : synced.entrySet()) {
                    assertThat(Files.readAllBytes(file.getKey()))
                            .as("%s, fsync'd before kill %d (seed %d)", file.getKey(), round,
                                    seed).isEqualTo(file.getValue());
                }
                AtomicInteger made = new AtomicInteger();
                int thisRound = round;
                long workloadSeed = random.nextLong();
                Thread workload = Thread.ofPlatform().daemon().start(() -> work(mnt, thisRound,
                        workloadSeed, synced, made));
                TimeUnit.MILLISECONDS.sleep(300 + random.nextInt(3000));
                CntProcesses.killHard(mount);
                workload.join(60_000);
                assertThat(workload.isAlive()).as("the workload ends with the mount").isFalse();
                files += made.get();
                CntProcesses.Result fsck = cnt.run("fsck", "default");
                assertThat(fsck.code()).as("fsck after kill %d (seed %d): %s %s", round, seed,
                        fsck.out(), fsck.err()).isZero();
            }
            Process last = cnt.startMount(mnt.toString());
            for (Map.Entry<Path, byte[]> file : synced.entrySet()) {
                assertThat(Files.readAllBytes(file.getKey())).isEqualTo(file.getValue());
            }
            assertThat(synced).as("files fsync'd over all rounds").hasSizeGreaterThan(KILLS);
            System.out.printf("mount crash test: %d kills, %d files made, %d fsync'd and intact "
                    + "(seed %d)%n", KILLS, files, synced.size(), seed);
            assertThat(cnt.run("umount", mnt.toString()).code()).isZero();
            assertThat(last.waitFor(120, TimeUnit.SECONDS)).isTrue();
        } finally {
            cnt.close(mnt);
        }
    }

    /**
     * Until the mount dies: directories made and removed, files written, renamed and unlinked;
     * every third file fsync'd, and recorded only once its fsync returned (and never touched
     * again).
     */
    private static void work(Path mnt, int round, long seed, Map<Path, byte[]> synced,
                             AtomicInteger made) {
        Random random = new Random(seed);
        try {
            Path dir = Files.createDirectories(mnt.resolve("round-" + round));
            for (int i = 0; ; i++) {
                Path sub = Files.createDirectories(dir.resolve("d" + i % 7));
                Path file = sub.resolve("f" + i);
                byte[] data = new byte[1 + random.nextInt(64 * 1024)];
                random.nextBytes(data);
                boolean sync = i % 3 == 0;
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    channel.write(ByteBuffer.wrap(data));
                    if (sync) {
                        channel.force(true);
                    }
                }
                made.incrementAndGet();
                if (sync) {
                    synced.put(file, data);
                    continue;
                }
                if (i % 3 == 1) {
                    Files.move(file, sub.resolve("moved-" + i));
                } else {
                    Files.delete(file);
                }
                if (i % 11 == 10) {
                    Path empty = Files.createDirectory(dir.resolve("empty-" + i));
                    Files.delete(empty);
                }
            }
        } catch (IOException | RuntimeException e) {
            // The mount was killed under the workload, as intended.
        }
    }
}
