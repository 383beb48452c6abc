package org.cnt.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.cnt.fs.CorruptFilesystemException;
import org.junit.jupiter.api.Test;

class DirectoryBlockTest {

    private static byte[] name(int n) {
        return ("entry-" + n + "-" + "x".repeat(n % 40)).getBytes(StandardCharsets.UTF_8);
    }

    @Property(tries = 300)
    void entriesMatchAModelAndNeverMove(
            @ForAll @IntRange(min = 9, max = 12) int blockShift,
            @ForAll @Size(max = 150) List<@IntRange(min = 0, max = 199) Integer> steps)
            throws CorruptFilesystemException {
        byte[] block = new byte[1 << blockShift];
        DirectoryBlock.init(block);
        Map<String, Integer> offsets = new HashMap<>();
        Map<String, Long> inodes = new HashMap<>();
        for (int step : steps) {
            String key = new String(name(step % 60), StandardCharsets.UTF_8);
            if (offsets.containsKey(key)) {
                DirectoryBlock.remove(block, offsets.remove(key));
                inodes.remove(key);
            } else {
                int offset = DirectoryBlock.insert(block, name(step % 60), step + 1, step % 8);
                if (offset < 0) {
                    int needed = DirectoryBlock.recordBytes(name(step % 60).length);
                    assertThat(DirectoryBlock.largestGap(block)).as("refused only when no gap fits")
                            .isLessThan(needed);
                    continue;
                }
                offsets.put(key, offset);
                inodes.put(key, (long) step + 1);
            }
            Map<String, Integer> seenOffsets = new HashMap<>();
            Map<String, Long> seenInodes = new HashMap<>();
            for (DirectoryBlock.Entry entry : DirectoryBlock.entries(block, 7)) {
                String name = new String(entry.name(), StandardCharsets.UTF_8);
                seenOffsets.put(name, entry.offset());
                seenInodes.put(name, entry.inode());
            }
            assertThat(seenOffsets).as("every entry where it was written").isEqualTo(offsets);
            assertThat(seenInodes).isEqualTo(inodes);
        }
    }

    @Test
    void aMalformedBlockIsNamedAsCorruption() {
        byte[] block = new byte[512];
        DirectoryBlock.init(block);
        java.nio.ByteBuffer.wrap(block).putShort(8, (short) 520);
        assertThatThrownBy(() -> DirectoryBlock.entries(block, 42))
                .isInstanceOf(CorruptFilesystemException.class)
                .hasMessageContaining("directory block 42");
        assertThatThrownBy(() -> DirectoryBlock.insert(new byte[512], new byte[256], 3, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
