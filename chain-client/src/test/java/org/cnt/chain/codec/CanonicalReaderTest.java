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

    @Test
    void anExactlySizedEncodingIsHandedOutAndLaterWritesNeverChangeIt() {
        CanonicalWriter out = new CanonicalWriter(20).u32(7).u64(8).u64(9);
        byte[] first = out.toByteArray();
        byte[] copy = first.clone();
        out.u8(1);
        int start = out.beginLength();
        out.fixed(new byte[] {4, 5});
        byte[] second = out.endLength(start).toByteArray();
        assertThat(first).isEqualTo(copy);
        assertThat(second).startsWith(copy).endsWith(1, 0, 0, 0, 2, 4, 5);
    }

    @Test
    void aSubReaderSeesOnlyItsFieldAndTheOuterReaderMovesPastIt() throws CodecException {
        byte[] bytes = new CanonicalWriter().bytes(new byte[] {1, 2, 3}).u8(9).toByteArray();
        CanonicalReader in = CanonicalReader.of(bytes);
        CanonicalReader inner = in.sub(3, "inner");
        assertThat(inner.remaining()).isEqualTo(3);
        assertThat(inner.fixed(3, "inner bytes")).containsExactly(1, 2, 3);
        inner.finish("inner");
        assertThatThrownBy(() -> inner.u8("past the field")).hasMessageContaining("truncated");
        assertThat(in.u8("after")).isEqualTo(9);
        in.finish("outer");
        assertThatThrownBy(() -> CanonicalReader.of(bytes).sub(2, "inner"))
                .hasMessageContaining("inner too long");
    }
}
