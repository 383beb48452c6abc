package org.cnt.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.cnt.fs.CorruptFilesystemException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DiskTest {

    private static Layout format(MemoryBlocks blocks) throws Exception {
        Layout layout = Layout.plan(blocks.blockSizeBytes(), blocks.blockCount(), 64, 16);
        Disk.format(blocks, layout, UUID.randomUUID(), 5_000_000_000L, 1000, 1000);
        return layout;
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096})
    void aNewFilesystemHasItsRootAndCountsItsFreeSpace(int blockSize) throws Exception {
        MemoryBlocks blocks = new MemoryBlocks(blockSize, 400);
        Layout layout = format(blocks);
        Disk disk = Disk.open(blocks);
        Inode root = disk.inode(Disk.ROOT_INODE);
        assertThat(root.isDirectory()).isTrue();
        assertThat(root.mode() & 07777).isEqualTo(0755);
        assertThat(root.nlink()).isEqualTo(2);
        assertThat(root.uid()).isEqualTo(1000);
        assertThat(disk.superblock().clean()).isTrue();
        assertThat(disk.blockBitmap().free()).isEqualTo(layout.dataBlocks());
        assertThat(disk.inodeBitmap().free()).isEqualTo(layout.inodeCount() - 2);
        assertThat(disk.inode(2)).as("a free inode").isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096})
    void committedInodesAndBitmapsAreThereAfterAReopenWithOrWithoutACheckpoint(int blockSize)
            throws Exception {
        MemoryBlocks blocks = new MemoryBlocks(blockSize, 400);
        Layout layout = format(blocks);
        Disk disk = Disk.open(blocks);
        Map<Long, Inode> changes = new LinkedHashMap<>();
        Transaction create = disk.begin();
        for (long number = 2; number < 9; number++) {
            disk.inodeBitmap().set(number);
            disk.blockBitmap().set(layout.dataStart() + number);
            changes.put(number, Inode.create(number, Inode.S_IFREG | 0644, 1, 2, number, 1));
            create.put(changes.get(number));
        }
        disk.commit(create);
        Disk reopened = Disk.open(blocks);
        for (long number = 2; number < 9; number++) {
            assertThat(reopened.inode(number)).isEqualTo(changes.get(number));
            assertThat(reopened.blockBitmap().get(layout.dataStart() + number)).isTrue();
        }
        Transaction free = reopened.begin();
        free.free(5);
        reopened.inodeBitmap().clear(5);
        reopened.commit(free);
        reopened.checkpoint();
        Disk again = Disk.open(blocks);
        assertThat(again.inode(5)).isNull();
        assertThat(again.inode(6)).isEqualTo(changes.get(6L));
        assertThat(again.inodeBitmap().used()).isEqualTo(2 + 6);
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096})
    void aDamagedSuperblockIsReadFromItsCopyAndNoFilesystemIsSaidSo(int blockSize)
            throws Exception {
        MemoryBlocks blocks = new MemoryBlocks(blockSize, 400);
        format(blocks);
        byte[] garbage = new byte[blockSize];
        new Random(1).nextBytes(garbage);
        blocks.write(0, garbage);
        assertThat(Disk.open(blocks).inode(Disk.ROOT_INODE).isDirectory()).isTrue();
        blocks.write(blocks.blockCount() - 1, garbage);
        assertThatThrownBy(() -> Disk.open(blocks))
                .isInstanceOf(CorruptFilesystemException.class);
        assertThatThrownBy(() -> Disk.open(new MemoryBlocks(blockSize, 400)))
                .hasMessageContaining("no CNT filesystem here");
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096})
    void aCrashDuringFormatLeavesNoFilesystemOrAWholeOne(int blockSize) throws Exception {
        int crashes = 0;
        for (int writes = 0; writes < 60; writes++) {
            MemoryBlocks blocks = new MemoryBlocks(blockSize, 400);
            blocks.crashAfter(writes, writes % 2 == 0, new Random(writes));
            try {
                format(blocks);
            } catch (java.io.IOException crashed) {
                crashes++;
            }
            blocks.restart();
            Disk disk;
            try {
                disk = Disk.open(blocks);
            } catch (CorruptFilesystemException none) {
                continue;
            }
            assertThat(disk.inode(Disk.ROOT_INODE).isDirectory()).isTrue();
            assertThat(disk.blockBitmap().free()).isEqualTo(disk.layout().dataBlocks());
        }
        assertThat(crashes).isPositive();
    }
}
