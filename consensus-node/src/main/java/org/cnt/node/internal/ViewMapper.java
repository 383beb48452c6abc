package org.cnt.node.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.Address;
import org.cnt.chain.types.Account;
import org.cnt.chain.types.Amounts;
import org.cnt.chain.types.Block;
import org.cnt.chain.types.BlockHeader;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Chunk;
import org.cnt.chain.types.Farmer;
import org.cnt.chain.types.Figures;
import org.cnt.chain.types.SliceRef;
import org.cnt.chain.types.Tx;
import org.cnt.chain.types.Volume;

/** Turns chain state into the API's JSON views. Runs on the chain thread. */
final class ViewMapper {
    private final ChainCore core;

    ViewMapper(ChainCore core) {
        this.core = core;
    }

    Views.Status status() {
        BlockHeader head = core.head().header();
        Figures figures = head.figures();
        ChainParams params = core.ledger.params;
        BlockContext next = core.ledger.preview(head.height() + 1);
        return new Views.Status(core.genesis.network(), core.chainId(), head.height(), head.hash(),
                head.stateRoot(), head.timestampMs(), figures,
                figures.sellableMbSec(params.maxLeaseDays()),
                figures.residualMbSec(params.maxLeaseDays()),
                finite(Pricing.priceUcntPerMd(params, next.poolAtStartUcnt(),
                        next.residualAtStartMbSec())),
                core.mempoolSize(), head.producer(), params,
                core.ledger.state.globals().roundHeight(), core.ledger.state.globals().roundSeed());
    }

    static Views.Block block(Block block) {
        BlockHeader header = block.header();
        List<Views.Tx> txs = new ArrayList<>(block.txs().size());
        for (Tx tx : block.txs()) {
            txs.add(new Views.Tx(tx.id(), tx.senderAddress(), tx.nonce(), tx.payload()));
        }
        return new Views.Block(header.height(), header.hash(), header.previousHash(),
                header.timestampMs(), header.txRoot(), header.stateRoot(), header.figures(),
                header.producer(), HexFormat.of().formatHex(header.signature()), txs);
    }

    Views.Account account(Address address) {
        Account account = core.ledger.state.account(address);
        return new Views.Account(address, account.balanceUcnt(),
                Amounts.format(account.balanceUcnt()), account.nonce(),
                account.nonce() + core.mempool.pendingOf(address));
    }

    List<Views.Farmer> farmers() {
        List<Views.Farmer> views = new ArrayList<>();
        for (Farmer farmer : core.ledger.state.farmers().values()) {
            views.add(farmer(farmer));
        }
        return views;
    }

    Views.Farmer farmer(Farmer farmer) {
        return new Views.Farmer(farmer.id(), farmer.key().address(), farmer.key(),
                farmer.endpoint(), farmer.capacityBytes(), farmer.replicaSlots(core.ledger.params),
                farmer.assignedReplicas(), farmer.status().name().toLowerCase(),
                farmer.registeredHeight(), farmer.serviceReports(),
                List.copyOf(core.ledger.state.chunksOf(farmer.id())),
                farmer.standing().proofsPassed(), farmer.standing().proofsMissed(),
                farmer.standing().missStreak(), farmer.standing().earnedUcnt(),
                farmer.standing().badDataReporters());
    }

    Views.Chunk chunk(Chunk chunk) {
        return chunk(chunk, leasesByChunk().getOrDefault(chunk.id(), List.of()));
    }

    private Views.Chunk chunk(Chunk chunk, List<Views.SliceLease> leases) {
        ChunkProof proof = core.ledger.state.proof(chunk.id());
        long provenRound = proof == null ? -1 : proof.provenRound();
        long provenEpoch = proof == null ? -1 : proof.provenEpoch();
        List<Long> proven = proof == null ? List.of()
                : java.util.Arrays.stream(proof.proven()).boxed().toList();
        return new Views.Chunk(chunk.id(), chunk.members(), chunk.epoch(),
                chunk.isFull(core.ledger.params), chunk.freshSlices(), leases, provenRound,
                provenEpoch, proven);
    }

    List<Views.Chunk> chunks() {
        Map<Long, List<Views.SliceLease>> leases = leasesByChunk();
        List<Views.Chunk> views = new ArrayList<>();
        for (Chunk chunk : core.ledger.state.chunks().values()) {
            views.add(chunk(chunk, leases.getOrDefault(chunk.id(), List.of())));
        }
        return views;
    }

    /** One pass over the volumes; the chain keeps no slice index because nothing else needs it. */
    private Map<Long, List<Views.SliceLease>> leasesByChunk() {
        Map<Long, List<Views.SliceLease>> byChunk = new HashMap<>();
        for (Volume volume : core.ledger.state.volumes().values()) {
            for (SliceRef slice : volume.slices()) {
                byChunk.computeIfAbsent(slice.chunkId(), id -> new ArrayList<>()).add(
                        new Views.SliceLease(slice.index(), volume.id(), volume.owner(),
                                volume.expirySec()));
            }
        }
        byChunk.values().forEach(list -> list.sort(
                java.util.Comparator.comparingInt(Views.SliceLease::slice)));
        return byChunk;
    }

    Views.Volume volume(Volume volume) {
        return new Views.Volume(volume.id(), volume.owner(), volume.name(), volume.sizeMb(),
                volume.createdSec(), volume.expirySec(), core.ledger.leases.graceEndSec(volume),
                volume.status().name().toLowerCase(), volume.slices());
    }

    List<Views.Volume> volumesOf(Address owner) {
        List<Views.Volume> views = new ArrayList<>();
        for (Volume volume : core.ledger.state.volumesOf(owner)) {
            views.add(volume(volume));
        }
        return views;
    }

    Views.Quote quote(long sizeMb, int days) {
        ChainParams params = core.ledger.params;
        BlockContext next = core.ledger.preview(core.head().height() + 1);
        long mbSec = Math.multiplyExact(sizeMb, days * ChainParams.SECONDS_PER_DAY);
        long cost = Pricing.costUcnt(params, next.poolAtStartUcnt(), next.residualAtStartMbSec(),
                mbSec);
        boolean available = cost != Pricing.UNAFFORDABLE;
        return new Views.Quote(sizeMb, days,
                finite(Pricing.priceUcntPerMd(params, next.poolAtStartUcnt(),
                        next.residualAtStartMbSec())),
                available ? cost : null, available ? Amounts.format(cost) : null,
                core.ledger.allocator.freeMb());
    }

    private static Double finite(double price) {
        return Double.isFinite(price) ? price : null;
    }
}
