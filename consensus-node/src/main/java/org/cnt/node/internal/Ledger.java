package org.cnt.node.internal;

import org.cnt.node.Rejection;

import java.util.Map;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.types.Account;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Figures;
import org.cnt.chain.types.Genesis;
import org.cnt.chain.types.Tx;

/**
 * The main-chain state machine: state plus the rules that move it, with no I/O, clock or
 * threads. A block is {@link #begin} at the block's time, then {@link #execute} per transaction,
 * then {@link #end}, which yields the figures and the write set. Replaying the same blocks from
 * the same genesis gives the same state root (DESIGN.md invariant 5).
 */
final class Ledger {
    final ChainParams params;
    final Hash chainId;
    final ChainState state;
    final SliceAllocator allocator;
    final ChunkAssigner assigner;
    final LeaseBook leases;
    final ProofBook proofs;
    private final RentPayout payout;
    private final TxExecutor executor;

    private Ledger(Hash chainId, ChainParams params) {
        this.params = params;
        this.chainId = chainId;
        this.state = new ChainState(params);
        this.allocator = new SliceAllocator(state);
        this.assigner = new ChunkAssigner(state, allocator);
        this.leases = new LeaseBook(state, allocator);
        this.proofs = new ProofBook(state, assigner);
        this.payout = new RentPayout(state, proofs);
        this.executor = new TxExecutor(chainId, state, allocator, assigner, leases, proofs);
    }

    static Ledger fromGenesis(Genesis genesis) {
        Ledger ledger = new Ledger(genesis.chainId(), genesis.params());
        for (Genesis.Allocation allocation : genesis.allocations()) {
            Account before = ledger.state.account(allocation.address());
            ledger.state.putAccount(allocation.address(), new Account(
                    Math.addExact(before.balanceUcnt(), allocation.balanceUcnt()), 0));
        }
        ledger.state.setGlobals(Globals.GENESIS.withTime(genesis.timestampMs() / 1000));
        return ledger;
    }

    /** Rebuilds a ledger from the stored state entries of its head block. */
    static Ledger fromEntries(Genesis genesis, Iterable<Map.Entry<byte[], byte[]>> entries)
            throws CodecException {
        Ledger ledger = new Ledger(genesis.chainId(), genesis.params());
        for (Map.Entry<byte[], byte[]> entry : entries) {
            ledger.state.load(entry.getKey(), entry.getValue());
        }
        ledger.state.markLoaded();
        ledger.allocator.rebuild();
        ledger.assigner.rebuild();
        ledger.leases.rebuild();
        return ledger;
    }

    /**
     * Moves the clock to the block's time: leases expire, space-time is consumed and paid for,
     * and, after a round's block ({@code parentHash} is its hash), proof rounds turn over.
     */
    BlockContext begin(long height, long timestampMs, Hash parentHash) {
        Globals before = state.globals();
        long nowSec = Math.max(before.timeSec(), timestampMs / 1000);
        long boughtBefore = before.boughtMbSec(before.timeSec());
        java.util.SortedMap<Long, Integer> leasedSlices = leases.leasedSlicesByChunkBefore(nowSec);
        leases.advanceTo(nowSec);
        state.setGlobals(state.globals().withTime(nowSec));
        long boughtNow = state.globals().boughtMbSec(nowSec);
        long consumed = boughtBefore - boughtNow;
        payout.pay(before.poolUcnt(), boughtBefore, consumed, leasedSlices,
                nowSec - before.timeSec());
        proofs.beginBlock(height, parentHash);
        long residual = Math.max(0, allocator.worldMb() * params.maxLeaseDays()
                * ChainParams.SECONDS_PER_DAY - boughtNow);
        return new BlockContext(height, nowSec, state.globals().poolUcnt(), residual, consumed);
    }

    /** The context a transaction admitted now would see in the next block. */
    BlockContext preview(long height) {
        long nowSec = state.globals().timeSec();
        long bought = state.globals().boughtMbSec(nowSec);
        long residual = Math.max(0, allocator.worldMb() * params.maxLeaseDays()
                * ChainParams.SECONDS_PER_DAY - bought);
        return new BlockContext(height, nowSec, state.globals().poolUcnt(), residual, 0);
    }

    Rejection check(Tx tx, BlockContext block) {
        return executor.check(tx, block);
    }

    Rejection execute(Tx tx, BlockContext block) {
        return executor.execute(tx, block);
    }

    Figures figures(BlockContext block) {
        Globals globals = state.globals();
        return new Figures(allocator.worldMb(), globals.boughtMbSec(block.nowSec()),
                globals.poolUcnt(), globals.leasedMb(), block.consumedMbSec());
    }

    /** The block's write set; afterwards {@link #stateRoot()} is the root for its header. */
    Map<byte[], byte[]> end() {
        return state.commit();
    }

    Hash stateRoot() {
        return state.stateRoot();
    }
}
