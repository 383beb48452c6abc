package org.cnt.chain.merkle;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cnt.chain.crypto.Hash;

/**
 * The Merkle tree over a chunk's pages: a perfect binary tree of depth {@code ceil(log2(pages))},
 * leaves {@code H(0x00 || page)} and nodes {@code H(0x01 || left || right)} as in RFC 6962, leaves
 * past the last page fixed to the hash of an all-zero page. Kept in an array so a write re-hashes
 * only its path: O(log n) per dirty page, never the whole chunk. Not thread-safe.
 */
public final class PageTree {
    private final int pageSizeBytes;
    private final int pageCount;
    private final int depth;
    /** Heap layout: node i has children 2i and 2i+1; leaves start at 1 << depth. */
    private final Hash[] nodes;

    public PageTree(int pageCount, int pageSizeBytes) {
        if (pageCount < 1 || pageSizeBytes < 1) {
            throw new IllegalArgumentException("page tree needs pages and a page size: "
                    + pageCount + ", " + pageSizeBytes);
        }
        this.pageSizeBytes = pageSizeBytes;
        this.pageCount = pageCount;
        this.depth = 32 - Integer.numberOfLeadingZeros(pageCount - 1);
        this.nodes = new Hash[2 << depth];
        Hash zeroLeaf = leafHash(new byte[pageSizeBytes]);
        Arrays.fill(nodes, 1 << depth, 2 << depth, zeroLeaf);
        for (int i = (1 << depth) - 1; i >= 1; i--) {
            nodes[i] = MerkleTree.nodeHash(nodes[2 * i], nodes[2 * i + 1]);
        }
    }

    public static Hash leafHash(byte[] page) {
        MessageDigest digest = Hash.threadDigest();
        digest.update((byte) 0x00);
        digest.update(page);
        return Hash.ofDigest(digest);
    }

    /** The leaf hash of {@code length} bytes of {@code data} from {@code offset}. */
    public static Hash leafHash(byte[] data, int offset, int length) {
        MessageDigest digest = Hash.threadDigest();
        digest.update((byte) 0x00);
        digest.update(data, offset, length);
        return Hash.ofDigest(digest);
    }

    /** The leaf hash of the page in {@code page}'s remaining bytes (its position is kept). */
    public static Hash leafHash(ByteBuffer page) {
        MessageDigest digest = Hash.threadDigest();
        digest.update((byte) 0x00);
        digest.update(page.duplicate());
        return Hash.ofDigest(digest);
    }

    public int depth() {
        return depth;
    }

    public int pageCount() {
        return pageCount;
    }

    public Hash root() {
        return nodes[1];
    }

    /** Records the new content of a page and re-hashes its path to the root. */
    public void update(int page, byte[] content) {
        if (page < 0 || page >= pageCount || content.length != pageSizeBytes) {
            throw new IllegalArgumentException("page " + page + " of " + pageCount + ", "
                    + content.length + " bytes (page size " + pageSizeBytes + ")");
        }
        int node = (1 << depth) + page;
        nodes[node] = leafHash(content);
        for (node >>= 1; node >= 1; node >>= 1) {
            nodes[node] = MerkleTree.nodeHash(nodes[2 * node], nodes[2 * node + 1]);
        }
    }

    /**
     * Records the new content of many pages and re-hashes each inner node above them once: a
     * block of 256 adjacent pages costs about 512 hashes, not 256 paths of {@link #depth} each.
     */
    public void update(java.util.SortedMap<Integer, byte[]> changed) {
        java.util.TreeMap<Integer, ByteBuffer> wrapped = new java.util.TreeMap<>();
        changed.forEach((page, content) -> wrapped.put(page, ByteBuffer.wrap(content)));
        updatePages(wrapped);
    }

    /**
     * As {@link #update(java.util.SortedMap)}, each page the remaining bytes of its buffer (a
     * page inside a larger array is hashed where it lies, not copied first).
     */
    public void updatePages(java.util.SortedMap<Integer, ByteBuffer> changed) {
        java.util.TreeMap<Integer, Hash> leaves = new java.util.TreeMap<>();
        for (var entry : changed.entrySet()) {
            if (entry.getValue().remaining() != pageSizeBytes) {
                throw new IllegalArgumentException("page " + entry.getKey() + " of " + pageCount
                        + ", " + entry.getValue().remaining() + " bytes (page size "
                        + pageSizeBytes + ")");
            }
            leaves.put(entry.getKey(), leafHash(entry.getValue()));
        }
        updateLeaves(leaves);
    }

    /** Sets the leaf hashes of pages (hashed by the caller) and re-hashes the nodes above. */
    public void updateLeaves(java.util.SortedMap<Integer, Hash> changed) {
        if (changed.isEmpty()) {
            return;
        }
        int[] level = new int[changed.size()];
        int count = 0;
        for (var entry : changed.entrySet()) {
            int page = entry.getKey();
            if (page < 0 || page >= pageCount) {
                throw new IllegalArgumentException("page " + page + " of " + pageCount);
            }
            level[count] = (1 << depth) + page;
            nodes[level[count]] = entry.getValue();
            count++;
        }
        // Indexes stay sorted going up, so equal parents are adjacent.
        while (level[0] > 1) {
            int parents = 0;
            for (int i = 0; i < count; i++) {
                int parent = level[i] >> 1;
                if (parents == 0 || level[parents - 1] != parent) {
                    level[parents++] = parent;
                }
            }
            count = parents;
            for (int i = 0; i < count; i++) {
                int node = level[i];
                nodes[node] = MerkleTree.nodeHash(nodes[2 * node], nodes[2 * node + 1]);
            }
        }
    }

    /** The sibling hashes from the page's leaf up to the root. */
    public List<Hash> proof(int page) {
        if (page < 0 || page >= pageCount) {
            throw new IllegalArgumentException("page " + page + " of " + pageCount);
        }
        List<Hash> siblings = new ArrayList<>(depth);
        for (int node = (1 << depth) + page; node > 1; node >>= 1) {
            siblings.add(nodes[node ^ 1]);
        }
        return siblings;
    }

    /** True when {@code page} is the content at {@code index} under {@code root}; never throws. */
    public static boolean verify(Hash root, int index, byte[] page, List<Hash> siblings) {
        if (index < 0 || siblings.size() > 31 || index >= (1 << siblings.size())) {
            return false;
        }
        Hash node = leafHash(page);
        int position = index;
        for (Hash sibling : siblings) {
            node = (position & 1) == 0 ? MerkleTree.nodeHash(node, sibling)
                    : MerkleTree.nodeHash(sibling, node);
            position >>= 1;
        }
        return node.equals(root);
    }
}
