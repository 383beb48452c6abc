package org.cnt.node.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.Block;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Genesis;
import org.cnt.chain.types.Tx;
import org.cnt.chain.types.TxPayload;
import org.cnt.node.NodeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The block producer on a real RocksDB: blocks are signed, chained, durable and verified on load. */
class ChainCoreTest {
    private static final KeyPair PRODUCER = KeyPair.fromLabel("producer");
    private static final KeyPair ALICE = KeyPair.fromLabel("alice");
    private static final KeyPair BOB = KeyPair.fromLabel("bob");

    @TempDir
    Path dir;

    private static Genesis genesis(String network) {
        return new Genesis(network, TestChain.tinyParams(4), PRODUCER.publicKey(), 1_000L,
                List.of(new Genesis.Allocation(ALICE.address(), 1_000_000)));
    }

    @Test
    void blocksAreSignedChainedAndCarryTheStateRoot() throws Exception {
        Genesis genesis = genesis("a");
        try (ChainCore core = ChainCore.open(dir, genesis, PRODUCER, 100)) {
            Block genesisBlock = core.head();
            assertThat(core.admit(transfer(genesis, 0, 10))).isNull();
            assertThat(core.admit(transfer(genesis, 1, 20))).isNull();
            Block block = core.produceBlock(5_000);
            assertThat(block.txs()).hasSize(2);
            assertThat(block.header().previousHash()).isEqualTo(genesisBlock.hash());
            assertThat(block.header().signatureValid()).isTrue();
            assertThat(block.header().txRoot()).isEqualTo(Block.txRoot(block.txs()));
            assertThat(block.header().stateRoot()).isEqualTo(core.ledger.stateRoot());
            assertThat(core.ledger.state.account(BOB.address()).balanceUcnt()).isEqualTo(30);
            assertThat(core.txHeight(block.txs().getFirst().id())).isEqualTo(1);
            assertThat(core.block(1).hash()).isEqualTo(block.hash());
            assertThat(core.heightOf(block.hash())).isEqualTo(1);
        }
    }

    @Test
    void reopeningRestoresTheHeadAndTheExactState() throws Exception {
        Genesis genesis = genesis("a");
        Block head;
        try (ChainCore core = ChainCore.open(dir, genesis, PRODUCER, 100)) {
            for (int i = 0; i < 5; i++) {
                assertThat(core.admit(transfer(genesis, i, 1 + i))).isNull();
                core.produceBlock(2_000L * (i + 1));
            }
            head = core.head();
        }
        try (ChainCore core = ChainCore.open(dir, genesis, PRODUCER, 100)) {
            assertThat(core.head().hash()).isEqualTo(head.hash());
            assertThat(core.ledger.stateRoot()).isEqualTo(head.header().stateRoot());
            assertThat(core.ledger.state.account(BOB.address()).balanceUcnt()).isEqualTo(15);
            assertThat(core.admit(transfer(genesis, 4, 5)).code()).isEqualTo("already_included");
            assertThat(core.admit(transfer(genesis, 4, 1)).code()).isEqualTo("nonce_too_low");
            assertThat(core.admit(transfer(genesis, 5, 1))).isNull();
            assertThat(core.produceBlock(20_000).height()).isEqualTo(6);
        }
    }

    @Test
    void replayingTheStoredBlocksFromGenesisReproducesEveryHeader() throws Exception {
        Genesis genesis = genesis("a");
        try (ChainCore core = ChainCore.open(dir, genesis, PRODUCER, 1000)) {
            List<KeyPair> farmers = List.of(KeyPair.fromLabel("f0"), KeyPair.fromLabel("f1"),
                    KeyPair.fromLabel("f2"), KeyPair.fromLabel("f3"));
            for (KeyPair farmer : farmers) {
                assertThat(core.admit(Tx.sign(genesis.chainId(), farmer, 0,
                        new TxPayload.RegisterFarmer("127.0.0.1:1", 2 * ChainParams.MB)))).isNull();
            }
            core.produceBlock(2_000);
            assertThat(core.admit(Tx.sign(genesis.chainId(), ALICE, 0,
                    new TxPayload.RentVolume("v", 1, 1, 10_000)))).isNull();
            assertThat(core.admit(transfer(genesis, 1, 5))).isNull();
            core.produceBlock(3_000);
            assertThat(core.admit(Tx.sign(genesis.chainId(), ALICE, 2,
                    new TxPayload.ExtendVolume(1, 1, 10_000)))).isNull();
            core.produceBlock(90_000_000);
            core.produceBlock(400_000_000);
            assertThat(core.admit(Tx.sign(genesis.chainId(), farmers.get(1), 1,
                    new TxPayload.ExitFarmer()))).isNull();
            core.produceBlock(400_001_000);
            ChainReplayer.Outcome outcome = ChainReplayer.replay(genesis, core::block,
                    core.head().height());
            assertThat(outcome.mismatch()).isNull();
            assertThat(outcome.blocksChecked()).isEqualTo(5);
            assertThat(outcome.stateRoot()).isEqualTo(core.head().header().stateRoot());
        }
    }

    @Test
    void aDroppedTransactionIsRememberedWithItsReason() throws Exception {
        Genesis genesis = genesis("a");
        try (ChainCore core = ChainCore.open(dir, genesis, PRODUCER, 100)) {
            assertThat(core.admit(transfer(genesis, 0, 900_000))).isNull();
            Tx second = transfer(genesis, 1, 900_000);
            assertThat(core.admit(second)).as("only the first pending tx is checked in full")
                    .isNull();
            Block block = core.produceBlock(3_000);
            assertThat(block.txs()).hasSize(1);
            assertThat(TxStatuses.of(core, second.id()).status()).isEqualTo("dropped");
            assertThat(TxStatuses.of(core, second.id()).error()).isEqualTo("insufficient_balance");
        }
    }

    @Test
    void aCorruptedStateIsDetectedAtStartup() throws Exception {
        Genesis genesis = genesis("a");
        try (ChainCore core = ChainCore.open(dir, genesis, PRODUCER, 100)) {
            core.admit(transfer(genesis, 0, 10));
            core.produceBlock(3_000);
        }
        try (ChainStore store = new ChainStore(dir)) {
            java.util.Map<byte[], byte[]> forged = new java.util.LinkedHashMap<>();
            forged.put(StateKeys.account(BOB.address()),
                    new org.cnt.chain.types.Account(999_999, 0).toBytes());
            store.commit(store.block(store.headHeight()), forged, null);
        }
        assertThatThrownBy(() -> ChainCore.open(dir, genesis, PRODUCER, 100))
                .isInstanceOf(NodeException.class).hasMessageContaining("corrupt");
    }

    @Test
    void aDataDirectoryOfAnotherChainOrAnotherProducerIsRefused() throws Exception {
        try (ChainCore core = ChainCore.open(dir, genesis("a"), PRODUCER, 100)) {
            assertThat(core.head().height()).isZero();
        }
        assertThatThrownBy(() -> ChainCore.open(dir, genesis("b"), PRODUCER, 100))
                .hasMessageContaining("not the genesis given");
        assertThatThrownBy(() -> ChainCore.open(dir, genesis("a"), ALICE, 100))
                .hasMessageContaining("not the block producer");
    }

    @Test
    void theMempoolIsBoundedAndKeepsNoncesContiguous() throws Exception {
        Genesis genesis = genesis("a");
        try (ChainCore core = ChainCore.open(dir, genesis, PRODUCER, 2)) {
            assertThat(core.admit(transfer(genesis, 1, 1)).code()).isEqualTo("nonce_gap");
            assertThat(core.admit(transfer(genesis, 0, 1))).isNull();
            assertThat(core.admit(transfer(genesis, 0, 2)).code()).isEqualTo("nonce_pending");
            assertThat(core.admit(transfer(genesis, 1, 1))).isNull();
            assertThat(core.admit(transfer(genesis, 2, 1)).code()).isEqualTo("mempool_full");
        }
    }

    private static Tx transfer(Genesis genesis, long nonce, long amount) {
        return Tx.sign(genesis.chainId(), ALICE, nonce, new TxPayload.Transfer(BOB.address(),
                amount));
    }
}
