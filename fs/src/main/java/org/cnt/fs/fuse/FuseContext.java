package org.cnt.fs.fuse;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import org.cnt.fs.Caller;

/**
 * Who made the FUSE request being served on this thread: libfuse's {@code fuse_get_context()}
 * (uid, gid) and {@code fuse_getgroups()} (supplementary groups), which jfuse does not bind, so
 * they are bound here through the FFM API. Valid only inside a callback.
 */
public final class FuseContext {
    private static final int MAX_GROUPS = 64;
    // struct fuse_context { struct fuse *fuse; uid_t uid; gid_t gid; pid_t pid; ... }
    private static final long UID_OFFSET = 8;
    private static final long GID_OFFSET = 12;

    private final MethodHandle getContext;
    private final MethodHandle getGroups;

    public FuseContext(Path libfuse) {
        SymbolLookup library = SymbolLookup.libraryLookup(libfuse, Arena.global());
        Linker linker = Linker.nativeLinker();
        this.getContext = linker.downcallHandle(library.findOrThrow("fuse_get_context"),
                FunctionDescriptor.of(ValueLayout.ADDRESS));
        this.getGroups = linker.downcallHandle(library.findOrThrow("fuse_getgroups"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS));
    }

    /** The caller of the current request (its groups too, where the kernel tells them). */
    public Caller caller() {
        try {
            MemorySegment context = ((MemorySegment) getContext.invokeExact())
                    .reinterpret(GID_OFFSET + 4);
            int uid = context.get(ValueLayout.JAVA_INT, UID_OFFSET);
            int gid = context.get(ValueLayout.JAVA_INT, GID_OFFSET);
            return new Caller(uid, gid, groups());
        } catch (Throwable e) {
            throw new IllegalStateException("fuse_get_context failed", e);
        }
    }

    private int[] groups() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment list = arena.allocate(ValueLayout.JAVA_INT, MAX_GROUPS);
            int count = (int) getGroups.invokeExact(MAX_GROUPS, list);
            if (count <= 0) {
                // Not available (an old kernel) or none: the primary group is still known.
                return new int[0];
            }
            return list.asSlice(0, 4L * Math.min(count, MAX_GROUPS))
                    .toArray(ValueLayout.JAVA_INT);
        }
    }
}
