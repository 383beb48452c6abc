package org.cnt.farmer.microchain;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.merkle.PageTree;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.ChunkRoot;
import org.cnt.chain.micro.Wop;

/**
 * A replica's committed chunk: pages (absent pages read as zeros), the page Merkle tree and the
 * metadata, at a committed height. Only committed, validated operations are applied, in order, so
 * every honest replica holds the same bytes and the same root. Not thread-safe.
 */
public final class ChunkState {
    private final ChunkGeometry geometry;
    /** By page index; null reads as zeros. A stored array is never modified (see sharedPages). */
    private final byte[][] pages;
    private final PageTree tree;
    private ChunkMeta meta;
    private long height;

    public ChunkState(ChunkGeometry geometry) {
        this.geometry = geometry;
        this.tree = new PageTree(geometry.pageCount(), geometry.pageSizeBytes());
        this.pages = new byte[geometry.pageCount()][];
        this.meta = ChunkMeta.empty(geometry.sliceCount());
    }

    /** Rebuilds a snapshot received from a peer; the caller checks {@link #root()} against a QC. */
    public static ChunkState restore(ChunkGeometry geometry, long height, ChunkMeta meta,
                                     Map<Integer, byte[]> pages) {
        ChunkState state = new ChunkState(geometry);
        TreeMap<Integer, byte[]> copies = new TreeMap<>();
        for (Map.Entry<Integer, byte[]> page : pages.entrySet()) {
            copies.put(page.getKey(), page.getValue().clone());
        }
        copies.forEach((index, content) -> state.pages[index] = content);
        state.tree.update(copies);
        state.meta = meta;
        state.height = height;
        return state;
    }

    public ChunkGeometry geometry() {
        return geometry;
    }

    public long height() {
        return height;
    }

    public ChunkMeta meta() {
        return meta;
    }

    /** The state root a micro-block certifies: pages and metadata together. */
    public Hash root() {
        return root(tree.root(), meta);
    }

    public static Hash root(Hash pagesRoot, ChunkMeta meta) {
        return ChunkRoot.of(pagesRoot, meta.hash());
    }

    public Hash pagesRoot() {
        return tree.root();
    }

    /** Applies one committed block's operations and moves to its height. */
    public void applyBlock(long blockHeight, List<ChunkOp> ops) {
        if (blockHeight != height + 1) {
            throw new IllegalStateException("apply block " + blockHeight + " on height " + height);
        }
        // The tree is re-hashed once per block, over every page the block changed.
        TreeMap<Integer, byte[]> changed = new TreeMap<>();
        for (ChunkOp op : ops) {
            apply(op, changed);
        }
        tree.update(changed);
        height = blockHeight;
    }

    private void apply(ChunkOp op, TreeMap<Integer, byte[]> changed) {
        if (op instanceof ChunkOp.WopBatch batch) {
            for (Wop wop : batch.wops()) {
                write((long) wop.sliceIndex() * geometry.sliceSizeBytes() + wop.offsetBytes(),
                        wop.dataArray(), wop.dataOffset(), wop.dataLength(), changed);
            }
        }
        meta = meta.after(op);
    }

    /** Stores new page arrays (a stored array is never modified: snapshots share them). */
    private void write(long offset, byte[] data, int from, int count,
                       TreeMap<Integer, byte[]> changed) {
        int pageSize = geometry.pageSizeBytes();
        int done = 0;
        while (done < count) {
            long at = offset + done;
            int page = (int) (at / pageSize);
            int within = (int) (at % pageSize);
            int length = Math.min(pageSize - within, count - done);
            byte[] content;
            if (length == pageSize) {
                content = Arrays.copyOfRange(data, from + done, from + done + pageSize);
            } else {
                content = page(page);
                System.arraycopy(data, from + done, content, within, length);
            }
            pages[page] = content;
            changed.put(page, content);
            done += length;
        }
    }

    /** A copy of one page. */
    public byte[] page(int index) {
        byte[] content = pages[index];
        return content == null ? new byte[geometry.pageSizeBytes()] : content.clone();
    }

    public List<Hash> proof(int page) {
        return tree.proof(page);
    }

    /** Bytes at any offset and length inside the chunk. */
    public byte[] read(long offset, int length) {
        if (offset < 0 || length < 0 || offset + length > geometry.chunkSizeBytes()) {
            throw new IllegalArgumentException("read " + length + " at " + offset + " outside a "
                    + geometry.chunkSizeBytes() + "-byte chunk");
        }
        byte[] out = new byte[length];
        int pageSize = geometry.pageSizeBytes();
        int done = 0;
        while (done < length) {
            long at = offset + done;
            int within = (int) (at % pageSize);
            int take = Math.min(pageSize - within, length - done);
            byte[] content = pages[(int) (at / pageSize)];
            if (content != null) {
                System.arraycopy(content, within, out, done, take);
            }
            done += take;
        }
        return out;
    }

    /**
     * The written pages without copying them: a stored page array is never changed after it is
     * stored (a write stores a new array), so this map is a consistent snapshot. Callers must not
     * modify the arrays.
     */
    Map<Integer, byte[]> sharedPages() {
        // A copy of the references only: kept for every recent committed height, so its cost
        // must not grow with the bytes written.
        return new PageArrayMap(pages.clone());
    }

    /** The pages that differ from zeros, for snapshots (copies). */
    public Map<Integer, byte[]> writtenPages() {
        Map<Integer, byte[]> copy = new HashMap<>();
        for (int index = 0; index < pages.length; index++) {
            if (pages[index] != null) {
                copy.put(index, pages[index].clone());
            }
        }
        return copy;
    }
}
