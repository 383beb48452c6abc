package org.cnt.fs.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.cnt.fs.Attributes;
import org.cnt.fs.Caller;
import org.cnt.fs.Filesystem;
import org.cnt.fs.FsError;
import org.cnt.fs.FsException;

/**
 * Resolves an absolute path name component by component, as the kernel would: search
 * permission on every directory passed, symlinks followed (relative ones from the directory
 * holding them), ELOOP after {@link #MAX_SYMLINKS}, ENOTDIR when a component that is not a
 * directory is passed through.
 */
final class PathWalk {
    static final int MAX_SYMLINKS = 40;
    private final Filesystem fs;
    private final Namespace namespace;
    private int followed;

    PathWalk(Filesystem fs, Namespace namespace) {
        this.fs = fs;
        this.namespace = namespace;
    }

    long resolve(Caller caller, String path, boolean followLast) throws IOException {
        if (!path.startsWith("/")) {
            throw new FsException(FsError.EINVAL, "'" + path + "' is not an absolute path");
        }
        if (path.length() > 4095) {
            throw new FsException(FsError.ENAMETOOLONG, "a path of " + path.length()
                    + " characters");
        }
        Deque<String> components = split(path);
        long at = Filesystem.ROOT;
        while (!components.isEmpty()) {
            String name = components.pop();
            Attributes directory = fs.getattr(at);
            if (!directory.isDirectory()) {
                throw new FsException(FsError.ENOTDIR, "'" + name + "' is under a file that is "
                        + "not a directory, in " + path);
            }
            long next = namespace.lookup(caller, at, name);
            Attributes found = fs.getattr(next);
            if (found.isSymlink() && (followLast || !components.isEmpty())) {
                if (++followed > MAX_SYMLINKS) {
                    throw new FsException(FsError.ELOOP, "more than " + MAX_SYMLINKS
                            + " symlinks in " + path);
                }
                String target = fs.readlink(next);
                Deque<String> rest = split(target);
                while (!rest.isEmpty()) {
                    components.push(rest.removeLast());
                }
                if (target.startsWith("/")) {
                    at = Filesystem.ROOT;
                }
                continue;
            }
            at = next;
        }
        return at;
    }

    private static Deque<String> split(String path) {
        Deque<String> components = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty() && !part.equals(".")) {
                components.add(part);
            }
        }
        return components;
    }
}
