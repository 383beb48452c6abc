package org.cnt.chain.types;

import java.util.List;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.Encodable;
import org.cnt.chain.crypto.Address;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.PublicKey;

/**
 * What a chain starts from: its parameters, the block producer's key, the start time and the
 * initial balances. Its hash is the chain id that every transaction signs.
 */
public record Genesis(String network, ChainParams params, PublicKey producer, long timestampMs,
                      List<Allocation> allocations) implements Encodable {

    /** An initial balance. */
    public record Allocation(Address address, long balanceUcnt) {
    }

    public Genesis {
        allocations = List.copyOf(allocations);
        if (network == null || network.isBlank() || network.length() > 64) {
            throw new IllegalArgumentException("network name must be 1..64 characters: " + network);
        }
        for (Allocation allocation : allocations) {
            if (allocation.balanceUcnt() < 0) {
                throw new IllegalArgumentException("negative genesis balance for "
                        + allocation.address());
            }
        }
    }

    public Hash chainId() {
        return Hash.sha256(toBytes());
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u8(0x47).u8(1).string(network).write(params).fixed(producer.toBytes()).u64(timestampMs)
                .u32(allocations.size());
        for (Allocation allocation : allocations) {
            out.fixed(allocation.address().toBytes()).u64(allocation.balanceUcnt());
        }
    }
}
