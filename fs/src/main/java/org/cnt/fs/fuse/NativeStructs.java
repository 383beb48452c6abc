package org.cnt.fs.fuse;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The C structs behind jfuse's records ({@code struct stat}, {@code struct fuse_config}), for the
 * fields its API leaves out: the record's memory segment, and a field's offset from the
 * jextract-generated class of the same platform package. Each lookup fails soft (null, -1): the
 * fields are then left as libfuse set them.
 */
final class NativeStructs {
    private static final Map<Class<?>, Method> SEGMENTS = new ConcurrentHashMap<>();
    private static final Map<String, Long> OFFSETS = new ConcurrentHashMap<>();

    private NativeStructs() {
    }

    /** The memory of a jfuse record, or null. */
    static MemorySegment segment(Object record) {
        try {
            Method accessor = SEGMENTS.computeIfAbsent(record.getClass(), type -> {
                try {
                    Method method = type.getMethod("segment");
                    method.setAccessible(true);
                    return method;
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return null;
                }
            });
            return accessor == null ? null : (MemorySegment) accessor.invoke(record);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Where {@code field} is in {@code struct} on the platform of {@code record}, or -1. */
    static long offset(Object record, String struct, String field) {
        String type = record.getClass().getPackageName() + ".extr.fuse3." + struct;
        return OFFSETS.computeIfAbsent(type + "#" + field, key -> {
            try {
                return (Long) Class.forName(type).getMethod(field + "$offset").invoke(null);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return -1L;
            }
        });
    }
}
