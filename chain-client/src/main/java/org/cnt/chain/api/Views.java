package org.cnt.chain.api;

import java.util.List;
import org.cnt.chain.crypto.Address;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Figures;
import org.cnt.chain.types.SliceRef;
import org.cnt.chain.types.TxPayload;

/**
 * The JSON bodies of the consensus node's HTTP API. The node writes them and {@link NodeClient}
 * reads them, so both sides share one definition. Amounts are integers in ucnt; fields ending in
 * {@code Cnt} repeat them as decimal strings for people reading curl output.
 */
public final class Views {
    private Views() {
    }

    /**
     * GET /status. The price is null while the world disk has nothing to sell. The open proof
     * round (0 before the first) takes space proofs on its seed until the next one opens.
     */
    public record Status(String network, Hash chainId, long height, Hash headHash, Hash stateRoot,
                         long timestampMs, Figures figures, long sellableMbSec, long residualMbSec,
                         Double priceUcntPerMd, int mempoolSize, PublicKey producer,
                         ChainParams params, long proofRoundHeight, Hash proofRoundSeed) {
    }

    /** GET /blocks/{height or hash}. */
    public record Block(long height, Hash hash, Hash previousHash, long timestampMs, Hash txRoot,
                        Hash stateRoot, Figures figures, PublicKey producer, String signature,
                        List<Tx> txs) {
    }

    /** A transaction inside a block. */
    public record Tx(Hash id, Address sender, long nonce, TxPayload payload) {
    }

    /** GET /accounts/{address}. {@code nextNonce} counts the sender's pending transactions. */
    public record Account(Address address, long balanceUcnt, String balanceCnt, long nonce,
                          long nextNonce) {
    }

    /**
     * GET /farmers and /farmers/{id}. Proofs count replica-rounds; {@code missStreak} is the
     * consecutive rounds with a miss; {@code earnedUcnt} is rent and mining paid to it.
     */
    public record Farmer(long id, Address address, PublicKey key, String endpoint,
                         long capacityBytes, int replicaSlots, int assignedReplicas, String status,
                         long registeredHeight, long serviceReports, List<Long> chunks,
                         long proofsPassed, long proofsMissed, int missStreak, long earnedUcnt,
                         int badDataReporters) {
    }

    /**
     * GET /chunks and /chunks/{id}: the copy group (farmer ids in member order) and the leases on
     * the chunk's slices, which its members enforce on every write.
     */
    public record Chunk(long id, List<Long> members, long epoch, boolean full, int freshSlices,
                        List<SliceLease> leases, long provenRound, long provenEpoch,
                        List<Long> proven) {
        /**
         * What a user sees of its health: "under-replicated" (a member left and no farmer has
         * room yet), "repairing" (a new member is catching up: no proof from this group yet),
         * "new" (no proof yet), or "proven".
         */
        public String health() {
            if (!full) {
                return "under-replicated";
            }
            if (provenEpoch == epoch) {
                return "proven";
            }
            return epoch > org.cnt.chain.types.Chunk.FIRST_EPOCH ? "repairing" : "new";
        }
    }

    /** A volume's hold on one slice of a chunk; an expired lease locks the slice. */
    public record SliceLease(int slice, long volumeId, Address owner, long expirySec) {
    }

    /** GET /volumes/{id} and /volumes?owner=. */
    public record Volume(long id, Address owner, String name, long sizeMb, long createdSec,
                         long expirySec, long graceEndsSec, String status, List<SliceRef> slices) {
    }

    /**
     * GET /quote?sizeMb=&days=: what renting now costs, at the price of the next block. Price and
     * cost are null when no space-time is left to sell.
     */
    public record Quote(long sizeMb, int days, Double priceUcntPerMd, Long costUcnt,
                        String costCnt, long freeMb) {
    }

    /** POST /tx answer. */
    public record Submitted(Hash txId) {
    }

    /** GET /tx/{id}: pending, included (with its height), dropped (with why) or unknown. */
    public record TxStatus(Hash txId, String status, Long height, String error, String detail) {
    }

    /** GET /health. */
    public record Health(String status, long height, long headAgeMs) {
    }

    /** Every 4xx/5xx body. */
    public record Error(String error, String detail) {
    }

    /** POST /tx body: the canonical encoding of a signed transaction, in hex. */
    public record SubmitTx(String tx) {
    }
}
