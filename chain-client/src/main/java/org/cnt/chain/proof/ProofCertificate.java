package org.cnt.chain.proof;

import java.util.Map;
import java.util.TreeMap;
import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.crypto.Signature;

/**
 * A statement with the signatures of the group members who made it: what a space-proof
 * transaction carries. It holds when at least {@code quorum} members of the group (by the
 * chain's chunk map) signed that very statement; signatures of others, or bad ones, count for
 * nothing. With a group of {@code 3f + 1} and a quorum of {@code 2f + 1}, up to {@code f}
 * colluding members cannot certify a member that lacks the data: every honest member leaves it
 * out.
 */
public record ProofCertificate(ProofStatement statement, Map<Long, byte[]> signatures) {
    public ProofCertificate {
        if (statement.agreeing().length > MAX_MEMBERS || signatures.size() > MAX_SIGNATURES) {
            throw new IllegalArgumentException("a proof names at most " + MAX_MEMBERS
                    + " members and carries at most " + MAX_SIGNATURES + " signatures");
        }
        for (byte[] signature : signatures.values()) {
            if (signature.length != Signature.SIZE_BYTES) {
                throw new IllegalArgumentException("a signature is " + Signature.SIZE_BYTES
                        + " bytes, not " + signature.length);
            }
        }
        signatures = Map.copyOf(new TreeMap<>(signatures));
    }

    /** How many members of {@code group} (farmer id to key) signed the statement validly. */
    public int validSigners(Map<Long, PublicKey> group) {
        byte[] message = statement.signingBytes();
        int valid = 0;
        for (Map.Entry<Long, byte[]> signature : signatures.entrySet()) {
            PublicKey key = group.get(signature.getKey());
            if (key != null && key.verify(message, signature.getValue())) {
                valid++;
            }
        }
        return valid;
    }

    /** At most this many members named (the largest group). */
    public static final int MAX_MEMBERS = 64;
    /** At most this many signatures carried: a quorum of the largest group is enough. */
    public static final int MAX_SIGNATURES = 2 * MAX_MEMBERS / 3 + 1;

    /** The canonical encoding a space-proof transaction carries. */
    public void encode(CanonicalWriter out) {
        out.u64(statement.chunkId()).u64(statement.roundHeight()).fixed(statement.seed().toBytes())
                .u8(statement.agreeing().length);
        for (long farmer : statement.agreeing()) {
            out.u64(farmer);
        }
        out.u8(signatures.size());
        for (Map.Entry<Long, byte[]> signature : new TreeMap<>(signatures).entrySet()) {
            out.u64(signature.getKey()).fixed(signature.getValue());
        }
    }

    /** Refuses unsorted or repeated members, too many of them, and signatures of odd size. */
    public static ProofCertificate decode(CanonicalReader in) throws CodecException {
        long chunk = in.u64Max("chunk id", Long.MAX_VALUE);
        long round = in.u64Max("round height", Long.MAX_VALUE);
        Hash seed = Hash.wrap(in.fixed(Hash.SIZE_BYTES, "seed"));
        int named = in.u8("agreeing count");
        if (named > MAX_MEMBERS) {
            throw new CodecException("a proof names at most " + MAX_MEMBERS + " members, not "
                    + named);
        }
        long[] agreeing = new long[named];
        for (int i = 0; i < named; i++) {
            agreeing[i] = in.u64Max("agreeing member", Long.MAX_VALUE);
            if (i > 0 && agreeing[i] <= agreeing[i - 1]) {
                throw new CodecException("a proof's members must be sorted and distinct");
            }
        }
        int signed = in.u8("signature count");
        if (signed > MAX_SIGNATURES) {
            throw new CodecException("a proof carries at most " + MAX_SIGNATURES
                    + " signatures, not " + signed);
        }
        Map<Long, byte[]> signatures = new TreeMap<>();
        for (int i = 0; i < signed; i++) {
            long farmer = in.u64Max("signer", Long.MAX_VALUE);
            if (signatures.put(farmer, in.fixed(Signature.SIZE_BYTES, "signature")) != null) {
                throw new CodecException("farmer " + farmer + " signed a proof twice");
            }
        }
        return new ProofCertificate(new ProofStatement(chunk, round, seed, agreeing), signatures);
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof ProofCertificate c) || !statement.equals(c.statement)
                || !signatures.keySet().equals(c.signatures.keySet())) {
            return false;
        }
        for (Map.Entry<Long, byte[]> signature : signatures.entrySet()) {
            if (!java.util.Arrays.equals(signature.getValue(), c.signatures.get(signature.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return statement.hashCode() * 31 + signatures.keySet().hashCode();
    }

    /** Whether a quorum of {@code group} vouches for the statement. */
    public boolean holds(Map<Long, PublicKey> group, int quorum) {
        return validSigners(group) >= quorum;
    }
}
