package org.cnt.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Random;
import org.cnt.fs.Caller;
import org.cnt.fs.CorruptFilesystemException;
import org.cnt.fs.Filesystem;
import org.cnt.fs.FsOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The public entry points on a byte-addressed device, as {@code cnt mkfs} and mount use them. */
class DeviceFilesystemTest {
    private static final Caller USER = Caller.of(1000, 1000);

    @ParameterizedTest
    @ValueSource(ints = {512, 4096, 65_536})
    void formatOpenWriteAndCheckOnABlockDevice(int blockSize) throws Exception {
        MemoryDevice device = new MemoryDevice(64L << 20);
        assertThat(Fsck.holdsFilesystem(device)).isFalse();
        assertThatThrownBy(() -> CntFilesystem.open(device, FsOptions.DEFAULTS))
                .isInstanceOf(CorruptFilesystemException.class)
                .hasMessageContaining("cnt mkfs");
        CntFilesystem.format(device, blockSize, USER, 1_000);
        assertThat(Fsck.holdsFilesystem(device)).isTrue();
        byte[] data = new byte[3 * blockSize + 123];
        new Random(blockSize).nextBytes(data);
        long file;
        try (Filesystem fs = CntFilesystem.open(device, FsOptions.DEFAULTS
                .withCommitIntervalMs(0))) {
            assertThat(fs.getattr(Filesystem.ROOT).uid()).isEqualTo(1000);
            file = fs.create(USER, Filesystem.ROOT, "f", 0644).inode();
            fs.write(file, 7, ByteBuffer.wrap(data));
            fs.fallocate(USER, file, Filesystem.FALLOC_FL_KEEP_SIZE, 0, 10L * blockSize);
            int flushes = device.flushes;
            fs.fsync(file);
            assertThat(device.flushes).as("fsync reaches the device").isGreaterThan(flushes);
        }
        assertThat(device.trimmedBytes).as("reserved blocks are zeroed by trim")
                .isPositive();
        // The superblock damaged: the copy in the last block still names the block size.
        device.write(0, ByteBuffer.wrap(new byte[512]));
        try (Filesystem fs = CntFilesystem.open(device, FsOptions.DEFAULTS.withReadOnly(true))) {
            ByteBuffer back = ByteBuffer.allocate(data.length);
            fs.read(file, 7, back);
            assertThat(back.array()).isEqualTo(data);
        }
        assertThat(Fsck.run(device, false).problems()).isEmpty();
    }
}
