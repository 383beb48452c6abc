package org.cnt.farmer.microchain;

import org.cnt.chain.micro.ChunkMeta;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
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
 *
 * <p>Pages live in a {@link PageBase} (the replica's file); only pages written at heights the
 * base does not hold yet stay in memory, one version per height that wrote them, so each of the
 * newest {@link #READABLE_HEIGHTS} committed heights can still be read whole (a snapshot for a
 * peer far behind). The base is given a height's pages only once no snapshot older than that
 * height is needed ({@link #takeChangesThrough}) and drops them from memory when told it holds
 * them ({@link #flushed}). A state built without a base keeps its own in memory and moves it on
 * by itself.
 */
public final class ChunkState {
    /** The newest committed heights that stay readable as a whole (snapshots for peers). */
    public static final int READABLE_HEIGHTS = 4;
    /** What never-written pages read as. */
    private static final byte[] ZEROS = new byte[64 << 10];

    private final ChunkGeometry geometry;
    private final PageBase base;
    /** Non-null when this state writes its (in-memory) base itself. */
    private final MemoryPageBase ownBase;
    private final PageTree tree;
    /** Newest first; only for pages written above {@link #flushedHeight}. */
    private final Map<Integer, Version> versions = new HashMap<>();
    /** The pages each height above {@link #flushedHeight} wrote, oldest height first. */
    private final ArrayDeque<Changes> unflushed = new ArrayDeque<>();
    private ChunkMeta meta;
    private long height;
    /** The base holds, or is being given, every page as of this height: nothing older reads. */
    private long queuedHeight;
    /** The base holds every page as of this height. */
    private long flushedHeight;

    /**
     * A page's content as written at {@code height} (null: zeros): a page-sized buffer, often a
     * slice of the Wop batch that wrote it (not copied); never modified.
     */
    private record Version(long height, ByteBuffer content, Version older) {
    }

    private record Changes(long height, SortedMap<Integer, ByteBuffer> pages) {
    }

    /** An empty chunk with its pages in memory. */
    public ChunkState(ChunkGeometry geometry) {
        this(geometry, new MemoryPageBase(), true);
    }

    /** The chunk whose pages, as of height 0, are those of {@code base}. */
    public ChunkState(ChunkGeometry geometry, PageBase base) {
        this(geometry, base, false);
    }

    private ChunkState(ChunkGeometry geometry, PageBase base, boolean ownsBase) {
        this.geometry = geometry;
        this.base = base;
        this.ownBase = ownsBase ? (MemoryPageBase) base : null;
        this.tree = new PageTree(geometry.pageCount(), geometry.pageSizeBytes());
        this.meta = ChunkMeta.empty(geometry.sliceCount());
    }

    /**
     * Rebuilds a snapshot received from a peer, in memory; the caller checks {@link #root()}
     * against a QC.
     */
    public static ChunkState restore(ChunkGeometry geometry, long height, ChunkMeta meta,
                                     Map<Integer, byte[]> pages) {
        ChunkState state = new ChunkState(geometry);
        TreeMap<Integer, ByteBuffer> given = new TreeMap<>();
        pages.forEach((page, content) -> given.put(page, ByteBuffer.wrap(content)));
        given.forEach(state.ownBase::store); // stores copies
        state.tree.updatePages(given);
        state.start(height, meta);
        return state;
    }

    /**
     * The chunk at {@code height} over {@code base}. With {@code pages} null the base already
     * holds that height (a checkpoint): the tree is hashed from it. Otherwise the pages (absent
     * ones are zeros) replace the base's, held in memory until the caller has written them all
     * to the base and calls {@link #flushed} with {@code height}.
     */
    public static ChunkState restore(ChunkGeometry geometry, long height, ChunkMeta meta,
                                     Map<Integer, byte[]> pages, PageBase base) {
        ChunkState state = new ChunkState(geometry, base);
        if (pages == null) {
            state.hashBase();
            state.start(height, meta);
            return state;
        }
        TreeMap<Integer, ByteBuffer> all = new TreeMap<>();
        ByteBuffer zero = ByteBuffer.allocate(geometry.pageSizeBytes());
        for (int page = 0; page < geometry.pageCount(); page++) {
            byte[] content = pages.get(page);
            all.put(page, content == null ? null : ByteBuffer.wrap(content.clone()));
            state.versions.put(page, new Version(height, all.get(page), null));
        }
        TreeMap<Integer, ByteBuffer> hashed = new TreeMap<>(all);
        hashed.replaceAll((page, content) -> content == null ? zero : content);
        state.tree.updatePages(hashed);
        state.start(height, meta);
        state.flushedHeight = height - 1;
        state.unflushed.add(new Changes(height, all));
        return state;
    }

    private void start(long atHeight, ChunkMeta atMeta) {
        meta = atMeta;
        height = atHeight;
        queuedHeight = atHeight;
        flushedHeight = atHeight;
    }

    /** Hashes every page of the base, a run at a time (never the whole chunk in memory). */
    private void hashBase() {
        TreeMap<Integer, ByteBuffer> run = new TreeMap<>();
        for (int page = 0; page < geometry.pageCount(); page++) {
            byte[] content = base.read(page);
            if (content != null) {
                run.put(page, ByteBuffer.wrap(content));
            }
            if (run.size() == 256 || page == geometry.pageCount() - 1) {
                tree.updatePages(run);
                run.clear();
            }
        }
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
        TreeMap<Integer, ByteBuffer> changed = new TreeMap<>();
        TreeMap<Integer, Hash> leaves = new TreeMap<>();
        for (ChunkOp op : ops) {
            apply(op, changed, leaves);
        }
        for (Map.Entry<Integer, ByteBuffer> page : changed.entrySet()) {
            if (!leaves.containsKey(page.getKey())) {
                leaves.put(page.getKey(), PageTree.leafHash(page.getValue()));
            }
        }
        tree.updateLeaves(leaves);
        height = blockHeight;
        if (!changed.isEmpty()) {
            changed.forEach((page, content) -> versions.put(page,
                    new Version(blockHeight, content, versions.get(page))));
            unflushed.add(new Changes(blockHeight, changed));
        }
        if (ownBase != null) {
            long through = height - (READABLE_HEIGHTS - 1);
            for (Map.Entry<Long, SortedMap<Integer, ByteBuffer>> at
                    : takeChangesThrough(through)) {
                at.getValue().forEach(ownBase::store);
            }
            flushed(Math.max(through, flushedHeight));
        }
    }

    private void apply(ChunkOp op, TreeMap<Integer, ByteBuffer> changed,
                       TreeMap<Integer, Hash> leaves) {
        if (op instanceof ChunkOp.OpenSession open) {
            for (int slice : open.slices()) {
                if (meta.holdsOthers(slice, open.volumeId())) {
                    erase(slice, changed, leaves);
                }
            }
        }
        if (op instanceof ChunkOp.WopBatch batch) {
            List<Wop> wops = batch.wops();
            for (int i = 0; i < wops.size(); i++) {
                write(batch, i, changed, leaves);
            }
        }
        meta = meta.after(op);
    }

    /**
     * Zeroes a slice that changes hands: the earlier lease's pages are overwritten in the
     * replica, not just forgotten, and read as the never-written pages they now are.
     */
    private void erase(int slice, TreeMap<Integer, ByteBuffer> changed,
                       TreeMap<Integer, Hash> leaves) {
        int pageSize = geometry.pageSizeBytes();
        // One array for every page: page contents are never modified once recorded.
        byte[] zero = new byte[pageSize];
        Hash zeroLeaf = PageTree.leafHash(zero);
        int first = (int) ((long) slice * geometry.sliceSizeBytes() / pageSize);
        for (int page = first; page < first + geometry.sliceSizeBytes() / pageSize; page++) {
            changed.put(page, ByteBuffer.wrap(zero));
            leaves.put(page, zeroLeaf);
        }
    }

    /** Whether a batch's digest pieces are this chunk's pages (so their hashes are leaves). */
    private boolean piecesArePages() {
        return geometry.pageSizeBytes() == ChunkOp.WopBatch.PIECE_BYTES
                && geometry.sliceSizeBytes() % ChunkOp.WopBatch.PIECE_BYTES == 0;
    }

    /**
     * Records new page contents: a whole page is the Wop's own bytes, never copied (a batch's
     * bytes are never modified); a part of one is merged into a copy of the page.
     */
    private void write(ChunkOp.WopBatch batch, int index, TreeMap<Integer, ByteBuffer> changed,
                       TreeMap<Integer, Hash> leaves) {
        Wop wop = batch.wops().get(index);
        long offset = (long) wop.sliceIndex() * geometry.sliceSizeBytes() + wop.offsetBytes();
        byte[] data = wop.dataArray();
        int from = wop.dataOffset();
        int count = wop.dataLength();
        boolean leafKnown = piecesArePages();
        int pageSize = geometry.pageSizeBytes();
        int done = 0;
        while (done < count) {
            long at = offset + done;
            int page = (int) (at / pageSize);
            int within = (int) (at % pageSize);
            int length = Math.min(pageSize - within, count - done);
            ByteBuffer content;
            if (length == pageSize) {
                content = ByteBuffer.wrap(data, from + done, pageSize).slice();
                if (leafKnown) {
                    leaves.put(page, batch.pieceHash(index, (done + wop.offsetBytes()
                            % ChunkOp.WopBatch.PIECE_BYTES) / ChunkOp.WopBatch.PIECE_BYTES));
                } else {
                    leaves.remove(page);
                }
            } else {
                leaves.remove(page);
                byte[] merged = new byte[pageSize];
                ByteBuffer before = changed.containsKey(page) ? changed.get(page)
                        : storedPage(page, height);
                if (before != null) {
                    before.get(0, merged);
                }
                System.arraycopy(data, from + done, merged, within, length);
                content = ByteBuffer.wrap(merged);
            }
            changed.put(page, content);
            done += length;
        }
    }

    /** A copy of one page at the committed height. */
    public byte[] page(int index) {
        byte[] copy = new byte[geometry.pageSizeBytes()];
        ByteBuffer content = storedPage(index, height);
        if (content != null) {
            content.get(0, copy);
        }
        return copy;
    }

    private static byte[] copyOrNull(ByteBuffer content) {
        if (content == null) {
            return null;
        }
        byte[] copy = new byte[content.remaining()];
        content.get(0, copy);
        return copy;
    }

    /**
     * A page as of one of the readable heights, shared (read it with absolute gets only), or
     * null for zeros.
     */
    private ByteBuffer storedPage(int index, long atHeight) {
        if (atHeight < queuedHeight || atHeight > height) {
            throw new IllegalStateException("height " + atHeight + " of chunk state at " + height
                    + " is no longer readable (its base is at " + queuedHeight + ")");
        }
        for (Version v = versions.get(index); v != null; v = v.older()) {
            if (v.height() <= atHeight) {
                return v.content();
            }
        }
        byte[] stored = base.read(index);
        return stored == null ? null : ByteBuffer.wrap(stored);
    }

    public List<Hash> proof(int page) {
        return tree.proof(page);
    }

    /** Bytes at any offset and length inside the chunk. */
    public byte[] read(long offset, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("read " + length + " at " + offset + " outside a "
                    + geometry.chunkSizeBytes() + "-byte chunk");
        }
        byte[] out = new byte[length];
        readAt(height, offset, ByteBuffer.wrap(out));
        return out;
    }

    /** Bytes as of {@code atHeight}, a {@link #readable} height, into {@code into}'s remaining. */
    public void readAt(long atHeight, long offset, java.nio.ByteBuffer into) {
        int length = into.remaining();
        if (offset < 0 || offset + length > geometry.chunkSizeBytes()) {
            throw new IllegalArgumentException("read " + length + " at " + offset + " outside a "
                    + geometry.chunkSizeBytes() + "-byte chunk");
        }
        int pageSize = geometry.pageSizeBytes();
        int done = 0;
        while (done < length) {
            long at = offset + done;
            int within = (int) (at % pageSize);
            int take = Math.min(pageSize - within, length - done);
            ByteBuffer content = storedPage((int) (at / pageSize), atHeight);
            if (content != null) {
                into.put(into.position(), content, within, take);
            } else {
                for (int zero = 0; zero < take; zero += ZEROS.length) {
                    into.put(into.position() + zero, ZEROS, 0, Math.min(ZEROS.length,
                            take - zero));
                }
            }
            into.position(into.position() + take);
            done += take;
        }
    }

    /** Whether the pages as of {@code atHeight} can still be read whole. */
    public boolean readable(long atHeight) {
        return atHeight >= queuedHeight && atHeight <= height;
    }

    /**
     * The pages as of {@code atHeight} (a readable height), read when asked: a page map that
     * stays consistent while later blocks apply, as long as the height stays readable. Callers
     * must not modify the arrays.
     */
    Map<Integer, byte[]> pagesAt(long atHeight) {
        if (!readable(atHeight)) {
            throw new IllegalStateException("height " + atHeight + " is not readable");
        }
        return new PageArrayMap(geometry.pageCount(),
                page -> copyOrNull(storedPage(page, atHeight)));
    }

    /** The pages written at the committed height (absent: never written or zeros), copies. */
    public Map<Integer, byte[]> writtenPages() {
        Map<Integer, byte[]> copy = new HashMap<>();
        for (int index = 0; index < geometry.pageCount(); index++) {
            byte[] content = copyOrNull(storedPage(index, height));
            if (content != null) {
                copy.put(index, content);
            }
        }
        return copy;
    }

    /**
     * The pages each height up to {@code through} wrote that the base has not been given yet,
     * oldest height first, for the caller to write to the base in that order; heights below
     * {@code through} stop being readable. Null content is a page of zeros; read the buffers with
     * absolute gets or duplicates (they are shared).
     */
    public List<Map.Entry<Long, SortedMap<Integer, ByteBuffer>>> takeChangesThrough(
            long through) {
        long upTo = Math.min(through, height);
        List<Map.Entry<Long, SortedMap<Integer, ByteBuffer>>> out = new java.util.ArrayList<>();
        if (upTo <= queuedHeight) {
            return out;
        }
        for (Changes changes : unflushed) {
            if (changes.height() > upTo) {
                break;
            }
            if (changes.height() > queuedHeight) {
                out.add(Map.entry(changes.height(), changes.pages()));
            }
        }
        queuedHeight = upTo;
        return out;
    }

    /** The newest height whose pages all are in the base (the replica file), not in memory. */
    public long flushedHeight() {
        return flushedHeight;
    }

    /** The base now holds every page as of {@code through}: their copies leave memory. */
    public void flushed(long through) {
        long upTo = Math.min(through, queuedHeight);
        while (!unflushed.isEmpty() && unflushed.peekFirst().height() <= upTo) {
            Changes changes = unflushed.pollFirst();
            for (Integer page : changes.pages().keySet()) {
                Version kept = withoutThrough(versions.get(page), upTo);
                if (kept == null) {
                    versions.remove(page);
                } else {
                    versions.put(page, kept);
                }
            }
        }
        flushedHeight = Math.max(flushedHeight, upTo);
    }

    /** The versions above {@code upTo} (the chain is newest first). */
    private static Version withoutThrough(Version chain, long upTo) {
        if (chain == null || chain.height() <= upTo) {
            return null;
        }
        return new Version(chain.height(), chain.content(), withoutThrough(chain.older(), upTo));
    }

    /** Pages held in memory because the base does not hold their height yet. */
    public int pagesInMemory() {
        int count = 0;
        for (Changes changes : unflushed) {
            count += changes.pages().size();
        }
        return count;
    }
}
