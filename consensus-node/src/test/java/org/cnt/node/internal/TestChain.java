package org.cnt.node.internal;

import java.util.ArrayList;
import java.util.List;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.Account;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Figures;
import org.cnt.chain.types.Genesis;
import org.cnt.chain.types.Tx;
import org.cnt.chain.types.TxPayload;
import org.cnt.node.Rejection;

/**
 * A ledger driven one transaction per block with a test-controlled clock: the pure state machine,
 * no store and no threads. Tiny sizes: 1 MiB chunks of four 256 KiB slices.
 */
final class TestChain {
    static final long START_MS = 1_700_000_000_000L;
    static final long FUNDS = 1_000_000_000_000L;

    final Genesis genesis;
    final Ledger ledger;
    final List<KeyPair> users = new ArrayList<>();
    long nowMs = START_MS;
    long height;
    Figures lastFigures = Figures.EMPTY;

    TestChain(int groupSize, int userCount) {
        this(tinyParams(groupSize), userCount);
    }

    TestChain(ChainParams params, int userCount) {
        List<Genesis.Allocation> allocations = new ArrayList<>();
        for (int i = 0; i < userCount; i++) {
            KeyPair key = KeyPair.fromLabel("user-" + i);
            users.add(key);
            allocations.add(new Genesis.Allocation(key.address(), FUNDS));
        }
        genesis = new Genesis("test", params, KeyPair.fromLabel("producer").publicKey(), START_MS,
                allocations);
        ledger = Ledger.fromGenesis(genesis);
        ledger.end();
    }

    /** Continues from a ledger that was rebuilt elsewhere (a reload from stored entries). */
    TestChain(Genesis genesis, Ledger ledger, long nowMs, long height) {
        this.genesis = genesis;
        this.ledger = ledger;
        this.nowMs = nowMs;
        this.height = height;
    }

    /**
     * Small chunks, no emission, and nobody replaced for missed proofs: the farmers of these
     * ledger tests prove only where a test says so (the repair rules have tests of their own,
     * which turn them on).
     */
    static ChainParams tinyParams(int groupSize) {
        return new ChainParams(ChainParams.MB, 256 * 1024, groupSize, 1000, 200_000, 100, 20, 365,
                1, 1000).withEmission(0, 0)
                .withRepair(0, ChainParams.DEFAULT_REPORTERS_TO_BLACKLIST);
    }

    KeyPair user(int index) {
        return users.get(index);
    }

    long nonceOf(KeyPair key) {
        return ledger.state.account(key.address()).nonce();
    }

    Account account(KeyPair key) {
        return ledger.state.account(key.address());
    }

    /** Signs with the next nonce and runs the transaction alone in a new block one second on. */
    Rejection submit(KeyPair key, TxPayload payload) {
        return submit(Tx.sign(genesis.chainId(), key, nonceOf(key), payload));
    }

    Rejection submit(Tx tx) {
        nowMs += 1000;
        BlockContext block = ledger.begin(++height, nowMs, hashOf(height - 1));
        Rejection refused = ledger.execute(tx, block);
        lastFigures = ledger.figures(block);
        ledger.end();
        return refused;
    }

    /** Stands in for block {@code height}'s hash: what seeds a proof round opened there. */
    static Hash hashOf(long height) {
        return Hash.sha256(("test block " + height).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** An empty block {@code seconds} later. */
    Figures advance(long seconds) {
        nowMs += seconds * 1000;
        BlockContext block = ledger.begin(++height, nowMs, hashOf(height - 1));
        lastFigures = ledger.figures(block);
        ledger.end();
        return lastFigures;
    }

    long nowSec() {
        return nowMs / 1000;
    }

    /** Registers {@code count} farmers (keys farmer-0..), each pledging {@code chunks} chunks. */
    List<KeyPair> farmers(int count, int chunks) {
        List<KeyPair> farmers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            KeyPair key = KeyPair.fromLabel("farmer-" + i + "-" + height);
            Rejection refused = submit(key, new TxPayload.RegisterFarmer("127.0.0.1:" + (9000 + i),
                    chunks * genesis.params().chunkSizeBytes()));
            if (refused != null) {
                throw new AssertionError("farmer registration refused: " + refused);
            }
            farmers.add(key);
        }
        return farmers;
    }
}
