package org.cnt.cli;

import java.nio.file.Path;
import org.cnt.chain.api.NodeApiException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code cnt} command. */
@Command(name = "cnt", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "CNT: a decentralized read/write cloud drive on a storage chain.",
        subcommands = {NodeCommand.class, WalletCommand.class, VolumeCommand.class,
            FarmerCommand.class, BenchCommand.class, MountCommand.class, DevnetCommand.class,
            UmountCommand.class, MkfsCommand.class, FsckCommand.class, StatusCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {

    @Option(names = "--home", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "CNT home: keys, devnet and caches (default: $CNT_HOME or ~/.cnt)")
    Path home;

    @Option(names = "--node", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "consensus node API (default: $CNT_NODE or http://127.0.0.1:7070)")
    String nodeUrl;

    @Option(names = "--wallet", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "the key to sign with, under HOME/keys (default: default)")
    String wallet;

    @Option(names = "--passphrase-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "read the wallet passphrase from FILE (or set $CNT_PASSPHRASE)")
    Path passphraseFile;

    Context context() {
        return new Context(home, nodeUrl, wallet, passphraseFile);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err,
                true), args);
    }

    static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((error, command, parsed) -> {
            command.getErr().println("cnt: " + describe(error));
            if (System.getenv("CNT_DEBUG") != null) {
                error.printStackTrace(command.getErr());
            }
            return 1;
        });
        return cli.execute(args);
    }

    private static String describe(Throwable error) {
        if (error instanceof CliException || error instanceof IllegalArgumentException) {
            return error.getMessage();
        }
        if (error instanceof NodeApiException api) {
            return api.detail() + (api.error().equals("unreachable") ? "" : " [" + api.error() + "]");
        }
        return "unexpected " + error.getClass().getSimpleName() + ": " + error.getMessage()
                + " (set CNT_DEBUG=1 for details)";
    }

    /** Reads the version Maven wrote into the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"cnt " + (version == null ? "development build" : version)};
        }
    }
}
