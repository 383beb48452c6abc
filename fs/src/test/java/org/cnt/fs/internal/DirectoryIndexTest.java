package org.cnt.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.cnt.fs.CorruptFilesystemException;
import org.junit.jupiter.api.Test;

class DirectoryIndexTest {

    private static byte[] name(int n) {
        return ("f" + n + "-" + "y".repeat(n % 30)).getBytes(StandardCharsets.UTF_8);
    }

    /** Inserts and removes through the index, as a directory will, and rebuilds it from disk. */
    @Property(tries = 200)
    void theIndexAgreesWithTheBlocksAndWithARebuild(
            @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 499) Integer> steps)
            throws CorruptFilesystemException {
        List<byte[]> blocks = new ArrayList<>();
        DirectoryIndex index = DirectoryIndex.build(blocks, 100);
        Map<String, Long> model = new HashMap<>();
        for (int step : steps) {
            byte[] name = name(step % 120);
            String key = DirectoryIndex.key(name);
            DirectoryIndex.Slot slot = index.lookup(name);
            assertThat(slot == null).isEqualTo(!model.containsKey(key));
            if (slot != null) {
                byte[] block = blocks.get(slot.block());
                DirectoryBlock.remove(block, slot.offset());
                index.removed(name, block);
                model.remove(key);
                continue;
            }
            int b = index.blockWithRoom(DirectoryBlock.recordBytes(name.length));
            if (b < 0) {
                byte[] fresh = new byte[512];
                DirectoryBlock.init(fresh);
                blocks.add(fresh);
                index.grew(fresh);
                b = blocks.size() - 1;
            }
            int offset = DirectoryBlock.insert(blocks.get(b), name, step + 1, 1);
            assertThat(offset).as("the block the index chose has room").isNotNegative();
            index.added(name, new DirectoryIndex.Slot(b, offset, step + 1, 1), blocks.get(b));
            model.put(key, (long) step + 1);
        }
        DirectoryIndex rebuilt = DirectoryIndex.build(blocks, 100);
        assertThat(rebuilt.size()).isEqualTo(model.size());
        for (Map.Entry<String, Long> entry : model.entrySet()) {
            byte[] name = entry.getKey().getBytes(StandardCharsets.ISO_8859_1);
            assertThat(rebuilt.lookup(name).inode()).isEqualTo(entry.getValue());
            assertThat(rebuilt.lookup(name)).isEqualTo(index.lookup(name));
        }
    }

    @Test
    void aNameTwiceInADirectoryIsCorruption() throws Exception {
        byte[] block = new byte[512];
        DirectoryBlock.init(block);
        DirectoryBlock.insert(block, name(1), 5, 1);
        DirectoryBlock.insert(block, name(1), 6, 1);
        assertThatThrownBy(() -> DirectoryIndex.build(List.of(block), 9))
                .isInstanceOf(CorruptFilesystemException.class).hasMessageContaining("twice");
    }
}
