package org.cnt.blockdev.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.cnt.blockdev.VolumeInUseException;
import org.cnt.chain.crypto.Hash;

/**
 * A volume's cache directory, held by one process at a time (a file lock, which the kernel drops
 * when the process dies however it dies). It keeps the write-back log and the id of the session
 * that log belongs to: a client restarted after a crash resumes that session, so it needs no
 * {@code --force} to replay its own writes. Private to the user (the log holds plaintext).
 */
final class CacheDir implements AutoCloseable {
    private final Path dir;
    private final FileChannel lockFile;
    private final FileLock lock;

    private CacheDir(Path dir, FileChannel lockFile, FileLock lock) {
        this.dir = dir;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    static CacheDir open(Path dir, long volumeId, String holder) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: its own permissions apply.
        }
        FileChannel channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String other = new String(Files.readAllBytes(dir.resolve("lock")),
                    StandardCharsets.UTF_8).trim();
            channel.close();
            throw new VolumeInUseException("volume " + volumeId + " is already open on this "
                    + "machine" + (other.isEmpty() ? "" : " by " + other) + " (its cache " + dir
                    + " is locked); unmount it there first");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
        return new CacheDir(dir, channel, lock);
    }

    Path logDir() {
        return dir.resolve("log");
    }

    /** The session this cache's log belongs to, made up on first use. */
    Hash sessionId() throws IOException {
        Path file = dir.resolve("session");
        if (Files.exists(file)) {
            String hex = Files.readString(file).trim();
            try {
                return Hash.parse(hex);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " does not hold a session id: " + e.getMessage());
            }
        }
        byte[] id = new byte[Hash.SIZE_BYTES];
        new SecureRandom().nextBytes(id);
        Hash session = Hash.wrap(id);
        Path temp = dir.resolve("session.tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(session.toString().getBytes(StandardCharsets.US_ASCII)));
            out.force(true);
        }
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return session;
    }

    /** After a clean close the next client starts a session of its own. */
    void forgetSession() throws IOException {
        Files.deleteIfExists(dir.resolve("session"));
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockFile.close();
    }
}
