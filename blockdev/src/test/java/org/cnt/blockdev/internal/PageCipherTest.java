package org.cnt.blockdev.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Random;
import org.cnt.blockdev.PageIntegrityException;
import org.cnt.blockdev.VolumeKey;
import org.cnt.chain.crypto.KeyPair;
import org.junit.jupiter.api.Test;

class PageCipherTest {
    private static final KeyPair OWNER = KeyPair.fromLabel("page-cipher-owner");
    private final PageCipher cipher = new PageCipher(VolumeKey.derive(OWNER, 7),
            new SecureRandom());
    private final byte[] plaintext = page(1);
    private final byte[] ciphertext = new byte[PageCipher.PAGE_BYTES];

    private static byte[] page(long seed) {
        byte[] bytes = new byte[PageCipher.PAGE_BYTES];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private byte[] open(PageCipher with, long pageNumber, PageSeal seal, byte[] sealedPage)
            throws PageIntegrityException {
        byte[] out = new byte[PageCipher.PAGE_BYTES];
        with.open(pageNumber, seal, sealedPage, out);
        return out;
    }

    @Test
    void aSealedPageOpensToItsPlaintextAndHidesIt() throws Exception {
        PageSeal seal = cipher.seal(42, 3, plaintext, ciphertext);
        assertThat(ciphertext).isNotEqualTo(plaintext);
        assertThat(open(cipher, 42, seal, ciphertext)).isEqualTo(plaintext);
        byte[] again = new byte[PageCipher.PAGE_BYTES];
        PageSeal second = cipher.seal(42, 3, plaintext, again);
        assertThat(second.nonce()).as("a fresh nonce each time").isNotEqualTo(seal.nonce());
        assertThat(again).isNotEqualTo(ciphertext);
    }

    @Test
    void theOwnersKeyOpensTheVolumeOnAnotherMachine() throws Exception {
        PageSeal seal = cipher.seal(5, 1, plaintext, ciphertext);
        PageCipher elsewhere = new PageCipher(VolumeKey.derive(KeyPair.fromLabel(
                "page-cipher-owner"), 7), new SecureRandom());
        assertThat(open(elsewhere, 5, seal, ciphertext)).isEqualTo(plaintext);
    }

    @Test
    void anyFlippedBitOfPageOrSealIsDetected() throws Exception {
        PageSeal seal = cipher.seal(9, 2, plaintext, ciphertext);
        Random random = new Random(3);
        for (int i = 0; i < 64; i++) {
            byte[] forged = ciphertext.clone();
            forged[random.nextInt(forged.length)] ^= (byte) (1 << random.nextInt(8));
            assertThatThrownBy(() -> open(cipher, 9, seal, forged))
                    .isInstanceOf(PageIntegrityException.class).hasMessageContaining("page 9");
        }
        byte[] tag = seal.tag();
        tag[random.nextInt(tag.length)] ^= 1;
        assertThatThrownBy(() -> open(cipher, 9, new PageSeal(seal.nonce(), tag, 2), ciphertext))
                .isInstanceOf(PageIntegrityException.class);
        byte[] nonce = seal.nonce();
        nonce[0] ^= 1;
        assertThatThrownBy(() -> open(cipher, 9, new PageSeal(nonce, seal.tag(), 2), ciphertext))
                .isInstanceOf(PageIntegrityException.class);
    }

    @Test
    void aPageMovedRolledToAnotherVersionOrFromAnotherVolumeIsRefused() {
        PageSeal seal = cipher.seal(10, 4, plaintext, ciphertext);
        assertThatThrownBy(() -> open(cipher, 11, seal, ciphertext))
                .as("moved to another page").isInstanceOf(PageIntegrityException.class);
        assertThatThrownBy(() -> open(cipher, 10, new PageSeal(seal.nonce(), seal.tag(), 3),
                ciphertext)).as("claimed as another version")
                .isInstanceOf(PageIntegrityException.class);
        PageCipher otherVolume = new PageCipher(VolumeKey.derive(OWNER, 8), new SecureRandom());
        assertThatThrownBy(() -> open(otherVolume, 10, seal, ciphertext))
                .isInstanceOf(PageIntegrityException.class);
        PageCipher otherOwner = new PageCipher(VolumeKey.derive(KeyPair.fromLabel("stranger"),
                7), new SecureRandom());
        assertThatThrownBy(() -> open(otherOwner, 10, seal, ciphertext))
                .isInstanceOf(PageIntegrityException.class);
    }

    @Test
    void sealsPackAtAFixedSizeAndAnUnwrittenPlaceReadsAsNone() throws Exception {
        PageSeal seal = cipher.seal(1, 77, plaintext, ciphertext);
        ByteBuffer packed = ByteBuffer.allocate(3 * PageSeal.SIZE_BYTES);
        seal.writeTo(packed);
        assertThat(packed.position()).isEqualTo(PageSeal.SIZE_BYTES);
        packed.rewind();
        assertThat(PageSeal.readFrom(packed)).isEqualTo(seal);
        assertThat(PageSeal.readFrom(packed)).as("never written").isNull();
        ByteBuffer bad = ByteBuffer.allocate(PageSeal.SIZE_BYTES);
        bad.put(0, (byte) 1).putLong(PageSeal.NONCE_BYTES + PageSeal.TAG_BYTES, -5);
        assertThatThrownBy(() -> PageSeal.readFrom(bad))
                .isInstanceOf(PageIntegrityException.class).hasMessageContaining("version -5");
    }
}
