package org.cnt.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.cnt.fs.CorruptFilesystemException;
import org.junit.jupiter.api.Test;

class SuperblockTest {

    @Property(tries = 200)
    void layoutsNeverOverlapAndFitTheDevice(@ForAll @IntRange(min = 9, max = 16) int blockShift,
                                            @ForAll @LongRange(min = 64, max = 1L << 28)
                                            long blocks,
                                            @ForAll @LongRange(min = 1, max = 1 << 20) long inodes,
                                            @ForAll @LongRange(min = 16, max = 4096) long journal) {
        int blockSize = 1 << blockShift;
        Layout layout;
        try {
            layout = Layout.plan(blockSize, blocks, inodes, journal);
        } catch (IllegalArgumentException tooSmall) {
            assertThat(tooSmall).hasMessageContaining("too small");
            return;
        }
        assertThat(layout.inodeCount()).isGreaterThanOrEqualTo(inodes);
        assertThat(layout.journalStart()).isEqualTo(1);
        assertThat(layout.blockBitmapStart()).isEqualTo(layout.journalStart() + journal);
        assertThat(layout.inodeBitmapStart())
                .isEqualTo(layout.blockBitmapStart() + layout.blockBitmapBlocks());
        assertThat(layout.inodeTableStart())
                .isEqualTo(layout.inodeBitmapStart() + layout.inodeBitmapBlocks());
        assertThat(layout.dataStart())
                .isEqualTo(layout.inodeTableStart() + layout.inodeTableBlocks());
        assertThat(layout.blockBitmapBlocks() * 8 * blockSize).isGreaterThanOrEqualTo(blocks);
        assertThat(layout.inodeTableBlocks() * blockSize)
                .isEqualTo(layout.inodeCount() * Layout.INODE_BYTES);
        assertThat(layout.dataBlocks()).isPositive();
        assertThat(layout.backupSuperblock()).isEqualTo(blocks - 1);
    }

    @Test
    void aSuperblockRoundTripsAndAnyFlippedBitIsRefused() throws Exception {
        Superblock written = new Superblock(Layout.plan(4096, 1L << 30), UUID.randomUUID(),
                1_700_000_000, true);
        byte[] block = new byte[4096];
        written.writeTo(block);
        assertThat(Superblock.readFrom(block)).isEqualTo(written);
        for (int bit = 0; bit < Superblock.ENCODED_BYTES * 8; bit++) {
            byte[] damaged = block.clone();
            damaged[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThatThrownBy(() -> Superblock.readFrom(damaged))
                    .isInstanceOf(CorruptFilesystemException.class);
        }
    }

    @Test
    void anotherFormatOrNoFilesystemIsNamedAsSuch() {
        assertThatThrownBy(() -> Superblock.readFrom(new byte[4096]))
                .hasMessageContaining("no CNT filesystem here");
        byte[] block = new byte[4096];
        new Superblock(Layout.plan(4096, 64L << 20), UUID.randomUUID(), 1, false)
                .writeTo(block);
        block[11] = 2;
        assertThatThrownBy(() -> Superblock.readFrom(block))
                .hasMessageContaining("format version 2; this build reads version 1");
    }

    @Test
    void aDeviceTooSmallIsRefusedWithItsSize() {
        assertThatThrownBy(() -> Layout.plan(4096, 20, 64, 16))
                .hasMessageContaining("20 blocks of 4096 bytes is too small");
        assertThatThrownBy(() -> Layout.plan(1000, 1 << 20, 64, 16))
                .hasMessageContaining("power of two");
    }
}
