package org.cnt.node.internal;

import org.cnt.chain.crypto.Hash;
import org.cnt.chain.types.Block;
import org.cnt.chain.types.BlockHeader;
import org.cnt.chain.types.Figures;
import org.cnt.chain.types.Genesis;
import org.cnt.chain.types.Tx;
import org.cnt.node.NodeException;
import org.cnt.node.Rejection;

/**
 * Re-executes stored blocks from genesis and checks every header against the result: the chain
 * link, the producer's signature, every transaction's signature and validity, the tx root, the
 * figures and the state root. This is DESIGN.md invariant 5 checked on real data: the state is a
 * pure function of the blocks.
 */
public final class ChainReplayer {

    /** Where a replay stopped: {@code mismatch} is null when every block checked out. */
    public record Outcome(long blocksChecked, Hash stateRoot, String mismatch) {
    }

    /** A source of stored blocks by height. */
    @FunctionalInterface
    public interface Blocks {
        Block at(long height) throws NodeException;
    }

    private ChainReplayer() {
    }

    public static Outcome replay(Genesis genesis, Blocks blocks, long headHeight)
            throws NodeException {
        Ledger ledger = Ledger.fromGenesis(genesis);
        ledger.end();
        Block previous = blocks.at(0);
        if (!previous.header().stateRoot().equals(ledger.stateRoot())) {
            return new Outcome(0, ledger.stateRoot(), "genesis state root differs");
        }
        for (long height = 1; height <= headHeight; height++) {
            Block block = blocks.at(height);
            String problem = check(ledger, previous, block);
            if (problem != null) {
                return new Outcome(height - 1, ledger.stateRoot(), "block " + height + ": "
                        + problem);
            }
            previous = block;
        }
        return new Outcome(headHeight, ledger.stateRoot(), null);
    }

    private static String check(Ledger ledger, Block previous, Block block) {
        BlockHeader header = block.header();
        if (header.height() != previous.height() + 1
                || !header.previousHash().equals(previous.hash())) {
            return "does not link to block " + previous.height();
        }
        if (!header.producer().equals(previous.header().producer()) && previous.height() > 0
                || !header.signatureValid()) {
            return "producer signature invalid";
        }
        if (!header.txRoot().equals(Block.txRoot(block.txs()))) {
            return "tx root differs";
        }
        BlockContext context = ledger.begin(header.height(), header.timestampMs(),
                header.previousHash());
        for (Tx tx : block.txs()) {
            if (!tx.signatureValid()) {
                return "transaction " + tx.id() + " has a bad signature";
            }
            Rejection refused = ledger.execute(tx, context);
            if (refused != null) {
                return "transaction " + tx.id() + " does not apply: " + refused.detail();
            }
        }
        Figures figures = ledger.figures(context);
        ledger.end();
        if (!figures.equals(header.figures())) {
            return "figures differ: header " + header.figures() + ", replay " + figures;
        }
        if (!ledger.stateRoot().equals(header.stateRoot())) {
            return "state root differs: header " + header.stateRoot() + ", replay "
                    + ledger.stateRoot();
        }
        return null;
    }
}
