package org.cnt.node.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.cnt.chain.crypto.Address;
import org.cnt.chain.types.Account;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Chunk;
import org.cnt.chain.types.Farmer;

/**
 * What a block pays (DESIGN.md "Rent"). Rent: the block consumed {@code consumed} MB-seconds of
 * the {@code B₋₁} bought, so {@code M₋₁ · consumed / B₋₁} leaves the pool, split over the chunks
 * by their leased slices and within a chunk evenly over the members its latest proof named;
 * the share of an unproven or under-replicated chunk stays in the pool, as does rounding.
 * Storage mining: {@code miningUcntPerSec} per second of block time, minted, evenly over every
 * proven replica, rented or not. The subsidy stream mints {@code subsidyUcntPerSec} into the pool.
 */
final class RentPayout {
    private final ChainState state;
    private final ChainParams params;
    private final ProofBook proofs;

    RentPayout(ChainState state, ProofBook proofs) {
        this.state = state;
        this.params = state.params;
        this.proofs = proofs;
    }

    /**
     * Pays for one block. {@code leasedSlices} are the chunks' leased slices over the interval
     * (taken before leases expired at its end), {@code elapsedSec} the block time it covers.
     */
    void pay(long poolBefore, long boughtBefore, long consumedMbSec,
             SortedMap<Long, Integer> leasedSlices, long elapsedSec) {
        if (boughtBefore > 0 && consumedMbSec > 0 && !leasedSlices.isEmpty()) {
            payRent(mulDiv(poolBefore, Math.min(consumedMbSec, boughtBefore), boughtBefore),
                    leasedSlices);
        }
        if (elapsedSec > 0 && params.miningUcntPerSec() > 0) {
            mine(Math.multiplyExact(params.miningUcntPerSec(), elapsedSec));
        }
        if (elapsedSec > 0 && params.subsidyUcntPerSec() > 0) {
            long subsidy = Math.multiplyExact(params.subsidyUcntPerSec(), elapsedSec);
            Globals globals = state.globals();
            state.setGlobals(globals.withPool(Math.addExact(globals.poolUcnt(), subsidy))
                    .minted(subsidy));
        }
    }

    private void payRent(long due, SortedMap<Long, Integer> leasedSlices) {
        long slices = 0;
        for (int count : leasedSlices.values()) {
            slices += count;
        }
        long paid = 0;
        for (Map.Entry<Long, Integer> entry : leasedSlices.entrySet()) {
            Chunk chunk = state.chunk(entry.getKey());
            List<Long> payees = chunk == null ? List.of() : proofs.provenMembers(chunk);
            if (payees.isEmpty()) {
                continue;
            }
            long each = mulDiv(due, entry.getValue(), slices) / payees.size();
            for (long farmer : payees) {
                credit(farmer, each);
            }
            paid += each * payees.size();
        }
        Globals globals = state.globals();
        state.setGlobals(globals.withPool(Math.subtractExact(globals.poolUcnt(), paid)));
    }

    private void mine(long emission) {
        List<Long> replicas = new ArrayList<>();
        for (Chunk chunk : state.chunks().values()) {
            replicas.addAll(proofs.provenMembers(chunk));
        }
        if (replicas.isEmpty()) {
            return;
        }
        long each = emission / replicas.size();
        for (long farmer : replicas) {
            credit(farmer, each);
        }
        state.setGlobals(state.globals().minted(each * replicas.size()));
    }

    private void credit(long farmerId, long ucnt) {
        if (ucnt == 0) {
            return;
        }
        Farmer farmer = state.farmer(farmerId);
        Address address = farmer.key().address();
        Account account = state.account(address);
        state.putAccount(address, new Account(Math.addExact(account.balanceUcnt(), ucnt),
                account.nonce()));
        state.putFarmer(farmer.withStanding(farmer.standing().earned(ucnt)));
    }

    /** {@code a · b / c} rounded down, exact for any longs whose result fits. */
    static long mulDiv(long a, long b, long c) {
        return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b))
                .divide(BigInteger.valueOf(c)).longValueExact();
    }
}
