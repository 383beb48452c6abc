package org.cnt.node.internal;

import org.cnt.node.Rejection;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cnt.chain.api.Json;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.crypto.Signature;
import org.cnt.chain.merkle.MerkleTree;
import org.cnt.chain.types.Block;
import org.cnt.chain.types.BlockHeader;
import org.cnt.chain.types.Figures;
import org.cnt.chain.types.Genesis;
import org.cnt.chain.types.Tx;
import org.cnt.node.NodeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single block producer: admits verified transactions, builds, signs and persists blocks.
 * Single-threaded by contract (the caller owns the thread); it does no signature checks and no
 * scheduling of its own, so the benchmark and the service drive the very same code.
 */
public final class ChainCore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChainCore.class);

    final Genesis genesis;
    final Ledger ledger;
    final Mempool mempool;
    final TxTracker tracker = new TxTracker();
    private final ChainStore store;
    private final KeyPair producerKey;
    private Block head;

    private ChainCore(Genesis genesis, Ledger ledger, ChainStore store, KeyPair producerKey,
                      Block head, int mempoolCapacity) {
        this.genesis = genesis;
        this.ledger = ledger;
        this.store = store;
        this.producerKey = producerKey;
        this.head = head;
        this.mempool = new Mempool(mempoolCapacity, 1024);
    }

    /**
     * Opens the chain in {@code dataDir}: creates it from {@code genesis} when empty, otherwise
     * loads the head and checks that the stored state hashes to the head's state root.
     */
    public static ChainCore open(java.nio.file.Path dataDir, Genesis genesis, KeyPair producerKey,
                                 int mempoolCapacity) throws NodeException {
        if (!producerKey.publicKey().equals(genesis.producer())) {
            throw new NodeException("this node's key " + producerKey.publicKey() + " is not the "
                    + "block producer named in the genesis (" + genesis.producer() + ")");
        }
        ChainStore store = new ChainStore(dataDir);
        try {
            Long headHeight = store.headHeight();
            if (headHeight == null) {
                return initialize(store, genesis, producerKey, mempoolCapacity);
            }
            checkSameChain(store, genesis);
            Block head = store.block(headHeight);
            Ledger ledger = Ledger.fromEntries(genesis, store.stateEntries());
            if (!ledger.stateRoot().equals(head.header().stateRoot())) {
                throw new NodeException("the stored state hashes to " + ledger.stateRoot()
                        + " but block " + headHeight + " says " + head.header().stateRoot()
                        + ": the chain database is corrupt");
            }
            LOG.info("chain {} loaded at height {} (state root {})", genesis.chainId(), headHeight,
                    ledger.stateRoot());
            return new ChainCore(genesis, ledger, store, producerKey, head, mempoolCapacity);
        } catch (NodeException | RuntimeException e) {
            store.close();
            throw e;
        } catch (CodecException e) {
            store.close();
            throw new NodeException("the chain database holds a corrupt state entry: "
                    + e.getMessage(), e);
        }
    }

    private static void checkSameChain(ChainStore store, Genesis genesis) throws NodeException {
        byte[] stored = store.genesisJson();
        try {
            Genesis original = Json.mapper().readValue(stored, Genesis.class);
            if (!original.chainId().equals(genesis.chainId())) {
                throw new NodeException("the data directory holds chain " + original.chainId()
                        + " (" + original.network() + "), not the genesis given (chain "
                        + genesis.chainId() + ")");
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw new NodeException("the data directory's stored genesis is unreadable: "
                    + e.getMessage(), e);
        }
    }

    private static ChainCore initialize(ChainStore store, Genesis genesis, KeyPair key,
                                        int mempoolCapacity) throws NodeException {
        Ledger ledger = Ledger.fromGenesis(genesis);
        Map<byte[], byte[]> writes = ledger.end();
        BlockHeader header = new BlockHeader(0, Hash.ZERO, genesis.timestampMs(),
                MerkleTree.EMPTY_ROOT, ledger.stateRoot(), 0, Figures.EMPTY, genesis.producer(),
                new byte[Signature.SIZE_BYTES]);
        Block block = new Block(header, List.of());
        byte[] json;
        try {
            json = Json.mapper().writeValueAsBytes(genesis);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("genesis does not serialize", e);
        }
        store.commit(block, writes, json);
        LOG.info("chain {} ({}) created from genesis", genesis.chainId(), genesis.network());
        return new ChainCore(genesis, ledger, store, key, block, mempoolCapacity);
    }

    public Block head() {
        return head;
    }

    public Hash chainId() {
        return ledger.chainId;
    }

    /**
     * Admits a transaction whose signature the caller has verified (off this thread, where it
     * can run in parallel); null when admitted.
     */
    public Rejection admit(Tx tx) throws NodeException {
        Hash id = tx.id();
        Long includedAt = store.txHeight(id);
        if (includedAt != null) {
            return Rejection.of("already_included", "transaction " + id + " is already in block "
                    + includedAt);
        }
        long stateNonce = ledger.state.account(tx.senderAddress()).nonce();
        if (mempool.pendingOf(tx.senderAddress()) == 0) {
            Rejection refused = ledger.check(tx, ledger.preview(head.height() + 1));
            if (refused != null) {
                return refused;
            }
        }
        return mempool.admit(tx, id, stateNonce);
    }

    public int mempoolSize() {
        return mempool.size();
    }

    /** Builds, signs and durably commits the next block from the mempool. */
    public Block produceBlock(long clockMs) throws NodeException {
        long height = head.height() + 1;
        long timestampMs = Math.max(clockMs, head.header().timestampMs() + 1);
        BlockContext context = ledger.begin(height, timestampMs, head.hash());
        List<Tx> candidates = mempool.take(ledger.params.maxTxPerBlock());
        List<Tx> included = new ArrayList<>(candidates.size());
        for (Tx tx : candidates) {
            Rejection refused = ledger.execute(tx, context);
            if (refused == null) {
                included.add(tx);
            } else {
                tracker.dropped(tx.id(), refused);
            }
        }
        Figures figures = ledger.figures(context);
        Map<byte[], byte[]> writes = ledger.end();
        BlockHeader header = new BlockHeader(height, head.hash(), timestampMs,
                Block.txRoot(included), ledger.stateRoot(), included.size(), figures,
                producerKey.publicKey(), new byte[Signature.SIZE_BYTES]).withSignature(producerKey);
        Block block = new Block(header, included);
        store.commit(block, writes, null);
        head = block;
        for (Tx tx : included) {
            tracker.included(tx.id());
        }
        tracker.prune();
        return block;
    }

    /** Re-executes every stored block from genesis against its header. */
    public ChainReplayer.Outcome replayFromGenesis() throws NodeException {
        return ChainReplayer.replay(genesis, this::block, head.height());
    }

    Block block(long height) throws NodeException {
        return height == head.height() ? head : store.block(height);
    }

    Long heightOf(Hash blockHash) throws NodeException {
        return store.heightOf(blockHash);
    }

    Long txHeight(Hash txId) throws NodeException {
        return store.txHeight(txId);
    }

    @Override
    public void close() {
        store.close();
    }
}
