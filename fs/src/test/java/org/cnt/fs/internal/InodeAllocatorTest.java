package org.cnt.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.cnt.fs.CorruptFilesystemException;
import org.cnt.fs.FsError;
import org.cnt.fs.FsException;
import org.junit.jupiter.api.Test;

class InodeAllocatorTest {

    private static Bitmap formatted(int inodes) {
        Bitmap bitmap = Bitmap.empty(inodes, 512);
        bitmap.set(0);
        bitmap.set(Disk.ROOT_INODE);
        return bitmap;
    }

    @Test
    void numbersAreUniqueNotReusedAtOnceAndRunOutWithEnospc() throws Exception {
        InodeAllocator allocator = new InodeAllocator(formatted(16));
        Set<Long> taken = new HashSet<>();
        for (int i = 0; i < 14; i++) {
            long number = allocator.allocate();
            assertThat(number).isBetween(2L, 15L);
            assertThat(taken.add(number)).isTrue();
        }
        assertThatThrownBy(allocator::allocate).isInstanceOf(FsException.class)
                .extracting(e -> ((FsException) e).error()).isEqualTo(FsError.ENOSPC);
        allocator.free(3);
        allocator.free(9);
        assertThat(allocator.freeInodes()).isEqualTo(2);
        assertThat(allocator.allocate()).as("next-fit from the last handed out").isEqualTo(3);
        InodeAllocator fresh = new InodeAllocator(formatted(16));
        long first = fresh.allocate();
        fresh.free(first);
        assertThat(fresh.allocate()).as("a freed number is not handed out again at once")
                .isNotEqualTo(first);
    }

    @Test
    void freeingAReservedOrFreeInodeIsCorruption() throws Exception {
        InodeAllocator allocator = new InodeAllocator(formatted(16));
        assertThatThrownBy(() -> allocator.free(Disk.ROOT_INODE))
                .isInstanceOf(CorruptFilesystemException.class);
        assertThatThrownBy(() -> allocator.free(7))
                .isInstanceOf(CorruptFilesystemException.class);
    }
}
