package org.cnt.chain.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyPairTest {
    private final KeyPair key = KeyPair.fromLabel("derive");

    @Test
    void aDerivedSecretIsTheSameForTheSameKeyPurposeAndContextOnly() {
        byte[] secret = key.deriveSecret("volume", new byte[] {1}, 32);
        assertThat(secret).hasSize(32);
        assertThat(KeyPair.fromLabel("derive").deriveSecret("volume", new byte[] {1}, 32))
                .isEqualTo(secret);
        assertThat(key.deriveSecret("volume", new byte[] {2}, 32)).isNotEqualTo(secret);
        assertThat(key.deriveSecret("other", new byte[] {1}, 32)).isNotEqualTo(secret);
        assertThat(KeyPair.fromLabel("another").deriveSecret("volume", new byte[] {1}, 32))
                .isNotEqualTo(secret);
        assertThat(secret).as("not the seed").isNotEqualTo(key.seed());
    }

    @Test
    void secretsAreSixteenToSixtyFourBytes() {
        assertThat(key.deriveSecret("x", new byte[0], 16)).hasSize(16);
        assertThatThrownBy(() -> key.deriveSecret("x", new byte[0], 8))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> key.deriveSecret("x", new byte[0], 65))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
