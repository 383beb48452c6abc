package org.cnt.fs.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cnt.fs.Filesystem;
import org.cnt.fs.FsError;

/**
 * The simplest filesystem that could be right, in memory: a tree of nodes, to hold the real one
 * to. Paths are absolute; a symlink in the middle of a path never resolves (the model's targets
 * name nothing). Each operation returns the error POSIX says, or null.
 */
final class ModelFs {
    static final class Node {
        final boolean directory;
        final String target;
        byte[] data = new byte[0];
        int nlink;
        final Map<String, Node> children = new TreeMap<>();
        final Map<String, byte[]> xattrs = new TreeMap<>();

        Node(boolean directory, String target) {
            this.directory = directory;
            this.target = target;
            this.nlink = directory ? 2 : 1;
        }
    }

    /** A result: the error, or null with the node found. */
    record Found(FsError error, Node node) {
    }

    final Node root = new Node(true, null);

    Found resolve(String path) {
        Node at = root;
        for (String part : parts(path)) {
            if (at.target != null) {
                return new Found(FsError.ENOENT, null);
            }
            if (!at.directory) {
                return new Found(FsError.ENOTDIR, null);
            }
            at = at.children.get(part);
            if (at == null) {
                return new Found(FsError.ENOENT, null);
            }
        }
        if (at.target != null && !parts(path).isEmpty()) {
            return new Found(FsError.ENOENT, null);
        }
        return new Found(null, at);
    }

    /** The node at a path without following a symlink at its end. */
    Found lookup(String parent, String name) {
        Found dir = directory(parent);
        if (dir.error() != null) {
            return dir;
        }
        Node node = dir.node().children.get(name);
        return node == null ? new Found(FsError.ENOENT, null) : new Found(null, node);
    }

    private Found directory(String path) {
        Found found = resolve(path);
        if (found.error() == null && !found.node().directory) {
            return new Found(FsError.ENOTDIR, null);
        }
        return found;
    }

    FsError make(String parent, String name, boolean directory, String target) {
        Found dir = directory(parent);
        if (dir.error() != null) {
            return dir.error();
        }
        if (dir.node().children.containsKey(name)) {
            return FsError.EEXIST;
        }
        dir.node().children.put(name, new Node(directory, target));
        if (directory) {
            dir.node().nlink++;
        }
        return null;
    }

    FsError remove(String parent, String name, boolean directory) {
        Found dir = directory(parent);
        if (dir.error() != null) {
            return dir.error();
        }
        Node node = dir.node().children.get(name);
        if (node == null) {
            return FsError.ENOENT;
        }
        if (node.directory != directory) {
            return directory ? FsError.ENOTDIR : FsError.EISDIR;
        }
        if (directory && !node.children.isEmpty()) {
            return FsError.ENOTEMPTY;
        }
        dir.node().children.remove(name);
        if (directory) {
            dir.node().nlink--;
        } else {
            node.nlink--;
        }
        return null;
    }

    FsError link(String path, String parent, String name) {
        Found source = lookup(parentOf(path), leafOf(path));
        if (source.error() != null) {
            return source.error();
        }
        Found dir = directory(parent);
        if (dir.error() != null) {
            return dir.error();
        }
        if (source.node().directory) {
            return FsError.EPERM;
        }
        if (dir.node().children.containsKey(name)) {
            return FsError.EEXIST;
        }
        dir.node().children.put(name, source.node());
        source.node().nlink++;
        return null;
    }

    FsError rename(String fromParent, String fromName, String toParent, String toName,
                   int flags) {
        // The caller resolves both paths before asking (as a kernel does), then the checks.
        for (String path : new String[] {fromParent, toParent}) {
            if (resolve(path).error() != null) {
                return resolve(path).error();
            }
        }
        Found from = directory(fromParent);
        if (from.error() != null) {
            return from.error();
        }
        Found to = directory(toParent);
        if (to.error() != null) {
            return to.error();
        }
        boolean exchange = flags == Filesystem.RENAME_EXCHANGE;
        Node moved = from.node().children.get(fromName);
        Node replaced = to.node().children.get(toName);
        if (moved == null) {
            return FsError.ENOENT;
        }
        if (exchange && replaced == null) {
            return FsError.ENOENT;
        }
        if (flags == Filesystem.RENAME_NOREPLACE && replaced != null) {
            return FsError.EEXIST;
        }
        if (moved == replaced) {
            return null;
        }
        boolean across = from.node() != to.node();
        if (moved.directory && across && inside(to.node(), moved)) {
            return FsError.EINVAL;
        }
        if (exchange && replaced.directory && across && inside(from.node(), replaced)) {
            return FsError.EINVAL;
        }
        if (exchange) {
            from.node().children.put(fromName, replaced);
            to.node().children.put(toName, moved);
            if (across && moved.directory != replaced.directory) {
                int delta = moved.directory ? 1 : -1;
                from.node().nlink -= delta;
                to.node().nlink += delta;
            }
            return null;
        }
        if (replaced != null) {
            if (moved.directory && !replaced.directory) {
                return FsError.ENOTDIR;
            }
            if (!moved.directory && replaced.directory) {
                return FsError.EISDIR;
            }
            if (replaced.directory && !replaced.children.isEmpty()) {
                return FsError.ENOTEMPTY;
            }
            if (replaced.directory) {
                to.node().nlink--;
            } else {
                replaced.nlink--;
            }
        }
        from.node().children.remove(fromName);
        to.node().children.put(toName, moved);
        if (moved.directory) {
            from.node().nlink--;
            to.node().nlink++;
        }
        return null;
    }

    /** Whether {@code node} is {@code ancestor} or below it. */
    private boolean inside(Node node, Node ancestor) {
        if (node == ancestor) {
            return true;
        }
        for (Node child : ancestor.children.values()) {
            if (child.directory && inside(node, child)) {
                return true;
            }
        }
        return false;
    }

    static void write(Node file, long offset, byte[] data) {
        int end = (int) (offset + data.length);
        if (end > file.data.length) {
            file.data = Arrays.copyOf(file.data, end);
        }
        System.arraycopy(data, 0, file.data, (int) offset, data.length);
    }

    static void truncate(Node file, long size) {
        file.data = Arrays.copyOf(file.data, (int) size);
    }

    static List<String> parts(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts;
    }

    static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    static String leafOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The tree as the comparison sees it: per path, kind, links, bytes, target, attributes. */
    Map<String, String> snapshot() {
        Map<String, String> tree = new TreeMap<>();
        walk(root, "", tree);
        return tree;
    }

    private static void walk(Node dir, String path, Map<String, String> tree) {
        for (Map.Entry<String, Node> entry : dir.children.entrySet()) {
            Node node = entry.getValue();
            String at = path + "/" + entry.getKey();
            StringBuilder what = new StringBuilder(node.directory ? "dir" : node.target != null
                    ? "link " + node.target : "file " + Arrays.hashCode(node.data) + " size "
                    + node.data.length).append(" links ").append(node.nlink);
            node.xattrs.forEach((k, v) -> what.append(' ').append(k).append('=')
                    .append(Arrays.hashCode(v)));
            tree.put(at, what.toString());
            if (node.directory) {
                walk(node, at, tree);
            }
        }
    }
}
