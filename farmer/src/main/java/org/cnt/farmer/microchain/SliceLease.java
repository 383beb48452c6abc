package org.cnt.farmer.microchain;

import org.cnt.chain.crypto.Address;

/** Who may write a slice, for which volume, until when: what the main chain says of it. */
public record SliceLease(long volumeId, Address owner, long expirySec) {
}
