package org.cnt.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cryptomator.jfuse.api.Fuse;
import org.cryptomator.jfuse.api.FuseBuilder;
import org.cryptomator.jfuse.api.FuseMountFailedException;
import org.cryptomator.jfuse.api.FuseOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mount in the foreground, from mounting to the end: the mount record {@code cnt umount}
 * finds, a shutdown hook (Ctrl-C, SIGTERM), the wait for the kernel to let go (libfuse calls
 * destroy only when its session is torn down, not on {@code fusermount3 -u}: the mount table
 * says that), then the unmount and the closing of what the mount held, in order: file system,
 * then volume (which flushes every write to the farmers).
 */
final class MountSession {
    private static final Logger log = LoggerFactory.getLogger(MountSession.class);

    private final Path home;
    private final Path target;
    private final long volumeId;
    private final List<AutoCloseable> held;
    final CountDownLatch destroyed = new CountDownLatch(1);

    /** {@code held}: closed in this order once the mount is gone. */
    MountSession(Path home, Path target, long volumeId, List<AutoCloseable> held) {
        this.home = home;
        this.target = target;
        this.volumeId = volumeId;
        this.held = new ArrayList<>(held);
    }

    /** Mounts and returns once the mount has been let go and everything is closed. */
    void run(FuseBuilder builder, FuseOperations operations, List<String> options,
             Runnable mounted) throws Exception {
        Fuse fuse = builder.build(operations);
        if (operations instanceof org.cnt.fs.fuse.FuseAdapter) {
            org.cnt.fs.fuse.FuseAdapter.completeBindings(fuse, operations);
        }
        AtomicBoolean closed = new AtomicBoolean();
        Runnable shutdown = () -> {
            if (closed.compareAndSet(false, true)) {
                close(fuse);
            }
        };
        try {
            fuse.mount("cnt", target, options.toArray(String[]::new));
        } catch (FuseMountFailedException e) {
            closeHeld();
            throw new CliException("could not mount on " + target + ": " + e.getMessage());
        }
        MountRecord.write(home, target, ProcessHandle.current().pid(), volumeId);
        Thread hook = new Thread(shutdown, "unmount");
        Runtime.getRuntime().addShutdownHook(hook);
        mounted.run();
        while (!destroyed.await(500, TimeUnit.MILLISECONDS) && Mountpoint.isMounted(target)) {
            // still mounted
        }
        shutdown.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down (SIGTERM): the hook ran the same close.
        }
        MountRecord.remove(home, target);
    }

    private void close(Fuse fuse) {
        try {
            fuse.close();
        } catch (Exception e) {
            log.warn("unmounting {}: {}", target, e.toString());
        }
        closeHeld();
    }

    private void closeHeld() {
        for (AutoCloseable resource : held) {
            try {
                resource.close();
            } catch (Exception e) {
                log.error("closing {} of volume {}: {} (unflushed writes stay in the cache and "
                        + "are sent at the next mount)", resource.getClass().getSimpleName(),
                        volumeId, e.getMessage());
            }
        }
        log.info("volume {} flushed and closed", volumeId);
    }
}
