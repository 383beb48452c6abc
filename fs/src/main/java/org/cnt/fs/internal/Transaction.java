package org.cnt.fs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metadata blocks one operation changes, as new images, committed together through the
 * journal ({@link Disk#commit}): all of them survive a crash or none does. An image is loaded
 * from the latest committed state the first time the transaction touches its block, then changed
 * in place. Not thread-safe: one operation builds it.
 */
final class Transaction {
    private final Disk disk;
    private final Map<Long, byte[]> images = new LinkedHashMap<>();

    Transaction(Disk disk) {
        this.disk = disk;
    }

    /** The image of metadata block {@code home} as this transaction leaves it, to change. */
    byte[] block(long home) throws IOException {
        byte[] image = images.get(home);
        if (image == null) {
            image = new byte[disk.layout().blockSizeBytes()];
            disk.readMeta(home, image);
            images.put(home, image);
        }
        return image;
    }

    /** Writes {@code inode} into its place in the inode table. */
    void put(Inode inode) throws IOException {
        inode.writeTo(slot(inode.number()));
    }

    /** Clears inode {@code number}'s record: the inode is free. */
    void free(long number) throws IOException {
        slot(number).put(new byte[Layout.INODE_BYTES]);
    }

    private ByteBuffer slot(long number) throws IOException {
        Layout layout = disk.layout();
        return ByteBuffer.wrap(block(Disk.inodeBlock(layout, number)))
                .position(Disk.inodeOffset(layout, number));
    }

    Map<Long, byte[]> images() {
        return images;
    }

    boolean isEmpty() {
        return images.isEmpty();
    }
}
