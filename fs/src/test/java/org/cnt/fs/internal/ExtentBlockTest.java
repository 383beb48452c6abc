package org.cnt.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.cnt.fs.CorruptFilesystemException;
import org.junit.jupiter.api.Test;

class ExtentBlockTest {

    @Property(tries = 200)
    void leavesAndIndexNodesRoundTripAtEveryBlockSize(
            @ForAll @IntRange(min = 9, max = 16) int blockShift,
            @ForAll @IntRange(min = 0, max = 4000) int count, @ForAll long seed)
            throws CorruptFilesystemException {
        byte[] block = new byte[1 << blockShift];
        int entries = Math.min(count, ExtentBlock.capacity(block.length));
        java.util.Random random = new java.util.Random(seed);
        List<Extent> extents = new ArrayList<>();
        List<ExtentBlock.Child> children = new ArrayList<>();
        long logical = 0;
        for (int i = 0; i < entries; i++) {
            int length = 1 + random.nextInt(1000);
            extents.add(new Extent(logical, length, 1 + random.nextInt(1 << 30)));
            children.add(new ExtentBlock.Child(logical, 1 + random.nextInt(1 << 30)));
            logical += length + random.nextInt(50);
        }
        ExtentBlock.writeLeaf(block, 42, extents);
        ExtentBlock.Node leaf = ExtentBlock.read(block, 7, 42);
        assertThat(leaf.depth()).isZero();
        assertThat(leaf.extents()).isEqualTo(extents);
        ExtentBlock.writeIndex(block, 2, 42, children);
        ExtentBlock.Node index = ExtentBlock.read(block, 7, 42);
        assertThat(index.depth()).isEqualTo(2);
        assertThat(index.children()).isEqualTo(children);
    }

    @Test
    void aFlippedBitAnotherFilesBlockAndDisorderAreCorruption() {
        byte[] block = new byte[512];
        ExtentBlock.writeLeaf(block, 42, List.of(new Extent(0, 4, 100), new Extent(10, 2, 50)));
        for (int bit = 0; bit < 512 * 8; bit++) {
            byte[] damaged = block.clone();
            damaged[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThatThrownBy(() -> ExtentBlock.read(damaged, 7, 42))
                    .isInstanceOf(CorruptFilesystemException.class);
        }
        assertThatThrownBy(() -> ExtentBlock.read(block, 7, 43))
                .hasMessageContaining("belongs to inode 42");
        ExtentBlock.writeLeaf(block, 42, List.of(new Extent(10, 4, 100), new Extent(0, 2, 50)));
        assertThatThrownBy(() -> ExtentBlock.read(block, 7, 42))
                .hasMessageContaining("out of order");
    }
}
