package org.cnt.fs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.cnt.fs.Attributes;
import org.cnt.fs.DirEntry;
import org.cnt.fs.Filesystem;
import org.cnt.fs.FsException;

/**
 * A seeded, metadata-heavy sequence of operations over a few directories and names: creates,
 * appends, block-aligned truncates, links, symlinks, renames (replacing, across directories,
 * of directories), unlinks, rmdirs, attributes and syncs. Data is only ever appended, never
 * written over bytes a file already shows, so after a crash every file's bytes are those of
 * the state some prefix of the operations left (what ordered mode promises).
 */
final class Workload {
    private static final String[] DIRS = {"", "/a", "/b", "/a/c"};
    private final Random random;
    private final int blockSizeBytes;
    private int steps;

    Workload(long seed, int blockSizeBytes) {
        this.random = new Random(seed);
        this.blockSizeBytes = blockSizeBytes;
    }

    /** One step; returns true when it was a sync (everything before it is durable). */
    boolean step(Filesystem fs) throws IOException {
        if (steps++ < 3) {
            String[] made = {"a", "b", "a/c"};
            fs.mkdir(TestFs.OWNER, resolve(fs, parent("/" + made[steps - 1])),
                    leaf("/" + made[steps - 1]), 0755);
            return false;
        }
        int kind = random.nextInt(100);
        String dir = DIRS[random.nextInt(DIRS.length)];
        String existing = existing(fs, dir);
        String name = existing != null && random.nextInt(3) > 0 ? existing
                : "n" + random.nextInt(6);
        String other = DIRS[random.nextInt(DIRS.length)] + "/n" + random.nextInt(6);
        try {
            if (kind < 6) {
                fs.sync();
                return true;
            } else if (kind < 20) {
                fs.create(TestFs.OWNER, resolve(fs, dir), "n" + random.nextInt(6), 0644);
            } else if (kind < 26) {
                fs.mkdir(TestFs.OWNER, resolve(fs, dir), "n" + random.nextInt(6), 0755);
            } else if (kind < 50) {
                Attributes file = fs.resolve(TestFs.OWNER, dir + "/" + name, false);
                if (file.isRegular()) {
                    byte[] data = new byte[1 + random.nextInt(6 * blockSizeBytes)];
                    random.nextBytes(data);
                    fs.write(file.inode(), file.sizeBytes(), ByteBuffer.wrap(data));
                }
            } else if (kind < 56) {
                Attributes file = fs.resolve(TestFs.OWNER, dir + "/" + name, false);
                if (file.isRegular()) {
                    long blocks = file.sizeBytes() / blockSizeBytes;
                    fs.truncate(TestFs.OWNER, file.inode(), random.nextInt((int) blocks + 3)
                            * (long) blockSizeBytes);
                }
            } else if (kind < 70) {
                fs.rename(TestFs.OWNER, resolve(fs, dir), name, resolve(fs, parent(other)),
                        leaf(other), random.nextInt(10) == 0 ? Filesystem.RENAME_EXCHANGE : 0);
            } else if (kind < 80) {
                fs.unlink(TestFs.OWNER, resolve(fs, dir), name);
            } else if (kind < 84) {
                fs.rmdir(TestFs.OWNER, resolve(fs, dir), name);
            } else if (kind < 89) {
                Attributes file = fs.resolve(TestFs.OWNER, dir + "/" + name, false);
                fs.link(TestFs.OWNER, file.inode(), resolve(fs, parent(other)), leaf(other));
            } else if (kind < 94) {
                fs.symlink(TestFs.OWNER, resolve(fs, dir), "n" + random.nextInt(6),
                        "t".repeat(1 + random.nextInt(blockSizeBytes + 200)));
            } else {
                Attributes file = fs.resolve(TestFs.OWNER, dir + "/" + name, false);
                byte[] value = new byte[random.nextInt(100)];
                random.nextBytes(value);
                fs.setxattr(TestFs.OWNER, file.inode(), "user.x" + random.nextInt(3), value, 0);
            }
        } catch (FsException expected) {
            // ENOENT, EEXIST, ENOTEMPTY...: the same in every run of this seed
        }
        return false;
    }

    /** A name in the directory, picked at random, or null when it is empty or gone. */
    private String existing(Filesystem fs, String dir) throws IOException {
        try {
            List<String> names = new ArrayList<>();
            for (DirEntry entry : fs.readdir(TestFs.OWNER, resolve(fs, dir), 0, 100)) {
                if (!entry.name().startsWith(".")) {
                    names.add(entry.name());
                }
            }
            return names.isEmpty() ? null : names.get(random.nextInt(names.size()));
        } catch (FsException gone) {
            return null;
        }
    }

    private static long resolve(Filesystem fs, String dir) throws IOException {
        return fs.resolve(TestFs.OWNER, dir.isEmpty() ? "/" : dir, false).inode();
    }

    private static String parent(String path) {
        return path.substring(0, path.lastIndexOf('/'));
    }

    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Everything a user sees of the tree: per path, the kind, size, links, bytes, target. */
    static Map<String, String> snapshot(Filesystem fs) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        walk(fs, Filesystem.ROOT, "", tree);
        return tree;
    }

    private static void walk(Filesystem fs, long dir, String path, Map<String, String> tree)
            throws IOException {
        List<DirEntry> entries = new ArrayList<>(fs.readdir(TestFs.OWNER, dir, 0,
                Integer.MAX_VALUE));
        for (DirEntry entry : entries) {
            if (entry.name().equals(".") || entry.name().equals("..")) {
                continue;
            }
            String at = path + "/" + entry.name();
            Attributes attributes = fs.getattr(entry.inode());
            StringBuilder what = new StringBuilder(Integer.toOctalString(attributes.mode()))
                    .append(" links ").append(attributes.nlink()).append(" size ")
                    .append(attributes.sizeBytes());
            if (attributes.isRegular()) {
                ByteBuffer data = ByteBuffer.allocate((int) attributes.sizeBytes());
                while (data.hasRemaining() && fs.read(entry.inode(), data.position(), data) > 0) {
                    // read it all
                }
                what.append(" crc ").append(java.util.Arrays.hashCode(data.array()));
            } else if (attributes.isSymlink()) {
                what.append(" -> ").append(fs.readlink(entry.inode()).length());
            }
            for (String xattr : fs.listxattr(TestFs.OWNER, entry.inode())) {
                what.append(' ').append(xattr).append('=').append(java.util.Arrays.hashCode(
                        fs.getxattr(TestFs.OWNER, entry.inode(), xattr)));
            }
            tree.put(at, what.toString());
            if (attributes.isDirectory()) {
                walk(fs, entry.inode(), at, tree);
            }
        }
    }
}
