package org.cnt.chain.types;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.crypto.Address;

/** What a transaction asks the chain to do. Each kind has a fixed one-byte type code. */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(TxPayload.Transfer.class),
    @JsonSubTypes.Type(TxPayload.RegisterFarmer.class),
    @JsonSubTypes.Type(TxPayload.UpdateFarmer.class), @JsonSubTypes.Type(TxPayload.ExitFarmer.class),
    @JsonSubTypes.Type(TxPayload.RentVolume.class), @JsonSubTypes.Type(TxPayload.ExtendVolume.class),
    @JsonSubTypes.Type(TxPayload.ResizeVolume.class), @JsonSubTypes.Type(TxPayload.Donate.class),
    @JsonSubTypes.Type(TxPayload.ServiceReport.class),
    @JsonSubTypes.Type(TxPayload.SpaceProof.class)})
public sealed interface TxPayload {
    int MAX_ENDPOINT_BYTES = 255;
    int MAX_VOLUME_NAME_BYTES = 64;
    long MAX_AMOUNT = Long.MAX_VALUE;

    @JsonIgnore
    int typeCode();

    void encodeBody(CanonicalWriter out);

    /** Moves {@code amountUcnt} from the sender to {@code to}. */
    record Transfer(Address to, long amountUcnt) implements TxPayload {
        public int typeCode() {
            return 1;
        }

        public void encodeBody(CanonicalWriter out) {
            out.fixed(to.toBytes()).u64(amountUcnt);
        }
    }

    /** Registers the sender as a farmer serving at {@code endpoint} with pledged capacity. */
    record RegisterFarmer(String endpoint, long capacityBytes) implements TxPayload {
        public int typeCode() {
            return 2;
        }

        public void encodeBody(CanonicalWriter out) {
            out.string(endpoint).u64(capacityBytes);
        }
    }

    /** Changes the sender farmer's endpoint or pledge (never below what is assigned). */
    record UpdateFarmer(String endpoint, long capacityBytes) implements TxPayload {
        public int typeCode() {
            return 3;
        }

        public void encodeBody(CanonicalWriter out) {
            out.string(endpoint).u64(capacityBytes);
        }
    }

    /** Withdraws the sender farmer; its replicas are reassigned. */
    record ExitFarmer() implements TxPayload {
        public int typeCode() {
            return 4;
        }

        public void encodeBody(CanonicalWriter out) {
        }
    }

    /** Rents {@code sizeMb} MB for {@code days} days, paying at most {@code maxCostUcnt}. */
    record RentVolume(String name, long sizeMb, int days, long maxCostUcnt) implements TxPayload {
        public int typeCode() {
            return 5;
        }

        public void encodeBody(CanonicalWriter out) {
            out.string(name).u64(sizeMb).u32(days).u64(maxCostUcnt);
        }
    }

    /** Lengthens a lease by {@code days}; inside the grace period it also pays for the gap. */
    record ExtendVolume(long volumeId, int days, long maxCostUcnt) implements TxPayload {
        public int typeCode() {
            return 6;
        }

        public void encodeBody(CanonicalWriter out) {
            out.u64(volumeId).u32(days).u64(maxCostUcnt);
        }
    }

    /** Grows (paying for the rest of the lease) or shrinks (no refund) a volume. */
    record ResizeVolume(long volumeId, long newSizeMb, long maxCostUcnt) implements TxPayload {
        public int typeCode() {
            return 7;
        }

        public void encodeBody(CanonicalWriter out) {
            out.u64(volumeId).u64(newSizeMb).u64(maxCostUcnt);
        }
    }

    /** Gives {@code amountUcnt} to the rent pool. */
    record Donate(long amountUcnt) implements TxPayload {
        public int typeCode() {
            return 8;
        }

        public void encodeBody(CanonicalWriter out) {
            out.u64(amountUcnt);
        }
    }

    /**
     * A client reports a member of a chunk it has slices in: {@code bad_data} (a reply that did
     * not verify against the certified root) or {@code unavailable}.
     */
    record ServiceReport(long farmerId, long chunkId, String reason) implements TxPayload {
        public static final java.util.Set<String> REASONS = java.util.Set.of("bad_data",
                "unavailable");
        public static final int MAX_REASON_BYTES = 32;

        public int typeCode() {
            return 9;
        }

        public void encodeBody(CanonicalWriter out) {
            out.u64(farmerId).u64(chunkId).string(reason);
        }
    }

    /**
     * A copy group's proof for one chunk and round (DESIGN.md "Space proofs"): the members a
     * quorum of the group found holding their challenged bytes. Any member may submit it.
     */
    record SpaceProof(org.cnt.chain.proof.ProofCertificate certificate) implements TxPayload {
        public int typeCode() {
            return 10;
        }

        public void encodeBody(CanonicalWriter out) {
            certificate.encode(out);
        }
    }

    static TxPayload decode(int typeCode, CanonicalReader in) throws CodecException {
        return switch (typeCode) {
            case 1 -> new Transfer(Address.wrap(in.fixed(Address.SIZE_BYTES, "to")),
                    in.u64Max("amount", MAX_AMOUNT));
            case 2 -> new RegisterFarmer(in.string(MAX_ENDPOINT_BYTES, "endpoint"),
                    in.u64Max("capacity", MAX_AMOUNT));
            case 3 -> new UpdateFarmer(in.string(MAX_ENDPOINT_BYTES, "endpoint"),
                    in.u64Max("capacity", MAX_AMOUNT));
            case 4 -> new ExitFarmer();
            case 5 -> new RentVolume(in.string(MAX_VOLUME_NAME_BYTES, "volume name"),
                    in.u64Max("size", MAX_AMOUNT), in.u32("days"), in.u64Max("max cost", MAX_AMOUNT));
            case 6 -> new ExtendVolume(in.u64Max("volume id", MAX_AMOUNT), in.u32("days"),
                    in.u64Max("max cost", MAX_AMOUNT));
            case 7 -> new ResizeVolume(in.u64Max("volume id", MAX_AMOUNT),
                    in.u64Max("size", MAX_AMOUNT), in.u64Max("max cost", MAX_AMOUNT));
            case 8 -> new Donate(in.u64Max("amount", MAX_AMOUNT));
            case 9 -> new ServiceReport(in.u64Max("farmer id", MAX_AMOUNT),
                    in.u64Max("chunk id", MAX_AMOUNT),
                    in.string(ServiceReport.MAX_REASON_BYTES, "report reason"));
            case 10 -> new SpaceProof(org.cnt.chain.proof.ProofCertificate.decode(in));
            default -> throw new CodecException("unknown transaction type " + typeCode);
        };
    }
}
