package org.cnt.chain.merkle;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.cnt.chain.crypto.Hash;

/**
 * SHA-256 Merkle trees in the shape of RFC 6962 (Certificate Transparency): leaves are hashed as
 * {@code H(0x00 || data)} and nodes as {@code H(0x01 || left || right)}, so a leaf can never pose
 * as a node; a tree of n leaves splits at the largest power of two below n, so no leaf is
 * duplicated and the root commits to the leaf count.
 */
public final class MerkleTree {
    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;
    /** The root of an empty tree: SHA-256 of nothing, as RFC 6962 defines it. */
    public static final Hash EMPTY_ROOT = Hash.sha256();

    private MerkleTree() {
    }

    public static Hash leafHash(byte[] data) {
        return Hash.sha256(new byte[] {LEAF_PREFIX}, data);
    }

    public static Hash nodeHash(Hash left, Hash right) {
        MessageDigest digest = Hash.threadDigest();
        digest.update(NODE_PREFIX);
        left.updateDigest(digest);
        right.updateDigest(digest);
        return Hash.ofDigest(digest);
    }

    /** The root over leaves given already hashed with {@link #leafHash}. */
    public static Hash root(List<Hash> leafHashes) {
        if (leafHashes.isEmpty()) {
            return EMPTY_ROOT;
        }
        return subtreeRoot(leafHashes, 0, leafHashes.size());
    }

    public static Hash rootOfData(List<byte[]> leaves) {
        List<Hash> hashes = new ArrayList<>(leaves.size());
        for (byte[] leaf : leaves) {
            hashes.add(leafHash(leaf));
        }
        return root(hashes);
    }

    private static Hash subtreeRoot(List<Hash> leaves, int from, int to) {
        int count = to - from;
        if (count == 1) {
            return leaves.get(from);
        }
        int split = from + largestPowerOfTwoBelow(count);
        return nodeHash(subtreeRoot(leaves, from, split), subtreeRoot(leaves, split, to));
    }

    static int largestPowerOfTwoBelow(int count) {
        if (count < 2) {
            throw new IllegalArgumentException("need at least 2 leaves, got " + count);
        }
        return Integer.highestOneBit(count - 1);
    }

    /** The audit path of leaf {@code index}: the sibling hashes from the leaf up to the root. */
    public static MerkleProof proof(List<Hash> leafHashes, int index) {
        if (index < 0 || index >= leafHashes.size()) {
            throw new IllegalArgumentException("leaf index " + index + " outside a tree of "
                    + leafHashes.size());
        }
        List<Hash> path = new ArrayList<>();
        collectPath(leafHashes, index, 0, leafHashes.size(), path);
        return new MerkleProof(index, leafHashes.size(), List.copyOf(path.reversed()));
    }

    private static void collectPath(List<Hash> leaves, int index, int from, int to,
                                    List<Hash> path) {
        if (to - from == 1) {
            return;
        }
        int split = from + largestPowerOfTwoBelow(to - from);
        if (index < split) {
            path.add(subtreeRoot(leaves, split, to));
            collectPath(leaves, index, from, split, path);
        } else {
            path.add(subtreeRoot(leaves, from, split));
            collectPath(leaves, index, split, to, path);
        }
    }
}
