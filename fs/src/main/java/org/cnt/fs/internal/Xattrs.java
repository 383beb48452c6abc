package org.cnt.fs.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnt.fs.Caller;
import org.cnt.fs.Filesystem;
import org.cnt.fs.FsError;
import org.cnt.fs.FsException;

/**
 * Extended attributes, by Linux's namespace rules: "user." on regular files and directories
 * for whoever may read or write the file, "trusted." for root only, "security." readable by all
 * and set by the owner or root; "system." (POSIX ACLs) and unknown prefixes are not supported.
 */
final class Xattrs {
    static final int MAX_VALUE_BYTES = 65_536;
    private final FsState state;

    Xattrs(FsState state) {
        this.state = state;
    }

    private Map<String, byte[]> load(Inode inode) throws IOException {
        if (inode.xattrBlock() == 0) {
            return new LinkedHashMap<>();
        }
        byte[] block = new byte[state.blockSizeBytes()];
        state.readMeta(inode.xattrBlock(), block);
        return XattrBlock.read(block, inode.xattrBlock(), inode.number());
    }

    private static void checkName(String name) throws FsException {
        if (name.isEmpty() || XattrBlock.name(name).length > XattrBlock.MAX_NAME_BYTES) {
            throw new FsException(FsError.ERANGE, "an attribute name of "
                    + XattrBlock.name(name).length + " bytes");
        }
    }

    /** Checks the namespace rules for reading ({@code write} false) or changing a name. */
    private static void checkAccess(Caller caller, Inode inode, String name, boolean write)
            throws FsException {
        if (name.startsWith("user.")) {
            if (!inode.isRegular() && !inode.isDirectory()) {
                throw new FsException(write ? FsError.EPERM : FsError.ENODATA, "user "
                        + "attributes live on regular files and directories only");
            }
            Permissions.check(caller, inode, write ? Filesystem.W_OK : Filesystem.R_OK,
                    (write ? "set" : "read") + " attribute " + name);
        } else if (name.startsWith("trusted.")) {
            if (!caller.isRoot()) {
                throw new FsException(write ? FsError.EPERM : FsError.ENODATA, "trusted "
                        + "attributes are root's");
            }
        } else if (name.startsWith("security.")) {
            if (write) {
                Permissions.checkOwner(caller, inode, "set " + name);
            }
        } else {
            throw new FsException(FsError.EOPNOTSUPP, "attribute namespace of '" + name
                    + "' is not supported");
        }
    }

    byte[] get(Caller caller, long number, String name) throws IOException {
        checkName(name);
        try (InodeLocks.Held held = state.locks.read(number)) {
            Inode inode = state.inode(number);
            checkAccess(caller, inode, name, false);
            byte[] value = load(inode).get(name);
            if (value == null) {
                throw new FsException(FsError.ENODATA, "no attribute " + name + " on inode "
                        + number);
            }
            return value;
        }
    }

    List<String> list(Caller caller, long number) throws IOException {
        try (InodeLocks.Held held = state.locks.read(number)) {
            Inode inode = state.inode(number);
            List<String> names = new ArrayList<>();
            for (String name : load(inode).keySet()) {
                if (!name.startsWith("trusted.") || caller.isRoot()) {
                    names.add(name);
                }
            }
            return names;
        }
    }

    /** Sets ({@code value} non-null, with XATTR_CREATE/REPLACE {@code flags}) or removes. */
    void change(Caller caller, long number, String name, byte[] value, int flags)
            throws IOException {
        state.checkWritable();
        checkName(name);
        if (value != null && value.length > MAX_VALUE_BYTES) {
            throw new FsException(FsError.E2BIG, "an attribute value of " + value.length
                    + " bytes");
        }
        if ((flags & ~3) != 0 || flags == 3) {
            throw new FsException(FsError.EINVAL, "setxattr flags " + flags);
        }
        try (Transaction transaction = state.committer.begin(4);
             InodeLocks.Held held = state.locks.write(number)) {
            Inode inode = state.inode(number);
            checkAccess(caller, inode, name, true);
            Map<String, byte[]> attributes = load(inode);
            boolean present = attributes.containsKey(name);
            if (value == null && !present) {
                throw new FsException(FsError.ENODATA, "no attribute " + name + " on inode "
                        + number);
            }
            if (present && (flags & Filesystem.XATTR_CREATE) != 0) {
                throw new FsException(FsError.EEXIST, "attribute " + name + " exists");
            }
            if (!present && (flags & Filesystem.XATTR_REPLACE) != 0) {
                throw new FsException(FsError.ENODATA, "no attribute " + name + " to replace");
            }
            if (value == null) {
                attributes.remove(name);
            } else {
                attributes.put(name, value.clone());
            }
            if (!XattrBlock.fits(attributes, state.blockSizeBytes())) {
                throw new FsException(FsError.ENOSPC, "the attributes of inode " + number
                        + " would not fit one " + state.blockSizeBytes() + "-byte block");
            }
            long block = inode.xattrBlock();
            if (attributes.isEmpty()) {
                transaction.freeBlocks(block, 1, true);
                block = 0;
            } else {
                byte[] image;
                if (block == 0) {
                    block = transaction.allocate(0, 1).start();
                    image = transaction.fresh(block);
                } else {
                    image = transaction.block(block);
                }
                XattrBlock.write(image, number, attributes);
            }
            transaction.put(inode.withXattrBlock(block).changed(state.now()));
        }
    }
}
