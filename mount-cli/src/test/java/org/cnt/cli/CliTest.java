package org.cnt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI in-process, for what needs no node: wallets, argument errors, sizes. */
class CliTest {
    @TempDir
    Path home;

    private record Run(int code, String out, String err) {
    }

    private Run cnt(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "--home";
        all[1] = home.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void walletNewThenAddressPrintTheSameAddress() {
        Run created = cnt("wallet", "new");
        assertThat(created.code()).isZero();
        Run address = cnt("wallet", "address");
        assertThat(address.code()).isZero();
        assertThat(created.out()).contains(address.out().strip());
        assertThat(Files.exists(home.resolve("keys/default.json"))).isTrue();
        Run again = cnt("wallet", "new");
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
        Run refused = cnt("--wallet", "safe", "--passphrase-file", wrong.toString(),
                "--node", "http://127.0.0.1:1", "wallet", "send",
                "cnt1" + "0".repeat(48), "1");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("cnt:").doesNotContain("Exception");
    }

    @Test
    void userMistakesGetOneLineAndNoStackTrace() {
        Run noWallet = cnt("wallet", "address");
        assertThat(noWallet.code()).isEqualTo(1);
        assertThat(noWallet.err()).contains("cnt wallet new").doesNotContain("\tat ");
        Run badAddress = cnt("wallet", "balance", "cnt1xyz");
        assertThat(badAddress.code()).isEqualTo(1);
        assertThat(badAddress.err()).contains("52 characters");
        Run unreachable = cnt("--node", "http://127.0.0.1:1", "volume", "quote", "--size", "1G",
                "--days", "3");
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(unreachable.err()).contains("cannot reach the consensus node");
        Run badSize = cnt("--node", "http://127.0.0.1:1", "volume", "quote", "--size", "lots",
                "--days", "3");
        assertThat(badSize.err()).contains("not a size");
        Run unknownOption = cnt("volume", "list", "--bogus");
        assertThat(unknownOption.code()).isEqualTo(2);
        assertThat(unknownOption.err()).contains("Unknown option: '--bogus'");
        Run missing = cnt("volume", "create", "--size", "1G");
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
