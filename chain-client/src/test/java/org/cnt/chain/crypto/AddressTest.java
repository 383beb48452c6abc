package org.cnt.chain.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressTest {

    @Test
    void printedAddressParsesBack() {
        Address address = KeyPair.fromLabel("alice").address();
        assertThat(address.toString()).startsWith("cnt1").hasSize(52);
        assertThat(Address.parse(address.toString())).isEqualTo(address);
        assertThat(Address.parse(address.toString().toUpperCase().replace("CNT1", "cnt1")))
                .isEqualTo(address);
    }

    @Test
    void aMistypedCharacterIsCaughtByTheChecksum() {
        String text = KeyPair.fromLabel("alice").address().toString();
        char flipped = text.charAt(10) == 'a' ? 'b' : 'a';
        String typo = text.substring(0, 10) + flipped + text.substring(11);
        assertThatThrownBy(() -> Address.parse(typo)).hasMessageContaining("checksum");
    }

    @Test
    void wrongPrefixAndLengthHaveTheirOwnMessages() {
        assertThatThrownBy(() -> Address.parse("btc1abc")).hasMessageContaining("must start with");
        assertThatThrownBy(() -> Address.parse("cnt1abc")).hasMessageContaining("characters");
    }

    @Test
    void signaturesVerifyOnlyForTheSignedMessageAndKey() {
        KeyPair alice = KeyPair.fromLabel("alice");
        KeyPair bob = KeyPair.fromLabel("bob");
        byte[] signature = alice.sign("hello".getBytes());
        assertThat(alice.publicKey().verify("hello".getBytes(), signature)).isTrue();
        assertThat(alice.publicKey().verify("hellp".getBytes(), signature)).isFalse();
        assertThat(bob.publicKey().verify("hello".getBytes(), signature)).isFalse();
        assertThat(alice.publicKey().verify("hello".getBytes(), new byte[3])).isFalse();
    }
}
