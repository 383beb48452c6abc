package org.cnt.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.cnt.fs.CorruptFilesystemException;
import org.junit.jupiter.api.Test;

class InodeTest {

    @Provide
    Arbitrary<Inode> inodes() {
        Arbitrary<List<Extent>> extents = Arbitraries.integers().between(0, Inode.INLINE_EXTENTS)
                .flatMap(n -> Arbitraries.longs().between(1, 1L << 40).list().ofSize(n)
                        .map(physicals -> {
                            List<Extent> list = new ArrayList<>();
                            long logical = 0;
                            for (long physical : physicals) {
                                list.add(new Extent(logical, 1 + (int) (physical % 4096),
                                        physical));
                                logical += 5000;
                            }
                            return list;
                        }));
        Arbitrary<byte[]> inline = Arbitraries.bytes().array(byte[].class)
                .ofMaxSize(Inode.INLINE_BYTES);
        return net.jqwik.api.Combinators.combine(Arbitraries.longs().between(1, 1 << 30),
                Arbitraries.integers(), Arbitraries.longs(), extents, inline,
                Arbitraries.integers().between(0, 3))
                .as((number, mode, time, list, data, depth) -> new Inode(number,
                        mode | Inode.S_IFREG, mode >>> 3, mode >>> 7, mode & 0xFF, Math.abs(time),
                        time, time + 1, time + 2, time + 3, mode, list.isEmpty() ? 1 : 0,
                        Math.abs(time) % 1000, depth, list, list.isEmpty() ? data : new byte[0]));
    }

    @Property(tries = 500)
    void everyInodeRoundTripsThroughItsRecord(@ForAll("inodes") Inode inode) throws Exception {
        ByteBuffer record = ByteBuffer.allocate(Layout.INODE_BYTES);
        inode.writeTo(record);
        assertThat(record.position()).isEqualTo(Layout.INODE_BYTES);
        assertThat(Inode.readFrom(record.flip(), inode.number())).isEqualTo(inode);
    }

    @Test
    void aFlippedBitAnywhereIsRefusedAndAZeroRecordIsAFreeInode() throws Exception {
        Inode inode = new Inode(7, Inode.S_IFDIR | 0755, 1000, 1000, 2, 4096, 1, 2, 3, 4, 9, 0,
                0, 0, List.of(new Extent(0, 1, 900)), new byte[0]);
        ByteBuffer record = ByteBuffer.allocate(Layout.INODE_BYTES);
        inode.writeTo(record);
        for (int bit = 0; bit < Layout.INODE_BYTES * 8; bit++) {
            ByteBuffer damaged = ByteBuffer.wrap(record.array().clone());
            damaged.put(bit / 8, (byte) (damaged.get(bit / 8) ^ (1 << (bit % 8))));
            assertThatThrownBy(() -> Inode.readFrom(damaged, 7))
                    .isInstanceOf(CorruptFilesystemException.class);
        }
        assertThat(Inode.readFrom(ByteBuffer.allocate(Layout.INODE_BYTES), 8)).isNull();
    }

    @Test
    void extentsAndInlineDataMustFit() {
        assertThatThrownBy(() -> new Extent(Extent.MAX_LOGICAL, 2, 5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Inode(1, Inode.S_IFLNK, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0,
                List.of(), new byte[Inode.INLINE_BYTES + 1]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
