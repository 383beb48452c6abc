package org.cnt.fs.internal;

import org.cnt.blockdev.BlockDevice;

/** In-memory devices for tests outside this package. */
public final class TestDevices {
    public BlockDevice memory(long sizeBytes) {
        return new MemoryDevice(sizeBytes);
    }
}
