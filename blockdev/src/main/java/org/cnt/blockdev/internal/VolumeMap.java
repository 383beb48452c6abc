package org.cnt.blockdev.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnt.chain.types.SliceRef;

/**
 * A volume's slices, in lease order, as ranges of their chunks; with the {@link VolumeLayout}
 * of pages and seals inside each slice.
 */
final class VolumeMap {
    private final long volumeId;
    private final List<SliceRef> slices;
    private final int sliceSizeBytes;
    private final VolumeLayout layout;
    /** Each chunk and the first of the volume's slices in it. */
    private final Map<Long, Integer> firstSliceOfChunk = new LinkedHashMap<>();

    VolumeMap(long volumeId, List<SliceRef> slices, int sliceSizeBytes) {
        if (slices.isEmpty()) {
            throw new IllegalArgumentException("volume " + volumeId + " holds no slice");
        }
        this.volumeId = volumeId;
        this.slices = List.copyOf(slices);
        this.sliceSizeBytes = sliceSizeBytes;
        this.layout = new VolumeLayout(slices.size(), sliceSizeBytes);
        for (int i = 0; i < slices.size(); i++) {
            firstSliceOfChunk.putIfAbsent(slices.get(i).chunkId(), i);
        }
    }

    long volumeId() {
        return volumeId;
    }

    VolumeLayout layout() {
        return layout;
    }

    int sliceCount() {
        return slices.size();
    }

    SliceRef slice(int volumeSlice) {
        return slices.get(volumeSlice);
    }

    long chunkOf(int volumeSlice) {
        return slices.get(volumeSlice).chunkId();
    }

    /** Where byte {@code offsetInSlice} of a volume slice is in its chunk. */
    long chunkOffset(int volumeSlice, int offsetInSlice) {
        return (long) slices.get(volumeSlice).index() * sliceSizeBytes + offsetInSlice;
    }

    /** The chunks the volume has slices in, each once. */
    List<Long> chunks() {
        return new ArrayList<>(firstSliceOfChunk.keySet());
    }

    /** One of the volume's slices in {@code chunkId}: the owner may read the chunk's metadata. */
    int firstSliceIn(long chunkId) {
        Integer slice = firstSliceOfChunk.get(chunkId);
        if (slice == null) {
            throw new IllegalArgumentException("volume " + volumeId + " has no slice in chunk "
                    + chunkId);
        }
        return slice;
    }
}
