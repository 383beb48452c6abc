package org.cnt.chain.micro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnt.chain.micro.MicroCodecPropertiesTest.certify;
import static org.cnt.chain.micro.MicroCodecPropertiesTest.memberKeys;

import java.util.List;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.junit.jupiter.api.Test;

class QuorumCertTest {
    private static final MicroBlock BLOCK = MicroBlock.propose(KeyPair.fromLabel("m1"), 1,
            QuorumCert.genesis(9, 2), 1, 0, Hash.ZERO, List.of());

    @Test
    void aQuorumOfDistinctMembersCertifies() {
        assertThat(certify(BLOCK, 0, 1, 2).verify(memberKeys(), 3)).isTrue();
        assertThat(certify(BLOCK, 0, 1, 2, 3).verify(memberKeys(), 3)).isTrue();
    }

    @Test
    void fewerThanAQuorumDoesNot() {
        assertThat(certify(BLOCK, 0, 1).verify(memberKeys(), 3)).isFalse();
    }

    @Test
    void aSignatureUnderTheWrongMemberSlotFails() {
        QuorumCert good = certify(BLOCK, 0, 1, 2);
        QuorumCert shifted = new QuorumCert(good.chunkId(), good.epoch(), good.view(),
                good.height(), good.blockHash(), 0b1110, good.signatures());
        assertThat(shifted.verify(memberKeys(), 3)).isFalse();
    }

    @Test
    void signersBeyondTheGroupFail() {
        QuorumCert good = certify(BLOCK, 0, 1, 2);
        QuorumCert outside = new QuorumCert(good.chunkId(), good.epoch(), good.view(),
                good.height(), good.blockHash(), 0b10011, good.signatures());
        assertThat(outside.verify(memberKeys(), 3)).isFalse();
    }

    @Test
    void aCertificateOfOneBlockDoesNotCertifyAnother() {
        QuorumCert good = certify(BLOCK, 0, 1, 2);
        QuorumCert moved = new QuorumCert(good.chunkId(), good.epoch(), good.view() + 1,
                good.height(), good.blockHash(), good.signers(), good.signatures());
        assertThat(moved.verify(memberKeys(), 3)).isFalse();
    }

    @Test
    void theCacheAnswersLikeAFullCheckForAnyChangedByteOrGroup() {
        CertificateCache cache = new CertificateCache(8);
        QuorumCert good = certify(BLOCK, 0, 1, 2);
        assertThat(cache.verify(good, memberKeys(), 3)).isTrue();
        assertThat(cache.verify(certify(BLOCK, 0, 1, 2), memberKeys(), 3)).isTrue();
        byte[] bad = good.signatures().get(1).clone();
        bad[7] ^= 1;
        QuorumCert forged = new QuorumCert(good.chunkId(), good.epoch(), good.view(),
                good.height(), good.blockHash(), good.signers(),
                List.of(good.signatures().get(0), bad, good.signatures().get(2)));
        assertThat(cache.verify(forged, memberKeys(), 3)).isFalse();
        List<org.cnt.chain.crypto.PublicKey> otherGroup = List.of(
                KeyPair.fromLabel("x0").publicKey(), memberKeys().get(1), memberKeys().get(2),
                memberKeys().get(3));
        assertThat(cache.verify(good, otherGroup, 3)).isFalse();
        assertThat(cache.verify(good, memberKeys(), 4)).isFalse();
        assertThat(cache.verify(QuorumCert.genesis(9, 2), memberKeys(), 3)).isTrue();
    }

    @Test
    void genesisCertifiesOnlyTheImplicitGenesisBlock() {
        assertThat(QuorumCert.genesis(9, 2).verify(memberKeys(), 3)).isTrue();
        QuorumCert fake = new QuorumCert(9, 2, 0, 0, Hash.ZERO, 0, List.of());
        assertThat(fake.verify(memberKeys(), 3)).isFalse();
    }

    @Test
    void blocksExtendTheirCertificateOneHeightUp() {
        assertThat(BLOCK.extendsJustify()).isTrue();
        assertThat(BLOCK.height()).isEqualTo(1);
        assertThat(BLOCK.leaderSignatureValid(KeyPair.fromLabel("m1").publicKey())).isTrue();
        assertThat(BLOCK.leaderSignatureValid(KeyPair.fromLabel("m2").publicKey())).isFalse();
        assertThat(certify(BLOCK, 0, 1, 2).compareRank(QuorumCert.genesis(9, 2))).isPositive();
    }
}
