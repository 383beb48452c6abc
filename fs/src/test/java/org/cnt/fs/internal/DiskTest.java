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
        Layout layout = Layout.plan(blocks.blockSizeBytes(), blocks.blockCount(), 64, 64);
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
        assertThat(root.sizeBytes()).as("one block of '.' and '..'").isEqualTo(blockSize);
        assertThat(disk.inode(Disk.ORPHAN_INODE).isDirectory()).isTrue();
        assertThat(disk.blockBitmap().free()).isEqualTo(layout.dataBlocks() - 2);
        assertThat(disk.inodeBitmap().free()).isEqualTo(layout.inodeCount() - 3);
        assertThat(disk.inode(3)).as("a free inode").isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096})
    void committedInodesAndBitmapsAreThereAfterAReopenWithOrWithoutACheckpoint(int blockSize)
            throws Exception {
        MemoryBlocks blocks = new MemoryBlocks(blockSize, 400);
        Layout layout = format(blocks);
        Disk disk = Disk.open(blocks);
        Committer committer = new Committer(disk);
        Map<Long, Inode> changes = new LinkedHashMap<>();
        try (Transaction create = committer.begin(committer.maxCredits())) {
            for (int i = 0; i < 7; i++) {
                long number = create.allocateInode();
                create.allocate(layout.dataStart() + 10 + i, 1);
                changes.put(number, Inode.create(number, Inode.S_IFREG | 0644, 1, 2, number, 1));
                create.put(changes.get(number));
            }
        }
        committer.commit();
        Disk reopened = Disk.open(blocks);
        for (long number : changes.keySet()) {
            assertThat(reopened.inode(number)).isEqualTo(changes.get(number));
        }
        for (int i = 0; i < 7; i++) {
            assertThat(reopened.blockBitmap().get(layout.dataStart() + 10 + i)).isTrue();
        }
        Committer again = new Committer(reopened);
        try (Transaction free = again.begin(4)) {
            free.free(5);
        }
        again.checkpoint();
        Disk third = Disk.open(blocks);
        assertThat(third.inode(5)).isNull();
        assertThat(third.inode(6)).isEqualTo(changes.get(6L));
        assertThat(third.inodeBitmap().used()).isEqualTo(3 + 6);
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
            assertThat(disk.blockBitmap().free()).isEqualTo(disk.layout().dataBlocks() - 2);
        }
        assertThat(crashes).isPositive();
    }
}
