package org.cnt.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.crypto.KeyFile;
import org.cnt.chain.crypto.KeyFileException;
import org.cnt.chain.crypto.KeyPair;

/** What every command needs: the home directory, the node to talk to, and the wallet. */
record Context(Path homeOption, String nodeOption, String walletOption, Path passphraseFile) {
    static final String DEFAULT_NODE = "http://127.0.0.1:7070";

    Path home() {
        if (homeOption != null) {
            return homeOption;
        }
        String env = System.getenv("CNT_HOME");
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cnt");
    }

    String nodeUrl() {
        if (nodeOption != null) {
            return nodeOption;
        }
        String env = System.getenv("CNT_NODE");
        if (env != null && !env.isBlank()) {
            return env;
        }
        String devnet = Devnet.nodeUrl(home());
        return devnet != null ? devnet : DEFAULT_NODE;
    }

    /** Whether the user named a network (--node or $CNT_NODE); else the devnet is meant. */
    boolean networkConfigured() {
        String env = System.getenv("CNT_NODE");
        return nodeOption != null || env != null && !env.isBlank();
    }

    NodeClient node() {
        return new NodeClient(nodeUrl());
    }

    String walletName() {
        return walletOption != null ? walletOption : "default";
    }

    Path walletFile() throws CliException {
        String name = walletName();
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new CliException("wallet names use letters, digits, '.', '_' and '-': " + name);
        }
        return home().resolve("keys").resolve(name + ".json");
    }

    /** Opens the wallet, asking for its passphrase only when it is encrypted. */
    KeyPair key() throws CliException {
        Path file = walletFile();
        if (!Files.exists(file)) {
            throw new CliException("no wallet '" + walletName() + "' in " + home()
                    + "; create one with 'cnt wallet new'");
        }
        return keyFrom(file);
    }

    /** Opens a key file, asking for its passphrase only when it is encrypted. */
    KeyPair keyFrom(Path file) throws CliException {
        try {
            if (!Files.exists(file)) {
                throw new CliException("no key file " + file);
            }
            char[] passphrase = KeyFile.isEncrypted(file) ? passphrase(false) : null;
            return KeyFile.read(file, passphrase);
        } catch (KeyFileException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    /** From --passphrase-file, $CNT_PASSPHRASE, or the terminal (twice when creating). */
    char[] passphrase(boolean confirm) throws CliException {
        if (passphraseFile != null) {
            try {
                return Files.readString(passphraseFile, StandardCharsets.UTF_8).strip()
                        .toCharArray();
            } catch (IOException e) {
                throw new CliException("cannot read passphrase file " + passphraseFile + ": "
                        + e.getMessage());
            }
        }
        String env = System.getenv("CNT_PASSPHRASE");
        if (env != null) {
            return env.toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            throw new CliException("the wallet needs a passphrase: use --passphrase-file or "
                    + "$CNT_PASSPHRASE when not on a terminal");
        }
        char[] first = console.readPassword("Passphrase: ");
        if (confirm) {
            char[] second = console.readPassword("Repeat passphrase: ");
            if (!java.util.Arrays.equals(first, second)) {
                throw new CliException("the passphrases differ");
            }
        }
        return first;
    }
}
