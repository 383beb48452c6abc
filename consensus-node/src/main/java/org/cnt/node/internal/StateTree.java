package org.cnt.node.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.merkle.MerkleTree;

/**
 * The state root: a Merkle tree (RFC 6962 shape) over every state entry sorted by key, each leaf
 * the hash of its key and value. Leaf hashes are kept, so a block re-hashes only what it changed
 * plus the inner nodes. Rebuilding the inner nodes is linear in the entry count; that is the
 * known limit of this design (fine to millions of entries at one block per second).
 */
final class StateTree {
    private final TreeMap<byte[], Hash> leaves = new TreeMap<>(Arrays::compareUnsigned);
    private Hash cachedRoot;

    void put(byte[] key, byte[] value) {
        leaves.put(key, MerkleTree.leafHash(leafBytes(key, value)));
        cachedRoot = null;
    }

    void remove(byte[] key) {
        leaves.remove(key);
        cachedRoot = null;
    }

    int size() {
        return leaves.size();
    }

    Hash root() {
        if (cachedRoot == null) {
            cachedRoot = MerkleTree.root(new ArrayList<>(leaves.values()));
        }
        return cachedRoot;
    }

    /** Length-prefixes the key so that no key/value split can collide with another. */
    private static byte[] leafBytes(byte[] key, byte[] value) {
        byte[] out = new byte[2 + key.length + value.length];
        out[0] = (byte) (key.length >>> 8);
        out[1] = (byte) key.length;
        System.arraycopy(key, 0, out, 2, key.length);
        System.arraycopy(value, 0, out, 2 + key.length, value.length);
        return out;
    }

    List<byte[]> keys() {
        return List.copyOf(leaves.keySet());
    }
}
