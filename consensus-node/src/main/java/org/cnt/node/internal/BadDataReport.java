package org.cnt.node.internal;

import org.cnt.chain.crypto.Address;

/** That {@code reporter}, a client, reported farmer {@code farmerId} for serving bad data. */
record BadDataReport(long farmerId, Address reporter) {
}
