package org.cnt.chain.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {
    private static final int CHEAP_SCRYPT = 10;

    @TempDir
    Path dir;

    @Test
    void plainKeyRoundTripsWithOwnerOnlyPermissions() throws Exception {
        KeyPair key = KeyPair.generate();
        Path file = dir.resolve("keys/plain.json");
        KeyFile.write(file, key, null, CHEAP_SCRYPT);
        assertThat(KeyFile.isEncrypted(file)).isFalse();
        assertThat(KeyFile.read(file, null).address()).isEqualTo(key.address());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void encryptedKeyOpensOnlyWithItsPassphrase() throws Exception {
        KeyPair key = KeyPair.generate();
        Path file = dir.resolve("sealed.json");
        KeyFile.write(file, key, "correct horse".toCharArray(), CHEAP_SCRYPT);
        assertThat(KeyFile.isEncrypted(file)).isTrue();
        assertThat(Files.readString(file)).doesNotContain(KeyFile.PLAIN);
        assertThat(KeyFile.read(file, "correct horse".toCharArray()).publicKey())
                .isEqualTo(key.publicKey());
        assertThatThrownBy(() -> KeyFile.read(file, "wrong".toCharArray()))
                .isInstanceOf(KeyFileException.PassphraseException.class)
                .hasMessageContaining("wrong passphrase");
        assertThatThrownBy(() -> KeyFile.read(file, null))
                .isInstanceOf(KeyFileException.PassphraseException.class)
                .hasMessageContaining("encrypted");
    }

    @Test
    void anExistingKeyIsNeverOverwritten() throws Exception {
        Path file = dir.resolve("k.json");
        KeyFile.write(file, KeyPair.generate(), null, CHEAP_SCRYPT);
        assertThatThrownBy(() -> KeyFile.write(file, KeyPair.generate(), null, CHEAP_SCRYPT))
                .hasMessageContaining("already exists");
    }

    @Test
    void aCorruptFileIsReportedInPlainWords() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{not json");
        assertThatThrownBy(() -> KeyFile.read(file, null)).isInstanceOf(KeyFileException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> KeyFile.read(dir.resolve("missing.json"), null))
                .hasMessageContaining("no key file");
    }

    @Test
    void aFileWhoseAddressWasEditedDoesNotOpen() throws Exception {
        Path file = dir.resolve("edited.json");
        KeyFile.write(file, KeyPair.fromLabel("a"), null, CHEAP_SCRYPT);
        String other = KeyPair.fromLabel("b").address().toString();
        String text = Files.readString(file).replace(KeyPair.fromLabel("a").address().toString(),
                other);
        Files.writeString(file, text);
        assertThatThrownBy(() -> KeyFile.read(file, null)).hasMessageContaining("does not match");
    }
}
