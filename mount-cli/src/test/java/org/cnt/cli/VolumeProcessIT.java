package org.cnt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.Views;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raw volume of a {@code cnt mount --raw} process on a node and four {@code cnt farmer run}
 * processes: a farmer killed with {@code kill -9} while the volume is written surfaces no error
 * and loses nothing; the mount process itself killed mid-write comes back, on the next mount,
 * with every write it had accepted.
 */
class VolumeProcessIT {
    private static final int MIB = 1 << 20;
    private static final int PAGE = 4096;
    private static final int WRITTEN_MIB = 24;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path home;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aKilledFarmerSurfacesNothingAndAKilledClientReplaysWhatItAccepted() throws Exception {
        FuseAvailable.assume("fusermount3");
        Path mnt = Files.createDirectories(home.resolve("mnt"));
        Path image = mnt.resolve("disk.img");
        CntProcesses cnt = new CntProcesses(home);
        try {
            CntProcesses.Node node = cnt.startNode("--listen", "127.0.0.1:0", "--block-time",
                    "200ms", "--chunk-size", "16MiB");
            NodeClient api = new NodeClient(node.url());
            List<CntProcesses.Farmer> farmers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                assertThat(cnt.run("--wallet", "f" + i, "wallet", "new").code()).isZero();
                farmers.add(cnt.startFarmer("--node", node.url(), "--wallet", "f" + i, "farmer",
                        "run", "--dir", home.resolve("farmer" + i).toString(), "--capacity",
                        "64M", "--listen", "127.0.0.1:0"));
            }
            Eventually.await(() -> api.chunks().stream().filter(Views.Chunk::full).count() >= 4,
                    "four full copy groups", 180_000);
            assertThat(cnt.run("--node", node.url(), "volume", "create", "--size", "32M",
                    "--days", "30", "--name", "it").code()).isZero();

            byte[] first = random(WRITTEN_MIB * MIB, 1);
            Process mount = cnt.startMount("--node", node.url(), "--raw", mnt.toString(),
                    "--volume", "it");
            try (FileChannel disk = FileChannel.open(image, StandardOpenOption.WRITE)) {
                for (int mib = 0; mib < WRITTEN_MIB; mib++) {
                    if (mib == 8) {
                        CntProcesses.killHard(farmers.get(1).process());
                    }
                    writeFully(disk, first, mib * MIB, MIB);
                }
                disk.force(true);
            }
            assertThat(readAll(image, WRITTEN_MIB * MIB)).as("every byte after a farmer died")
                    .isEqualTo(first);

            // Now the client dies in the middle of writes it had not flushed.
            byte[] second = random(WRITTEN_MIB * MIB, 2);
            AtomicInteger accepted = new AtomicInteger();
            Thread writer = Thread.ofPlatform().daemon().start(() -> {
                try (FileChannel disk = FileChannel.open(image, StandardOpenOption.WRITE)) {
                    for (int mib = 0; mib < WRITTEN_MIB; mib++) {
                        writeFully(disk, second, mib * MIB, MIB);
                        accepted.set(mib + 1);
                    }
                } catch (IOException e) {
                    // the mount went away under the writer, as intended
                }
            });
            Eventually.await(() -> accepted.get() >= 6, "six MiB accepted", 120_000);
            CntProcesses.killHard(mount);
            // No write(2) returns from a dead mount: what was accepted is counted.
            int acceptedMib = accepted.get();

            // The next mount clears the dead mount point (the writer still has the image open).
            Process again = cnt.startMount("--node", node.url(), "--raw", mnt.toString(),
                    "--volume", "it");
            writer.join(60_000);
            assertThat(writer.isAlive()).as("the writer is released from the dead mount")
                    .isFalse();
            byte[] back = readAll(image, WRITTEN_MIB * MIB);
            assertThat(Arrays.copyOf(back, acceptedMib * MIB))
                    .as("the %d MiB whose write(2) returned before the kill", acceptedMib)
                    .isEqualTo(Arrays.copyOf(second, acceptedMib * MIB));
            for (int page = acceptedMib * MIB / PAGE; page < WRITTEN_MIB * MIB / PAGE; page++) {
                int at = page * PAGE;
                boolean old = Arrays.equals(back, at, at + PAGE, first, at, at + PAGE);
                boolean next = Arrays.equals(back, at, at + PAGE, second, at, at + PAGE);
                assertThat(old || next).as("page %d is one whole version", page).isTrue();
            }
            CntProcesses.Result umount = cnt.run("umount", mnt.toString());
            assertThat(umount.code()).as(umount.err()).isZero();
            assertThat(again.waitFor(120, TimeUnit.SECONDS)).isTrue();
        } finally {
            cnt.close(home.resolve("mnt"));
        }
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void writeFully(FileChannel disk, byte[] data, int offset, int length)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(data, offset, length);
        long at = offset;
        while (buffer.hasRemaining()) {
            at += disk.write(buffer, at);
        }
    }

    private static byte[] readAll(Path image, int length) throws IOException {
        ByteBuffer into = ByteBuffer.allocate(length);
        try (FileChannel disk = FileChannel.open(image, StandardOpenOption.READ)) {
            while (into.hasRemaining()) {
                if (disk.read(into, into.position()) < 0) {
                    break;
                }
            }
        }
        return into.array();
    }
}
