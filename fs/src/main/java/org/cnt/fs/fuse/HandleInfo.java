package org.cnt.fs.fuse;

import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.cryptomator.jfuse.api.FileInfo;

/** A {@link FileInfo} that is only its handle and open flags (what the adapter uses). */
class HandleInfo implements FileInfo {
    private long fh;
    private final int flags;

    HandleInfo(long fh, int flags) {
        this.fh = fh;
        this.flags = flags;
    }

    @Override
    public long getFh() {
        return fh;
    }

    @Override
    public void setFh(long value) {
        fh = value;
    }

    @Override
    public int getFlags() {
        return flags;
    }

    @Override
    public Set<StandardOpenOption> getOpenFlags() {
        return Set.of();
    }

    @Override
    public long getLockOwner() {
        return 0;
    }
}
