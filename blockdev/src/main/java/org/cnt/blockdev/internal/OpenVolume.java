package org.cnt.blockdev.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.cnt.blockdev.BlockDevice;
import org.cnt.blockdev.VolumeConfig;
import org.cnt.blockdev.VolumeKey;
import org.cnt.chain.api.NodeApiException;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.ChainParams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rented volume opened as a block device: the exclusive session on its chunks, the write-back
 * log in its cache directory (replayed if the last client crashed), encryption, and the read
 * cache. Thread-safe: calls are serialised (the page store underneath keeps the network busy).
 */
public final class OpenVolume implements BlockDevice {
    private static final Logger log = LoggerFactory.getLogger(OpenVolume.class);
    /** How long a session lease runs; it is renewed every third of that. */
    static final long SESSION_LEASE_SEC = 60;
    private static final long SEGMENT_BYTES = 16L << 20;

    private final VolumeMap map;
    private final Replicas replicas;
    private final CacheDir cacheDir;
    private final VolumeSession session;
    private final WriteBackStore store;
    private final PagedDevice device;
    private final ScheduledExecutorService renewer;
    private boolean closed;

    private OpenVolume(VolumeMap map, Replicas replicas, CacheDir cacheDir, VolumeSession session,
                       WriteBackStore store) {
        this.map = map;
        this.replicas = replicas;
        this.cacheDir = cacheDir;
        this.session = session;
        this.store = store;
        this.device = new PagedDevice(store);
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
                .name("volume-" + map.volumeId() + "-session").daemon().unstarted(r));
        long every = Math.max(1, session.leaseSec() / 3);
        renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.SECONDS);
    }

    /** Opens a volume of the owner's on the chain the node serves. */
    public static OpenVolume open(VolumeConfig config) throws IOException, InterruptedException {
        NodeClient node = new NodeClient(config.nodeUrl());
        Views.Volume volume;
        ChainParams params;
        try {
            volume = node.volume(config.volumeId());
            params = node.status().params();
        } catch (NodeApiException e) {
            throw new IOException("could not look volume " + config.volumeId() + " up: "
                    + e.detail(), e);
        }
        if (!volume.owner().equals(config.owner().address())) {
            throw new IOException("volume " + volume.id() + " belongs to " + volume.owner()
                    + ", not to this wallet (" + config.owner().address() + ")");
        }
        if (!volume.status().equals("active")) {
            throw new IOException("volume " + volume.id() + " is " + volume.status()
                    + "; extend it ('cnt volume extend') to use it again");
        }
        VolumeMap map = new VolumeMap(volume.id(), volume.slices(), params.sliceSizeBytes());
        return open(map, new ReplicaNetwork(node, config.owner()), config, params.slicesPerChunk(),
                SESSION_LEASE_SEC);
    }

    /** Opens the volume {@code map} describes on {@code replicas}, which it then owns. */
    static OpenVolume open(VolumeMap map, Replicas replicas, VolumeConfig config,
                           int slicesPerChunk, long leaseSec) throws IOException,
            InterruptedException {
        CacheDir cacheDir = null;
        VolumeSession session = null;
        WriteLog writeLog = null;
        try {
            cacheDir = CacheDir.open(config.cacheDir(), map.volumeId(), config.holder());
            KeyPair owner = config.owner();
            session = VolumeSession.open(map, replicas, owner, cacheDir.sessionId(),
                    config.holder(), leaseSec, slicesPerChunk, config.force());
            writeLog = WriteLog.open(cacheDir.logDir(), config.cacheBytes(),
                    Math.min(SEGMENT_BYTES, config.cacheBytes() / 2));
            SealedPages sealed = new SealedPages(map, VolumeKey.derive(owner, map.volumeId()),
                    session);
            WriteBackStore store = new WriteBackStore(map, writeLog, sealed, replicas, session,
                    new ReadCache(config.readCacheBytes()));
            return new OpenVolume(map, replicas, cacheDir, session, store);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (writeLog != null) {
                writeLog.close();
            }
            replicas.close();
            if (cacheDir != null) {
                cacheDir.close();
            }
            throw e;
        }
    }

    private void renew() {
        try {
            session.renew();
        } catch (IOException e) {
            log.warn("volume {}: could not renew the session lease (held until {}): {}",
                    map.volumeId(), session.leasedUntilSec(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long volumeId() {
        return map.volumeId();
    }

    @Override
    public long sizeBytes() {
        return device.sizeBytes();
    }

    @Override
    public synchronized void read(long offset, ByteBuffer dst) throws IOException {
        device.read(offset, dst);
    }

    @Override
    public synchronized void write(long offset, ByteBuffer src) throws IOException {
        device.write(offset, src);
    }

    @Override
    public synchronized void flush() throws IOException {
        device.flush();
    }

    @Override
    public synchronized void trim(long offset, long lengthBytes) throws IOException {
        device.trim(offset, lengthBytes);
    }

    /** Pages written and not yet committed (status, tests). */
    int dirtyPages() {
        return store.dirtyPages();
    }

    /**
     * Flushes everything, ends the session (so another client may open the volume at once) and
     * lets the cache directory go.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            store.flush();
            renewer.shutdownNow();
            store.close();
            session.close();
            cacheDir.forgetSession();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted closing volume "
                    + map.volumeId());
        } finally {
            renewer.shutdownNow();
            replicas.close();
            cacheDir.close();
        }
    }

    /**
     * What a crash leaves (tests): threads stop where they are, nothing is flushed or closed on
     * the chain, the log stays as written.
     */
    synchronized void crash() throws IOException {
        closed = true;
        renewer.shutdownNow();
        replicas.close();
        store.close();
        cacheDir.close();
    }
}
