package org.cnt.blockdev.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PagedDeviceTest {
    private static final int PAGES = 12;
    private static final int SIZE = PAGES * PageStore.PAGE_BYTES;

    /** One operation at any alignment: 0 write, 1 read, 2 trim. */
    record Op(int kind, int offset, int length, long seed) {
    }

    @Provide
    Arbitrary<Op> ops() {
        Arbitrary<Integer> offsets = Arbitraries.oneOf(Arbitraries.integers().between(0, SIZE),
                Arbitraries.integers().between(0, PAGES).map(p -> p * PageStore.PAGE_BYTES));
        Arbitrary<Integer> lengths = Arbitraries.oneOf(Arbitraries.integers().between(0, 3 * 4096),
                Arbitraries.of(1, 4095, 4096, 4097, 8192));
        return Combinators.combine(Arbitraries.integers().between(0, 2), offsets, lengths,
                Arbitraries.longs()).as((kind, offset, length, seed) ->
                new Op(kind, offset, Math.min(length, SIZE - offset), seed));
    }

    @Property(tries = 300)
    void readsAlwaysReturnTheLastBytesWrittenAtAnyAlignment(
            @ForAll @Size(max = 40) List<@net.jqwik.api.From("ops") Op> ops) throws Exception {
        MemoryPageStore store = new MemoryPageStore(PAGES);
        PagedDevice device = new PagedDevice(store);
        byte[] model = new byte[SIZE];
        for (Op op : ops) {
            switch (op.kind()) {
                case 0 -> {
                    byte[] data = new byte[op.length()];
                    new java.util.Random(op.seed()).nextBytes(data);
                    device.write(op.offset(), ByteBuffer.wrap(data));
                    System.arraycopy(data, 0, model, op.offset(), data.length);
                }
                case 1 -> {
                    ByteBuffer read = ByteBuffer.allocate(op.length());
                    device.read(op.offset(), read);
                    assertThat(read.array()).isEqualTo(Arrays.copyOfRange(model, op.offset(),
                            op.offset() + op.length()));
                }
                default -> {
                    device.trim(op.offset(), op.length());
                    Arrays.fill(model, op.offset(), op.offset() + op.length(), (byte) 0);
                }
            }
        }
        ByteBuffer all = ByteBuffer.allocate(SIZE);
        device.read(0, all);
        assertThat(all.array()).isEqualTo(model);
    }

    @Test
    void aWholePageWriteReadsNothingFirstAndAWholePageTrimFreesThePage() throws Exception {
        MemoryPageStore store = new MemoryPageStore(PAGES);
        PagedDevice device = new PagedDevice(store);
        device.write(4096, ByteBuffer.wrap(new byte[8192]));
        assertThat(store.reads).isZero();
        assertThat(store.storedPages()).isEqualTo(2);
        device.trim(4096, 8192);
        assertThat(store.storedPages()).isZero();
    }

    @Test
    void rangesOutsideTheDeviceAreRefusedWithTheirSize() {
        PagedDevice device = new PagedDevice(new MemoryPageStore(PAGES));
        assertThat(device.sizeBytes()).isEqualTo(SIZE);
        assertThatThrownBy(() -> device.write(SIZE - 1, ByteBuffer.allocate(2)))
                .hasMessageContaining("do not fit the " + SIZE + "-byte device");
        assertThatThrownBy(() -> device.read(-1, ByteBuffer.allocate(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> device.trim(0, SIZE + 1L))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
