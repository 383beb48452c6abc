package org.cnt.blockdev.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteLogTest {
    private static final int PAGE = PageStore.PAGE_BYTES;
    /** Room for three page records a segment. */
    private static final long SEGMENT = 3 * (PAGE + 64);

    @TempDir
    Path dir;

    private static byte[] page(int seed) {
        byte[] bytes = new byte[PAGE];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private List<Path> segments() throws Exception {
        try (var files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    @Test
    void acceptedWritesAndTrimsAreReplayedInOrderAfterACrash() throws Exception {
        try (WriteLog log = WriteLog.open(dir, 100 * SEGMENT, SEGMENT)) {
            for (int i = 0; i < 7; i++) {
                assertThat(log.append(i, page(i)).seq()).isEqualTo(i + 1);
            }
            log.append(3, null);
            // No sync: a process crash keeps what reached the page cache.
        }
        try (WriteLog log = WriteLog.open(dir, 100 * SEGMENT, SEGMENT)) {
            List<WriteLog.Entry> back = log.replayed();
            assertThat(back).hasSize(8);
            for (int i = 0; i < 7; i++) {
                assertThat(back.get(i).seq()).isEqualTo(i + 1);
                assertThat(back.get(i).page()).isEqualTo(i);
                byte[] read = new byte[PAGE];
                log.read(back.get(i), read, 0);
                assertThat(read).isEqualTo(page(i));
            }
            assertThat(back.get(7).trim()).as("a trim").isTrue();
            WriteLog.Entry next = log.append(9, page(9));
            assertThat(next.seq()).as("numbering goes on").isEqualTo(9);
            byte[] read = new byte[PAGE];
            log.read(next, read, 0);
            assertThat(read).isEqualTo(page(9));
        }
        assertThat(segments()).hasSizeGreaterThan(2);
    }

    @Test
    void aTornTailIsCutOffAndTheLogGoesOnFromThere() throws Exception {
        try (WriteLog log = WriteLog.open(dir, 100 * SEGMENT, SEGMENT)) {
            for (int i = 0; i < 5; i++) {
                log.append(i, page(i));
            }
        }
        Path last = segments().getLast();
        try (FileChannel channel = FileChannel.open(last, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 100);
        }
        try (WriteLog log = WriteLog.open(dir, 100 * SEGMENT, SEGMENT)) {
            assertThat(log.replayed()).extracting(WriteLog.Entry::seq).containsExactly(1L, 2L, 3L,
                    4L);
            log.append(20, page(20));
        }
        try (WriteLog log = WriteLog.open(dir, 100 * SEGMENT, SEGMENT)) {
            assertThat(log.replayed()).extracting(WriteLog.Entry::page)
                    .containsExactly(0L, 1L, 2L, 3L, 20L);
        }
    }

    @Test
    void aCorruptRecordEndsTheReplayAndWhatFollowsIsDropped() throws Exception {
        try (WriteLog log = WriteLog.open(dir, 100 * SEGMENT, SEGMENT)) {
            for (int i = 0; i < 8; i++) {
                log.append(i, page(i));
            }
        }
        Path first = segments().getFirst();
        try (FileChannel channel = FileChannel.open(first, StandardOpenOption.WRITE)) {
            // A byte inside the second record's page.
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {42}), PAGE + 25 + 25 + 100);
        }
        try (WriteLog log = WriteLog.open(dir, 100 * SEGMENT, SEGMENT)) {
            assertThat(log.replayed()).extracting(WriteLog.Entry::seq).containsExactly(1L);
        }
        assertThat(segments()).hasSize(1);
    }

    @Test
    void aFullLogHoldsAppendsBackUntilCommittedRecordsAreReleased() throws Exception {
        try (WriteLog log = WriteLog.open(dir, 2 * SEGMENT, SEGMENT)) {
            WriteLog.Entry first = log.append(0, page(0));
            for (int i = 1; i < 6; i++) {
                log.append(i, page(i));
            }
            CompletableFuture<Long> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return log.append(6, page(6)).seq();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                blocked.get(300, TimeUnit.MILLISECONDS);
                throw new AssertionError("an append went past the log's capacity");
            } catch (TimeoutException expected) {
                // held back, as it should be
            }
            log.release(3);
            assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo(7);
            assertThatThrownBy(() -> log.read(first, new byte[PAGE], 0))
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining("released");
            log.release(7);
            assertThat(log.usedBytes()).isZero();
        }
        assertThat(segments()).isEmpty();
        try (WriteLog log = WriteLog.open(dir, 2 * SEGMENT, SEGMENT)) {
            assertThat(log.replayed()).isEmpty();
        }
    }
}
