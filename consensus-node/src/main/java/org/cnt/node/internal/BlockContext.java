package org.cnt.node.internal;

/**
 * What every transaction of one block sees alike: the block time and the pricing inputs taken at
 * the start of the block, so the price is fixed within a block (DESIGN.md, "Rent").
 */
record BlockContext(long height, long nowSec, long poolAtStartUcnt, long residualAtStartMbSec,
                    long consumedMbSec) {
}
