package org.cnt.chain.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CanonicalReaderTest {

    @Test
    void integersAreBigEndianAndRoundTrip() throws CodecException {
        byte[] bytes = new CanonicalWriter().u8(0xAB).u32(0x01020304).u64(-2L).toByteArray();
        assertThat(bytes).startsWith(0xAB - 256, 1, 2, 3, 4);
        CanonicalReader in = CanonicalReader.of(bytes);
        assertThat(in.u8("a")).isEqualTo(0xAB);
        assertThat(in.u32("b")).isEqualTo(0x01020304);
        assertThat(in.u64("c")).isEqualTo(-2L);
        in.finish("test");
    }

    @Test
    void lengthPrefixAboveTheCallersMaximumIsRefusedWithoutAllocating() {
        byte[] bytes = new CanonicalWriter().u32(Integer.MAX_VALUE).toByteArray();
        assertThatThrownBy(() -> CanonicalReader.of(bytes).bytes(100, "payload"))
                .isInstanceOf(CodecException.class).hasMessageContaining("payload too long");
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] bytes = new CanonicalWriter().bytes(new byte[] {(byte) 0xC3, 0x28}).toByteArray();
        assertThatThrownBy(() -> CanonicalReader.of(bytes).string(10, "name"))
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void negativeAmountsAreOutOfRange() {
        byte[] bytes = new CanonicalWriter().u64(-1L).toByteArray();
        assertThatThrownBy(() -> CanonicalReader.of(bytes).u64Max("amount", Long.MAX_VALUE))
                .hasMessageContaining("amount out of range");
    }

    @Test
    void booleansAreZeroOrOne() {
        assertThatThrownBy(() -> CanonicalReader.of(new byte[] {2}).bool("flag"))
                .hasMessageContaining("must be 0 or 1");
    }
}
