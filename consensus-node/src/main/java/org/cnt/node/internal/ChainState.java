package org.cnt.node.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.codec.Encodable;
import org.cnt.chain.crypto.Address;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.types.Account;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Chunk;
import org.cnt.chain.types.Farmer;
import org.cnt.chain.types.Volume;

/**
 * The main-chain state in memory: accounts, farmers, the chunk map, volumes and freed slices,
 * with the indexes the transition needs. Every change goes through a setter that marks the
 * entry dirty; {@link #commit()} turns the dirty entries into the block's write set and updates
 * the state root. Owned by one thread (the chain thread); not thread-safe.
 */
final class ChainState {
    final ChainParams params;
    private final Map<Address, Account> accounts = new HashMap<>();
    private final NavigableMap<Long, Farmer> farmers = new TreeMap<>();
    private final Map<PublicKey, Long> farmerByKey = new HashMap<>();
    private final NavigableMap<Long, Chunk> chunks = new TreeMap<>();
    private final Map<Long, TreeSet<Long>> chunksOfFarmer = new HashMap<>();
    private final NavigableMap<Long, Volume> volumes = new TreeMap<>();
    private final Map<Address, TreeSet<Long>> volumesOfOwner = new HashMap<>();
    private final TreeSet<FreedSlice> freedSlices = new TreeSet<>();
    private final NavigableMap<Long, ChunkProof> proofs = new TreeMap<>();
    private final Set<BadDataReport> badDataReports = new HashSet<>();
    private Globals globals = Globals.GENESIS;

    private final Set<Address> dirtyAccounts = new HashSet<>();
    private final Set<Long> dirtyFarmers = new HashSet<>();
    private final Set<Long> dirtyChunks = new HashSet<>();
    private final Set<Long> dirtyVolumes = new HashSet<>();
    private final Set<FreedSlice> dirtyFreed = new HashSet<>();
    private final Set<Long> dirtyProofs = new HashSet<>();
    private final Set<BadDataReport> dirtyReports = new HashSet<>();
    private boolean dirtyGlobals = true;
    private final StateTree tree = new StateTree();

    ChainState(ChainParams params) {
        this.params = params;
    }

    // ---- accounts

    Account account(Address address) {
        return accounts.getOrDefault(address, Account.EMPTY);
    }

    void putAccount(Address address, Account account) {
        accounts.put(address, account);
        dirtyAccounts.add(address);
    }

    int accountCount() {
        return accounts.size();
    }

    Map<Address, Account> accountsView() {
        return java.util.Collections.unmodifiableMap(accounts);
    }

    // ---- farmers

    Farmer farmer(long id) {
        return farmers.get(id);
    }

    Long farmerIdOf(PublicKey key) {
        return farmerByKey.get(key);
    }

    NavigableMap<Long, Farmer> farmers() {
        return java.util.Collections.unmodifiableNavigableMap(farmers);
    }

    void putFarmer(Farmer farmer) {
        farmers.put(farmer.id(), farmer);
        farmerByKey.put(farmer.key(), farmer.id());
        dirtyFarmers.add(farmer.id());
    }

    TreeSet<Long> chunksOf(long farmerId) {
        return chunksOfFarmer.computeIfAbsent(farmerId, id -> new TreeSet<>());
    }

    // ---- chunks

    Chunk chunk(long id) {
        return chunks.get(id);
    }

    NavigableMap<Long, Chunk> chunks() {
        return java.util.Collections.unmodifiableNavigableMap(chunks);
    }

    /** Also keeps the farmer-to-chunks index in step with the membership. */
    void putChunk(Chunk chunk) {
        Chunk old = chunks.put(chunk.id(), chunk);
        if (old != null) {
            for (long member : old.members()) {
                chunksOf(member).remove(old.id());
            }
        }
        for (long member : chunk.members()) {
            chunksOf(member).add(chunk.id());
        }
        dirtyChunks.add(chunk.id());
    }

    // ---- volumes

    Volume volume(long id) {
        return volumes.get(id);
    }

    NavigableMap<Long, Volume> volumes() {
        return java.util.Collections.unmodifiableNavigableMap(volumes);
    }

    List<Volume> volumesOf(Address owner) {
        List<Volume> result = new ArrayList<>();
        for (long id : volumesOfOwner.getOrDefault(owner, new TreeSet<>())) {
            result.add(volumes.get(id));
        }
        return result;
    }

    void putVolume(Volume volume) {
        volumes.put(volume.id(), volume);
        volumesOfOwner.computeIfAbsent(volume.owner(), o -> new TreeSet<>()).add(volume.id());
        dirtyVolumes.add(volume.id());
    }

    void removeVolume(long id) {
        Volume old = volumes.remove(id);
        if (old != null) {
            volumesOfOwner.get(old.owner()).remove(id);
            dirtyVolumes.add(id);
        }
    }

    // ---- freed slices

    TreeSet<FreedSlice> freedSlices() {
        return freedSlices;
    }

    void addFreed(FreedSlice slice) {
        freedSlices.add(slice);
        dirtyFreed.add(slice);
    }

    void removeFreed(FreedSlice slice) {
        freedSlices.remove(slice);
        dirtyFreed.add(slice);
    }

    // ---- proofs and reports

    ChunkProof proof(long chunkId) {
        return proofs.get(chunkId);
    }

    NavigableMap<Long, ChunkProof> proofsView() {
        return java.util.Collections.unmodifiableNavigableMap(proofs);
    }

    Set<BadDataReport> badDataReportsView() {
        return java.util.Collections.unmodifiableSet(badDataReports);
    }

    void putProof(ChunkProof proof) {
        proofs.put(proof.chunkId(), proof);
        dirtyProofs.add(proof.chunkId());
    }

    /** Records that a client reported a farmer for bad data; false if it had already. */
    boolean addBadDataReport(BadDataReport report) {
        if (!badDataReports.add(report)) {
            return false;
        }
        dirtyReports.add(report);
        return true;
    }

    // ---- globals

    Globals globals() {
        return globals;
    }

    void setGlobals(Globals updated) {
        globals = updated;
        dirtyGlobals = true;
    }

    // ---- commit and load

    /** The entries this block changed, in key order; a null value is a deletion. */
    Map<byte[], byte[]> commit() {
        Map<byte[], byte[]> writes = new LinkedHashMap<>();
        for (Address address : dirtyAccounts) {
            record(writes, StateKeys.account(address), accounts.get(address));
        }
        for (long id : dirtyFarmers) {
            record(writes, StateKeys.farmer(id), farmers.get(id));
        }
        for (long id : dirtyChunks) {
            record(writes, StateKeys.chunk(id), chunks.get(id));
        }
        for (long id : dirtyVolumes) {
            record(writes, StateKeys.volume(id), volumes.get(id));
        }
        for (FreedSlice slice : dirtyFreed) {
            record(writes, StateKeys.freedSlice(slice),
                    freedSlices.contains(slice) ? EMPTY_VALUE : null);
        }
        for (long id : dirtyProofs) {
            record(writes, StateKeys.chunkProof(id), proofs.get(id));
        }
        for (BadDataReport report : dirtyReports) {
            record(writes, StateKeys.badDataReport(report), EMPTY_VALUE);
        }
        if (dirtyGlobals) {
            record(writes, StateKeys.globals(), globals);
        }
        markLoaded();
        return writes;
    }

    private static final Encodable EMPTY_VALUE = out -> { };

    private void record(Map<byte[], byte[]> writes, byte[] key, Encodable value) {
        if (value == null) {
            tree.remove(key);
            writes.put(key, null);
        } else {
            byte[] bytes = value.toBytes();
            tree.put(key, bytes);
            writes.put(key, bytes);
        }
    }

    Hash stateRoot() {
        return tree.root();
    }

    int entryCount() {
        return tree.size();
    }

    /** Rebuilds the state and its indexes from stored entries, as written by {@link #commit()}. */
    void load(byte[] key, byte[] value) throws CodecException {
        CanonicalReader in = CanonicalReader.of(value);
        CanonicalReader keyIn = CanonicalReader.of(key);
        int kind = keyIn.u8("state key kind");
        switch (kind) {
            case StateKeys.GLOBALS -> globals = Globals.decode(in);
            case StateKeys.ACCOUNT -> accounts.put(
                    Address.wrap(keyIn.fixed(Address.SIZE_BYTES, "address")), Account.decode(in));
            case StateKeys.FARMER -> {
                Farmer farmer = Farmer.decode(in);
                farmers.put(farmer.id(), farmer);
                farmerByKey.put(farmer.key(), farmer.id());
            }
            case StateKeys.CHUNK -> putChunk(Chunk.decode(in));
            case StateKeys.VOLUME -> putVolume(Volume.decode(in));
            case StateKeys.FREED_SLICE -> freedSlices.add(new FreedSlice(keyIn.u64("since"),
                    keyIn.u64("chunk"), keyIn.u32("slice")));
            case StateKeys.CHUNK_PROOF -> {
                ChunkProof proof = ChunkProof.decode(in);
                proofs.put(proof.chunkId(), proof);
            }
            case StateKeys.BAD_DATA_REPORT -> badDataReports.add(new BadDataReport(
                    keyIn.u64("farmer"), Address.wrap(keyIn.fixed(Address.SIZE_BYTES, "reporter"))));
            default -> throw new CodecException("unknown state entry kind " + kind);
        }
        in.finish("state entry");
        tree.put(key, value);
    }

    /** Nothing is dirty: after a load or a commit the store holds every entry. */
    void markLoaded() {
        dirtyAccounts.clear();
        dirtyFarmers.clear();
        dirtyChunks.clear();
        dirtyVolumes.clear();
        dirtyFreed.clear();
        dirtyProofs.clear();
        dirtyReports.clear();
        dirtyGlobals = false;
    }
}
