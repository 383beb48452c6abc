package org.cnt.node.internal;

import org.cnt.node.Rejection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.cnt.chain.crypto.Address;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.types.Account;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Chunk;
import org.cnt.chain.types.Farmer;
import org.cnt.chain.types.SliceRef;
import org.cnt.chain.types.Tx;
import org.cnt.chain.types.TxPayload;
import org.cnt.chain.types.Volume;

/**
 * The state transition for one transaction: every rule is checked before anything changes, so a
 * transaction either applies whole or is refused with a {@link Rejection} and leaves no trace.
 * Signatures are not checked here: the mempool admits only verified transactions.
 */
final class TxExecutor {
    private static final Pattern ENDPOINT = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]{1,250}:[0-9]{1,5}");
    private static final Pattern VOLUME_NAME = Pattern.compile("[A-Za-z0-9._-]{0,64}");
    private final ChainState state;
    private final ChainParams params;
    private final SliceAllocator allocator;
    private final ChunkAssigner assigner;
    private final LeaseBook leases;
    private final ProofBook proofs;
    private final Hash chainId;

    TxExecutor(Hash chainId, ChainState state, SliceAllocator allocator, ChunkAssigner assigner,
               LeaseBook leases, ProofBook proofs) {
        this.chainId = chainId;
        this.state = state;
        this.params = state.params;
        this.allocator = allocator;
        this.assigner = assigner;
        this.leases = leases;
        this.proofs = proofs;
    }

    /** Checks without changing anything; null means the transaction would apply. */
    Rejection check(Tx tx, BlockContext block) {
        return run(tx, block, false);
    }

    /** Applies the transaction, or refuses it and changes nothing. */
    Rejection execute(Tx tx, BlockContext block) {
        return run(tx, block, true);
    }

    private Rejection run(Tx tx, BlockContext block, boolean apply) {
        if (!tx.chainId().equals(chainId)) {
            return Rejection.of("wrong_chain", "transaction is signed for chain " + tx.chainId()
                    + ", this is chain " + chainId);
        }
        Address sender = tx.senderAddress();
        Account account = state.account(sender);
        if (tx.nonce() < account.nonce()) {
            return Rejection.of("nonce_too_low", "nonce " + tx.nonce() + " was already used by "
                    + sender + " (replayed transaction?); next nonce is " + account.nonce());
        }
        if (tx.nonce() > account.nonce()) {
            return Rejection.of("nonce_gap", "nonce " + tx.nonce() + " skips ahead; " + sender
                    + " must use nonce " + account.nonce() + " next");
        }
        Rejection refused = switch (tx.payload()) {
            case TxPayload.Transfer t -> transfer(sender, account, t, apply);
            case TxPayload.Donate d -> donate(sender, account, d, apply);
            case TxPayload.RegisterFarmer r -> register(tx, r, block, apply);
            case TxPayload.UpdateFarmer u -> update(tx, u, apply);
            case TxPayload.ExitFarmer e -> exit(tx, apply);
            case TxPayload.RentVolume r -> rent(sender, account, r, block, apply);
            case TxPayload.ExtendVolume e -> extend(sender, account, e, block, apply);
            case TxPayload.ResizeVolume r -> resize(sender, account, r, block, apply);
            case TxPayload.ServiceReport r -> report(sender, r, apply);
            case TxPayload.SpaceProof p -> proofs.submit(activeFarmerId(tx), p.certificate(),
                    apply);
        };
        if (refused == null && apply) {
            Account after = state.account(sender);
            state.putAccount(sender, new Account(after.balanceUcnt(), after.nonce() + 1));
        }
        return refused;
    }

    /** A positive amount the sender holds; debited when applying. */
    private Rejection spend(Address sender, Account account, long amount, String verb,
                            boolean apply) {
        if (amount <= 0) {
            return Rejection.of("invalid_amount", "the amount to " + verb + " must be positive");
        }
        Rejection poor = requireBalance(sender, account, amount, verb);
        if (poor == null && apply) {
            debit(sender, amount);
        }
        return poor;
    }

    private Rejection transfer(Address sender, Account account, TxPayload.Transfer t,
                               boolean apply) {
        Rejection refused = spend(sender, account, t.amountUcnt(), "send", apply);
        if (refused != null || !apply) {
            return refused;
        }
        Account to = state.account(t.to());
        state.putAccount(t.to(), new Account(Math.addExact(to.balanceUcnt(), t.amountUcnt()),
                to.nonce()));
        return null;
    }

    private Rejection donate(Address sender, Account account, TxPayload.Donate d, boolean apply) {
        Rejection refused = spend(sender, account, d.amountUcnt(), "donate", apply);
        if (refused == null && apply) {
            addToPool(d.amountUcnt());
        }
        return refused;
    }

    private Rejection register(Tx tx, TxPayload.RegisterFarmer r, BlockContext block,
                               boolean apply) {
        Long existing = state.farmerIdOf(tx.sender());
        if (existing != null) {
            Farmer farmer = state.farmer(existing);
            return switch (farmer.status()) {
                case ACTIVE, SUSPENDED -> Rejection.of("farmer_exists", "this key already farms "
                        + "as farmer " + existing + "; use an update-farmer transaction to change "
                        + "it" + (farmer.status() == Farmer.Status.SUSPENDED
                        ? " (that also ends its suspension)" : ""));
                case EXITED -> Rejection.of("farmer_exited", "farmer " + existing + " exited; "
                        + "register again with a new key");
                case BLACKLISTED -> Rejection.of("farmer_blacklisted", "farmer " + existing
                        + " is blacklisted for serving bad data");
            };
        }
        Rejection bad = checkPledge(r.endpoint(), r.capacityBytes(), 0);
        if (bad != null || !apply) {
            return bad;
        }
        Globals globals = state.globals();
        long id = globals.nextFarmerId();
        state.setGlobals(globals.withNextIds(id + 1, globals.nextChunkId(), globals.nextVolumeId()));
        state.putFarmer(new Farmer(id, tx.sender(), r.endpoint(), r.capacityBytes(), 0,
                Farmer.Status.ACTIVE, block.height(), 0, Farmer.Standing.NEW));
        assigner.assignFreeSlots();
        return null;
    }

    /** Also how a suspended farmer says it is back: it may be assigned replicas again. */
    private Rejection update(Tx tx, TxPayload.UpdateFarmer u, boolean apply) {
        Long id = state.farmerIdOf(tx.sender());
        Farmer farmer = id == null ? null : state.farmer(id);
        if (farmer == null || farmer.status() != Farmer.Status.ACTIVE
                && farmer.status() != Farmer.Status.SUSPENDED) {
            return notAFarmer();
        }
        Rejection bad = checkPledge(u.endpoint(), u.capacityBytes(), farmer.assignedReplicas());
        if (bad != null || !apply) {
            return bad;
        }
        Farmer updated = farmer.withPledge(u.endpoint(), u.capacityBytes());
        state.putFarmer(farmer.status() == Farmer.Status.SUSPENDED ? updated.resumed() : updated);
        assigner.assignFreeSlots();
        return null;
    }

    private Rejection exit(Tx tx, boolean apply) {
        Farmer farmer = activeFarmer(tx);
        if (farmer == null) {
            return notAFarmer();
        }
        if (apply) {
            assigner.exit(farmer.id());
        }
        return null;
    }

    /**
     * A client's report of a member of a chunk it has slices in. Only the count is kept here;
     * what it costs the farmer is the repair rules' business.
     */
    private Rejection report(Address sender, TxPayload.ServiceReport r, boolean apply) {
        if (!TxPayload.ServiceReport.REASONS.contains(r.reason())) {
            return Rejection.of("invalid_report", "a report's reason is one of "
                    + TxPayload.ServiceReport.REASONS + ", not '" + r.reason() + "'");
        }
        Chunk chunk = state.chunk(r.chunkId());
        if (chunk == null || !chunk.members().contains(r.farmerId())) {
            return Rejection.of("not_a_member", "farmer " + r.farmerId() + " is not a member of "
                    + "chunk " + r.chunkId());
        }
        boolean client = state.volumesOf(sender).stream().anyMatch(v -> v.slices().stream()
                .anyMatch(slice -> slice.chunkId() == r.chunkId()));
        if (!client) {
            return Rejection.of("not_a_client", "only a client with a slice in chunk "
                    + r.chunkId() + " may report its members");
        }
        if (apply) {
            state.putFarmer(state.farmer(r.farmerId()).reported());
            if (r.reason().equals("bad_data")
                    && state.addBadDataReport(new BadDataReport(r.farmerId(), sender))) {
                countBadData(state.farmer(r.farmerId()));
            }
        }
        return null;
    }

    /**
     * One client alone cannot blacklist a farmer (it could be lying): it takes bad-data reports
     * from {@code reportersToBlacklist} distinct clients of the farmer's chunks.
     */
    private void countBadData(Farmer farmer) {
        int reporters = farmer.standing().badDataReporters() + 1;
        state.putFarmer(farmer.withStanding(farmer.standing().reportedBy(reporters)));
        if (params.reportersToBlacklist() > 0 && reporters >= params.reportersToBlacklist()
                && farmer.status() != Farmer.Status.EXITED
                && farmer.status() != Farmer.Status.BLACKLISTED) {
            assigner.remove(farmer.id(), Farmer.Status.BLACKLISTED);
        }
    }

    private Long activeFarmerId(Tx tx) {
        Farmer farmer = activeFarmer(tx);
        return farmer == null ? null : farmer.id();
    }

    private Farmer activeFarmer(Tx tx) {
        Long id = state.farmerIdOf(tx.sender());
        Farmer farmer = id == null ? null : state.farmer(id);
        return farmer != null && farmer.status() == Farmer.Status.ACTIVE ? farmer : null;
    }

    private static Rejection notAFarmer() {
        return Rejection.of("unknown_farmer", "the sender is not an active farmer");
    }

    private Rejection checkPledge(String endpoint, long capacityBytes, int assignedReplicas) {
        if (!ENDPOINT.matcher(endpoint).matches()) {
            return Rejection.of("invalid_endpoint", "endpoint must be HOST:PORT, got '" + endpoint
                    + "'");
        }
        if (capacityBytes < params.chunkSizeBytes()) {
            return Rejection.of("capacity_too_small", "pledge at least one chunk ("
                    + params.chunkSizeMb() + " MiB); got " + capacityBytes + " bytes");
        }
        if (capacityBytes / params.chunkSizeBytes() < assignedReplicas) {
            return Rejection.of("capacity_below_assigned", "the farmer holds " + assignedReplicas
                    + " replicas (" + assignedReplicas * params.chunkSizeMb()
                    + " MiB); the pledge cannot go below that");
        }
        return null;
    }

    private Rejection rent(Address sender, Account account, TxPayload.RentVolume r,
                           BlockContext block, boolean apply) {
        Rejection bad = checkDays(r.days(), 1);
        if (bad == null) {
            bad = checkName(sender, r.name());
        }
        if (bad == null) {
            bad = checkSpace(r.sizeMb());
        }
        if (bad != null) {
            return bad;
        }
        long mbSec = Math.multiplyExact(r.sizeMb(), r.days() * ChainParams.SECONDS_PER_DAY);
        long cost = Pricing.costUcnt(params, block.poolAtStartUcnt(), block.residualAtStartMbSec(),
                mbSec);
        Rejection unaffordable = checkCost(sender, account, cost, r.maxCostUcnt());
        if (unaffordable != null || !apply) {
            return unaffordable;
        }
        pay(sender, cost);
        Globals globals = state.globals();
        long id = globals.nextVolumeId();
        state.setGlobals(globals.withNextIds(globals.nextFarmerId(), globals.nextChunkId(), id + 1));
        List<SliceRef> slices = allocator.allocate(Math.toIntExact(r.sizeMb() * params.slicesPerMb()));
        leases.put(new Volume(id, sender, r.name(), r.sizeMb(), slices, block.nowSec(),
                block.nowSec() + r.days() * ChainParams.SECONDS_PER_DAY, Volume.Status.ACTIVE));
        return null;
    }

    private Rejection extend(Address sender, Account account, TxPayload.ExtendVolume e,
                             BlockContext block, boolean apply) {
        Volume volume = state.volume(e.volumeId());
        Rejection bad = checkOwned(sender, volume, e.volumeId());
        if (bad == null) {
            bad = checkDays(e.days(), 1);
        }
        if (bad != null) {
            return bad;
        }
        long newExpirySec = volume.expirySec() + e.days() * ChainParams.SECONDS_PER_DAY;
        long leaseSec = newExpirySec - block.nowSec();
        if (leaseSec > params.maxLeaseDays() * ChainParams.SECONDS_PER_DAY) {
            return Rejection.of("lease_too_long", "the lease would run "
                    + Math.ceilDiv(leaseSec, ChainParams.SECONDS_PER_DAY) + " days from now; at most "
                    + params.maxLeaseDays() + " days may be bought ahead");
        }
        if (leaseSec <= 0) {
            return Rejection.of("extension_too_short", "volume " + volume.id() + " expired "
                    + Math.ceilDiv(-leaseSec + 1, ChainParams.SECONDS_PER_DAY) + " days ago; extend "
                    + "it by more days than that to cover the gap");
        }
        long mbSec = Math.multiplyExact(volume.sizeMb(), e.days() * ChainParams.SECONDS_PER_DAY);
        long cost = Pricing.costUcnt(params, block.poolAtStartUcnt(), block.residualAtStartMbSec(),
                mbSec);
        Rejection unaffordable = checkCost(sender, account, cost, e.maxCostUcnt());
        if (unaffordable != null || !apply) {
            return unaffordable;
        }
        pay(sender, cost);
        leases.put(volume.withLease(newExpirySec, Volume.Status.ACTIVE));
        return null;
    }

    private Rejection resize(Address sender, Account account, TxPayload.ResizeVolume r,
                             BlockContext block, boolean apply) {
        Volume volume = state.volume(r.volumeId());
        Rejection bad = checkOwned(sender, volume, r.volumeId());
        if (bad != null) {
            return bad;
        }
        if (volume.status() != Volume.Status.ACTIVE) {
            return Rejection.of("volume_expired", "volume " + volume.id() + "'s lease expired; "
                    + "extend it before resizing");
        }
        if (r.newSizeMb() < 1 || r.newSizeMb() == volume.sizeMb()) {
            return Rejection.of("invalid_size", "new size must be at least 1 MB and differ from "
                    + "the current " + volume.sizeMb() + " MB");
        }
        long growMb = r.newSizeMb() - volume.sizeMb();
        if (growMb > 0) {
            Rejection noSpace = checkSpace(growMb);
            if (noSpace != null) {
                return noSpace;
            }
        }
        long mbSec = Math.multiplyExact(Math.max(0, growMb), volume.expirySec() - block.nowSec());
        long cost = Pricing.costUcnt(params, block.poolAtStartUcnt(), block.residualAtStartMbSec(),
                mbSec);
        Rejection unaffordable = checkCost(sender, account, cost, r.maxCostUcnt());
        if (unaffordable != null || !apply) {
            return unaffordable;
        }
        pay(sender, cost);
        List<SliceRef> slices = new ArrayList<>(volume.slices());
        int target = Math.toIntExact(r.newSizeMb() * params.slicesPerMb());
        if (growMb > 0) {
            slices.addAll(allocator.allocate(target - slices.size()));
        } else {
            List<SliceRef> tail = List.copyOf(slices.subList(target, slices.size()));
            slices.subList(target, slices.size()).clear();
            allocator.release(tail, block.nowSec());
        }
        leases.put(volume.withSlices(r.newSizeMb(), slices));
        return null;
    }

    private Rejection checkOwned(Address sender, Volume volume, long id) {
        if (volume == null) {
            return Rejection.of("unknown_volume", "no volume " + id + " (never rented, or "
                    + "released after its grace period ended)");
        }
        if (!volume.owner().equals(sender)) {
            return Rejection.of("not_owner", "volume " + id + " belongs to " + volume.owner());
        }
        return null;
    }

    private Rejection checkDays(int days, int min) {
        if (days < min) {
            return Rejection.of("invalid_days", "days must be at least " + min + ", got " + days);
        }
        if (days > params.maxLeaseDays()) {
            return Rejection.of("lease_too_long", "a lease is at most " + params.maxLeaseDays()
                    + " days, asked for " + days);
        }
        return null;
    }

    private Rejection checkName(Address owner, String name) {
        if (!VOLUME_NAME.matcher(name).matches()
                || name.getBytes(StandardCharsets.UTF_8).length > TxPayload.MAX_VOLUME_NAME_BYTES) {
            return Rejection.of("invalid_name", "volume names use letters, digits, '.', '_' and "
                    + "'-', at most 64; got '" + name + "'");
        }
        if (!name.isEmpty()) {
            for (Volume volume : state.volumesOf(owner)) {
                if (volume.name().equals(name)) {
                    return Rejection.of("name_taken", "you already have a volume named '" + name
                            + "' (id " + volume.id() + ")");
                }
            }
        }
        return null;
    }

    private Rejection checkSpace(long sizeMb) {
        if (sizeMb < 1 || sizeMb > (long) Volume.MAX_SLICES / params.slicesPerMb()) {
            return Rejection.of("invalid_size", "size must be 1 to "
                    + Volume.MAX_SLICES / params.slicesPerMb() + " MB, got " + sizeMb);
        }
        if (sizeMb * params.slicesPerMb() > allocator.freeSlices()) {
            return Rejection.of("no_space", "only " + allocator.freeMb() + " MB of the world disk "
                    + "is free to rent; asked for " + sizeMb + " MB");
        }
        return null;
    }

    private Rejection checkCost(Address sender, Account account, long cost, long maxCost) {
        if (cost == Pricing.UNAFFORDABLE) {
            return Rejection.of("no_space", "the world disk has no unsold space-time left");
        }
        if (cost > maxCost) {
            return Rejection.of("price_above_max", "this costs " + cost + " ucnt now, more than "
                    + "the transaction's maximum of " + maxCost + " ucnt; quote again");
        }
        return requireBalance(sender, account, cost, "pay");
    }

    private static Rejection requireBalance(Address sender, Account account, long amount,
                                            String verb) {
        if (account.balanceUcnt() < amount) {
            return Rejection.of("insufficient_balance", sender + " has " + account.balanceUcnt()
                    + " ucnt and cannot " + verb + " " + amount + " ucnt");
        }
        return null;
    }

    private void debit(Address sender, long amount) {
        Account account = state.account(sender);
        state.putAccount(sender, new Account(account.balanceUcnt() - amount, account.nonce()));
    }

    private void pay(Address sender, long cost) {
        debit(sender, cost);
        addToPool(cost);
    }

    private void addToPool(long amount) {
        Globals globals = state.globals();
        state.setGlobals(globals.withPool(Math.addExact(globals.poolUcnt(), amount)));
    }
}
