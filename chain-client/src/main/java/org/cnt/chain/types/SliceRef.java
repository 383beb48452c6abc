package org.cnt.chain.types;

/** One slice of the world disk: the unit of renting and of write permission. */
public record SliceRef(long chunkId, int index) implements Comparable<SliceRef> {

    @Override
    public int compareTo(SliceRef other) {
        int byChunk = Long.compare(chunkId, other.chunkId);
        return byChunk != 0 ? byChunk : Integer.compare(index, other.index);
    }
}
