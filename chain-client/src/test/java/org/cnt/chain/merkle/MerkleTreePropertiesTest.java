package org.cnt.chain.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.cnt.chain.crypto.Hash;
import org.junit.jupiter.api.Test;

class MerkleTreePropertiesTest {

    private static List<Hash> leaves(int count, int salt) {
        List<Hash> leaves = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            leaves.add(MerkleTree.leafHash(("leaf-" + salt + "-" + i).getBytes()));
        }
        return leaves;
    }

    @Property(tries = 200)
    void everyLeafHasAProofThatVerifies(@ForAll @IntRange(min = 1, max = 70) int count,
                                        @ForAll @IntRange(min = 0, max = 1000) int pick) {
        List<Hash> leaves = leaves(count, pick);
        Hash root = MerkleTree.root(leaves);
        int index = pick % count;
        MerkleProof proof = MerkleTree.proof(leaves, index);
        assertThat(proof.verify(root, leaves.get(index))).isTrue();
    }

    @Property(tries = 200)
    void aProofDoesNotVerifyAnotherLeafOrPosition(@ForAll @IntRange(min = 2, max = 70) int count,
                                                  @ForAll @IntRange(min = 0, max = 1000) int pick) {
        List<Hash> leaves = leaves(count, pick);
        Hash root = MerkleTree.root(leaves);
        int index = pick % count;
        int other = (index + 1) % count;
        MerkleProof proof = MerkleTree.proof(leaves, index);
        assertThat(proof.verify(root, leaves.get(other))).isFalse();
        MerkleProof moved = new MerkleProof(other, count, proof.siblings());
        assertThat(moved.verify(root, leaves.get(index))).isFalse();
    }

    @Property(tries = 100)
    void changingAnyLeafChangesTheRoot(@ForAll @IntRange(min = 1, max = 40) int count,
                                       @ForAll @IntRange(min = 0, max = 1000) int pick) {
        List<Hash> leaves = leaves(count, 0);
        Hash before = MerkleTree.root(leaves);
        leaves.set(pick % count, MerkleTree.leafHash("other".getBytes()));
        assertThat(MerkleTree.root(leaves)).isNotEqualTo(before);
    }

    @Test
    void matchesTheRfc6962EmptyAndSingleLeafRoots() {
        assertThat(MerkleTree.EMPTY_ROOT.hex())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        byte[] empty = new byte[0];
        assertThat(MerkleTree.rootOfData(List.of(empty)).hex())
                .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    }

    @Test
    void leavesAndNodesAreDomainSeparatedAsRfc6962Says() throws Exception {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        byte[] leafA = sha.digest(new byte[] {0x00, 0x00});
        byte[] leafB = sha.digest(new byte[] {0x00, 0x10});
        sha.update((byte) 0x01);
        sha.update(leafA);
        sha.update(leafB);
        byte[] expected = sha.digest();
        byte[] a = HexFormat.of().parseHex("00");
        byte[] b = HexFormat.of().parseHex("10");
        assertThat(MerkleTree.rootOfData(List.of(a, b)).toBytes()).isEqualTo(expected);
    }

    @Test
    void proofOfTheLastLeafOfAnUnbalancedTreeIsShort() {
        List<Hash> leaves = leaves(5, 1);
        MerkleProof proof = MerkleTree.proof(leaves, 4);
        assertThat(proof.siblings()).hasSize(1);
        assertThat(proof.verify(MerkleTree.root(leaves), leaves.get(4))).isTrue();
    }
}
