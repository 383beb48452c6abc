package org.cnt.fs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.cnt.blockdev.BlockDevice;

/** A {@link BlockDevice} cut into blocks (a tail shorter than a block is not used). */
final class DeviceBlocks implements Blocks {
    private final BlockDevice device;
    private final int blockSizeBytes;

    DeviceBlocks(BlockDevice device, int blockSizeBytes) {
        this.device = device;
        this.blockSizeBytes = blockSizeBytes;
    }

    @Override
    public int blockSizeBytes() {
        return blockSizeBytes;
    }

    @Override
    public long blockCount() {
        return device.sizeBytes() / blockSizeBytes;
    }

    @Override
    public void read(long block, byte[] into) throws IOException {
        device.read(offset(block), ByteBuffer.wrap(into, 0, blockSizeBytes));
    }

    @Override
    public void write(long block, byte[] from) throws IOException {
        device.write(offset(block), ByteBuffer.wrap(from, 0, blockSizeBytes));
    }

    @Override
    public void readBytes(long block, int offset, ByteBuffer into) throws IOException {
        device.read(range(block, offset, into.remaining()), into);
    }

    @Override
    public void writeBytes(long block, int offset, ByteBuffer from) throws IOException {
        device.write(range(block, offset, from.remaining()), from);
    }

    @Override
    public void zero(long block, long count) throws IOException {
        device.trim(range(block, 0, count * blockSizeBytes), count * blockSizeBytes);
    }

    private long range(long block, int offset, long lengthBytes) {
        long start = offset(block) + offset;
        if (offset < 0 || start + lengthBytes > blockCount() * blockSizeBytes) {
            throw new IndexOutOfBoundsException(lengthBytes + " bytes at block " + block + "+"
                    + offset + " pass the device's " + blockCount() + " blocks");
        }
        return start;
    }

    @Override
    public void flush() throws IOException {
        device.flush();
    }

    private long offset(long block) {
        if (block < 0 || block >= blockCount()) {
            throw new IndexOutOfBoundsException("block " + block + " of " + blockCount());
        }
        return block * blockSizeBytes;
    }
}
