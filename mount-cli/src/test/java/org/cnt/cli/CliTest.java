package org.cnt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI in-process, for what needs no node: wallets, argument errors, sizes. */
class CliTest {
    @TempDir
    Path home;

    private CliRun cnt(String... args) {
        return CliRun.of(new String[] {"--home", home.toString()}, args);
    }

    @Test
    void walletNewThenAddressPrintTheSameAddress() {
        CliRun created = cnt("wallet", "new");
        assertThat(created.code()).isZero();
        CliRun address = cnt("wallet", "address");
        assertThat(address.code()).isZero();
        assertThat(created.out()).contains(address.out().strip());
        assertThat(Files.exists(home.resolve("keys/default.json"))).isTrue();
        CliRun again = cnt("wallet", "new");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("already exists").doesNotContain("Exception");
    }

    @Test
    void anEncryptedWalletNeedsItsPassphrase() throws Exception {
        Path secret = home.resolve("pass.txt");
        Files.writeString(secret, "hunter22\n");
        assertThat(cnt("--wallet", "safe", "--passphrase-file", secret.toString(), "wallet",
                "new", "--encrypt").code()).isZero();
        assertThat(Files.readString(home.resolve("keys/safe.json"))).contains("scrypt");
        Path wrong = home.resolve("wrong.txt");
        Files.writeString(wrong, "nope");
        CliRun refused = cnt("--wallet", "safe", "--passphrase-file", wrong.toString(),
                "--node", "http://127.0.0.1:1", "wallet", "send",
                "cnt1" + "0".repeat(48), "1");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("cnt:").doesNotContain("Exception");
    }

    @Test
    void userMistakesGetOneLineAndNoStackTrace() {
        CliRun noWallet = cnt("wallet", "address");
        assertThat(noWallet.code()).isEqualTo(1);
        assertThat(noWallet.err()).contains("cnt wallet new").doesNotContain("\tat ");
        CliRun badAddress = cnt("wallet", "balance", "cnt1xyz");
        assertThat(badAddress.code()).isEqualTo(1);
        assertThat(badAddress.err()).contains("52 characters");
        CliRun unreachable = cnt("--node", "http://127.0.0.1:1", "volume", "quote", "--size", "1G",
                "--days", "3");
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(unreachable.err()).contains("cannot reach the consensus node");
        CliRun badSize = cnt("--node", "http://127.0.0.1:1", "volume", "quote", "--size", "lots",
                "--days", "3");
        assertThat(badSize.err()).contains("not a size");
        CliRun unknownOption = cnt("volume", "list", "--bogus");
        assertThat(unknownOption.code()).isEqualTo(2);
        assertThat(unknownOption.err()).contains("Unknown option: '--bogus'");
        CliRun missing = cnt("volume", "create", "--size", "1G");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required option").contains("--days");
    }

    @Test
    void sizesReadTheWayPeopleTypeThem() {
        assertThat(Sizes.parseMb("512")).isEqualTo(512);
        assertThat(Sizes.parseMb("1G")).isEqualTo(1024);
        assertThat(Sizes.parseMb("2GiB")).isEqualTo(2048);
        assertThat(Sizes.parseBytes("64MiB", 1)).isEqualTo(64L << 20);
        assertThat(Sizes.parseBytes("10g", 1)).isEqualTo(10L << 30);
        assertThatThrownBy(() -> Sizes.parseMb("1500K")).hasMessageContaining("whole MB");
        assertThatThrownBy(() -> Sizes.parseMb("0")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> Sizes.parseBytes("99999999999T", 1)).hasMessageContaining("too large");
    }
}
