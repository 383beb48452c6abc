package org.cnt.chain.merkle;

import java.util.List;
import org.cnt.chain.crypto.Hash;

/**
 * The audit path of one leaf in a tree of {@code treeSize} leaves, siblings ordered from the
 * leaf upward. Verification recomputes the root the way RFC 6962 section 2.1.1 describes.
 */
public record MerkleProof(int leafIndex, int treeSize, List<Hash> siblings) {

    public MerkleProof {
        siblings = List.copyOf(siblings);
    }

    /** True when the leaf hash at this proof's index leads to {@code root}; never throws. */
    public boolean verify(Hash root, Hash leafHash) {
        if (leafIndex < 0 || leafIndex >= treeSize) {
            return false;
        }
        return root.equals(rebuild(leafHash, leafIndex, 0, treeSize, siblings.size() - 1));
    }

    /** Walks down to the leaf consuming siblings from the top of the path; null when too short. */
    private Hash rebuild(Hash leafHash, int index, int from, int to, int siblingAt) {
        if (to - from == 1) {
            return siblingAt == -1 ? leafHash : null;
        }
        if (siblingAt < 0) {
            return null;
        }
        int split = from + MerkleTree.largestPowerOfTwoBelow(to - from);
        Hash sibling = siblings.get(siblingAt);
        if (index < split) {
            Hash left = rebuild(leafHash, index, from, split, siblingAt - 1);
            return left == null ? null : MerkleTree.nodeHash(left, sibling);
        }
        Hash right = rebuild(leafHash, index, split, to, siblingAt - 1);
        return right == null ? null : MerkleTree.nodeHash(sibling, right);
    }
}
