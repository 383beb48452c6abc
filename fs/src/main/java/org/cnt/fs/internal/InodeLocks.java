package org.cnt.fs.internal;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Per-inode read-write locks, striped over a fixed table (memory bounded however many files
 * there are). Several inodes are locked in stripe order, so two operations that lock the same
 * inodes never wait for each other in a cycle.
 */
final class InodeLocks {
    private static final int STRIPES = 4096;
    private final ReentrantReadWriteLock[] stripes = new ReentrantReadWriteLock[STRIPES];

    InodeLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantReadWriteLock();
        }
    }

    /** Held locks, released by {@link #close}. */
    final class Held implements AutoCloseable {
        private final int[] order;
        private final boolean write;

        private Held(int[] order, boolean write) {
            this.order = order;
            this.write = write;
        }

        @Override
        public void close() {
            for (int i = order.length - 1; i >= 0; i--) {
                if (write) {
                    stripes[order[i]].writeLock().unlock();
                } else {
                    stripes[order[i]].readLock().unlock();
                }
            }
        }
    }

    Held read(long inode) {
        int stripe = stripe(inode);
        stripes[stripe].readLock().lock();
        return new Held(new int[] {stripe}, false);
    }

    /** Write-locks every inode given (0s are skipped), in stripe order. */
    Held write(long... inodes) {
        int[] order = Arrays.stream(inodes).filter(n -> n > 0).mapToInt(InodeLocks::stripe)
                .distinct().sorted().toArray();
        for (int stripe : order) {
            stripes[stripe].writeLock().lock();
        }
        return new Held(order, true);
    }

    private static int stripe(long inode) {
        return (int) Long.remainderUnsigned(inode * 0x9E3779B97F4A7C15L >>> 20, STRIPES);
    }
}
