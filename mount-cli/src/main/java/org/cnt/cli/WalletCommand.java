package org.cnt.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cnt.chain.api.TxSender;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.Address;
import org.cnt.chain.crypto.KeyFile;
import org.cnt.chain.crypto.KeyFileException;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.Amounts;
import org.cnt.chain.types.TxPayload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cnt wallet}: keys and CNT. */
@Command(name = "wallet", description = "Create keys, show balances, send CNT.",
        subcommands = {WalletCommand.New.class, WalletCommand.AddressCmd.class,
            WalletCommand.Balance.class, WalletCommand.Send.class})
final class WalletCommand {

    /** Creates the wallet key. */
    @Command(name = "new", description = "Create a new key (under HOME/keys/NAME.json).")
    static final class New implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--encrypt", description = "seal the key with a passphrase (scrypt + AES-GCM)")
        boolean encrypt;

        @Override
        public Integer call() throws Exception {
            Context context = common.context();
            Path file = context.walletFile();
            if (Files.exists(file)) {
                throw new CliException("wallet '" + context.walletName() + "' already exists at "
                        + file + " (" + KeyFile.address(file) + ")");
            }
            KeyPair key = KeyPair.generate();
            char[] passphrase = encrypt ? context.passphrase(true) : null;
            KeyFile.write(file, key, passphrase, KeyFile.DEFAULT_SCRYPT_LOG2_N);
            return common.emit(java.util.Map.of("address", key.address().toString(),
                    "file", file.toString(), "encrypted", encrypt), out -> {
                        out.println("created wallet '" + context.walletName() + "' in " + file);
                        out.println("address: " + key.address());
                    });
        }
    }

    /** Prints the wallet's address. */
    @Command(name = "address", description = "Print the wallet's address.")
    static final class AddressCmd implements Callable<Integer> {
        @Mixin
        Common common;

        @Override
        public Integer call() throws Exception {
            Path file = common.context().walletFile();
            if (!Files.exists(file)) {
                throw new CliException("no wallet '" + common.context().walletName()
                        + "'; create one with 'cnt wallet new'");
            }
            Address address;
            try {
                address = KeyFile.address(file);
            } catch (KeyFileException e) {
                throw new CliException(e.getMessage());
            }
            return common.emit(java.util.Map.of("address", address.toString()),
                    out -> out.println(address));
        }
    }

    /** Prints a balance. */
    @Command(name = "balance", description = "Show the balance of the wallet or of ADDRESS.")
    static final class Balance implements Callable<Integer> {
        @Mixin
        Common common;

        @Parameters(arity = "0..1", paramLabel = "ADDRESS")
        String address;

        @Override
        public Integer call() throws Exception {
            Address who = address != null ? Address.parse(address)
                    : KeyFile.address(common.context().walletFile());
            Views.Account account = common.context().node().account(who);
            return common.emit(account, out -> out.println(account.balanceCnt() + " CNT  ("
                    + who + ", nonce " + account.nonce() + ")"));
        }
    }

    /** Sends CNT. */
    @Command(name = "send", description = "Send AMOUNT CNT to ADDRESS and wait for the block.")
    static final class Send implements Callable<Integer> {
        @Mixin
        Common common;

        @Parameters(index = "0", paramLabel = "ADDRESS")
        String to;

        @Parameters(index = "1", paramLabel = "AMOUNT", description = "in CNT, e.g. 12.5")
        String amount;

        @Override
        public Integer call() throws Exception {
            Address recipient = Address.parse(to);
            long ucnt = Amounts.parse(amount);
            if (ucnt == 0) {
                throw new CliException("amount must be more than 0");
            }
            Views.TxStatus status = TxSender.send(common.context().node(), common.context().key(),
                    new TxPayload.Transfer(recipient, ucnt));
            return common.emit(status, out -> out.println("sent " + Amounts.format(ucnt)
                    + " CNT to " + recipient + " in block " + status.height() + " (tx "
                    + status.txId() + ")"));
        }
    }
}
