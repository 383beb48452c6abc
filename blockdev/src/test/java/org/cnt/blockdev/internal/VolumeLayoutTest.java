package org.cnt.blockdev.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class VolumeLayoutTest {

    @Test
    void everyPageAndSealHasItsOwnBytesInsideItsSlice() {
        for (int sliceBytes : new int[] {8 << 10, 64 << 10, 512 << 10, 1 << 20}) {
            VolumeLayout layout = new VolumeLayout(3, sliceBytes);
            BitSet[] used = {new BitSet(), new BitSet(), new BitSet()};
            for (long page = 0; page < layout.pageCount(); page++) {
                VolumeLayout.Place place = layout.place(page);
                claim(used[place.slice()], place.dataOffsetBytes(), VolumeLayout.PAGE_BYTES,
                        sliceBytes);
                claim(used[place.slice()], place.sealOffsetBytes(), PageSeal.SIZE_BYTES,
                        sliceBytes);
                assertThat(place.dataOffsetBytes() % VolumeLayout.PAGE_BYTES).isZero();
                assertThat(place.sealOffsetBytes() / VolumeLayout.PAGE_BYTES)
                        .as("a seal never straddles two pages")
                        .isEqualTo((place.sealOffsetBytes() + PageSeal.SIZE_BYTES - 1)
                                / VolumeLayout.PAGE_BYTES);
            }
            assertThat(layout.sealPagesPerSlice()).as("as few seal pages as fit the seals")
                    .isEqualTo((layout.dataPagesPerSlice() + VolumeLayout.SEALS_PER_PAGE - 1)
                            / VolumeLayout.SEALS_PER_PAGE);
        }
    }

    private static void claim(BitSet used, int from, int length, int sliceBytes) {
        assertThat(from).isNotNegative();
        assertThat(from + length).isLessThanOrEqualTo(sliceBytes);
        assertThat(used.get(from, from + length).isEmpty()).as("bytes %d+%d taken twice", from,
                length).isTrue();
        used.set(from, from + length);
    }

    @Test
    void aMebibyteSliceGivesUpThreePagesInTwoHundredFiftySixForSeals() {
        VolumeLayout layout = new VolumeLayout(64, 1 << 20);
        assertThat(layout.dataPagesPerSlice()).isEqualTo(253);
        assertThat(layout.sizeBytes()).isEqualTo(64L * 253 * 4096);
        assertThat(layout.place(253).slice()).isEqualTo(1);
        assertThat(layout.place(253).dataOffsetBytes()).isEqualTo(3 * 4096);
    }

    @Test
    void slicesTooSmallAndPagesOutsideTheDeviceAreRefused() {
        assertThatThrownBy(() -> new VolumeLayout(1, 4096))
                .hasMessageContaining("at least two");
        VolumeLayout layout = new VolumeLayout(1, 8192);
        assertThat(layout.pageCount()).isEqualTo(1);
        assertThatThrownBy(() -> layout.place(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> layout.place(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
