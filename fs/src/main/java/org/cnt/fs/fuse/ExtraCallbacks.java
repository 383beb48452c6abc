package org.cnt.fs.fuse;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import org.cnt.fs.FsError;
import org.cryptomator.jfuse.api.FileInfo;
import org.cryptomator.jfuse.api.Fuse;
import org.cryptomator.jfuse.api.FuseOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callbacks jfuse 0.7 declares but never hands to libfuse — link, mknod and fallocate —
 * written into its {@code struct fuse_operations} as upcalls before the mount (libfuse copies
 * the struct at mount time). Without them the kernel answers hard links with EPERM. Each upcall
 * catches everything: nothing may throw into native code.
 */
final class ExtraCallbacks {
    private static final Logger log = LoggerFactory.getLogger(ExtraCallbacks.class);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final java.lang.foreign.AddressLayout ADDRESS = ValueLayout.ADDRESS;

    private final FuseOperations operations;
    private final String platform;

    private ExtraCallbacks(FuseOperations operations, String platform) {
        this.operations = operations;
        this.platform = platform;
    }

    /** Adds the callbacks to {@code fuse}, which is not mounted yet; false when it cannot. */
    static boolean bind(Fuse fuse, FuseOperations operations) {
        try {
            MemorySegment struct = (MemorySegment) field("fuseOperationsStruct").get(fuse);
            Arena arena = (Arena) field("fuseArena").get(fuse);
            ExtraCallbacks callbacks = new ExtraCallbacks(operations,
                    fuse.getClass().getPackageName() + ".extr.fuse3.");
            callbacks.install(struct, arena, "link", "link", FunctionDescriptor.of(INT, ADDRESS,
                    ADDRESS), MethodType.methodType(int.class, MemorySegment.class,
                    MemorySegment.class));
            callbacks.install(struct, arena, "mknod", "mknod", FunctionDescriptor.of(INT,
                    ADDRESS, INT, LONG), MethodType.methodType(int.class, MemorySegment.class,
                    int.class, long.class));
            callbacks.install(struct, arena, "fallocate", "fallocate", FunctionDescriptor.of(INT,
                    ADDRESS, INT, LONG, LONG, ADDRESS), MethodType.methodType(int.class,
                    MemorySegment.class, int.class, long.class, long.class,
                    MemorySegment.class));
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("cannot add link, mknod and fallocate to jfuse ({}): hard links will be "
                    + "refused", e.toString());
            return false;
        }
    }

    private static Field field(String name) throws NoSuchFieldException {
        Field field = Fuse.class.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    private void install(MemorySegment struct, Arena arena, String member, String method,
                         FunctionDescriptor descriptor, MethodType type)
            throws ReflectiveOperationException {
        long offset = (Long) Class.forName(platform + "fuse_operations")
                .getMethod(member + "$offset").invoke(null);
        MethodHandle target = MethodHandles.lookup().findVirtual(ExtraCallbacks.class, method,
                type).bindTo(this);
        MemorySegment stub = Linker.nativeLinker().upcallStub(target, descriptor, arena);
        struct.set(ADDRESS, offset, stub);
    }

    private static String string(MemorySegment pointer) {
        return pointer.reinterpret(Long.MAX_VALUE).getString(0);
    }

    int link(MemorySegment from, MemorySegment to) {
        try {
            return operations.link(string(from), string(to));
        } catch (Throwable e) {
            log.error("link failed", e);
            return -FsError.EIO.errno();
        }
    }

    int mknod(MemorySegment path, int mode, long rdev) {
        try {
            return operations.mknod(string(path), (short) mode, (int) rdev);
        } catch (Throwable e) {
            log.error("mknod failed", e);
            return -FsError.EIO.errno();
        }
    }

    int fallocate(MemorySegment path, int mode, long offset, long length, MemorySegment info) {
        try {
            return operations.fallocate(string(path), mode, offset, length, fileInfo(info));
        } catch (Throwable e) {
            log.error("fallocate failed", e);
            return -FsError.EIO.errno();
        }
    }

    private FileInfo fileInfo(MemorySegment pointer) throws ReflectiveOperationException {
        if (pointer.equals(MemorySegment.NULL)) {
            return null;
        }
        Class<?> struct = Class.forName(platform + "fuse_file_info");
        long fhOffset = (Long) struct.getMethod("fh$offset").invoke(null);
        long flagsOffset = (Long) struct.getMethod("flags$offset").invoke(null);
        MemorySegment info = pointer.reinterpret(Math.max(fhOffset, flagsOffset) + 8);
        return new HandleInfo(info.get(LONG, fhOffset), info.get(INT, flagsOffset)) {
            @Override
            public void setFh(long value) {
                super.setFh(value);
                info.set(LONG, fhOffset, value);
            }
        };
    }
}
