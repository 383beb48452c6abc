package org.cnt.farmer.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.Wop;
import org.cnt.farmer.microchain.ChunkGeometry;
import org.cnt.farmer.store.ChunkFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Committed Wops reach the chunk file exactly as applied in order, runs gathered or not. */
class ReplicaFileTest {
    private static final ChunkGeometry GEOMETRY = new ChunkGeometry(4, 16, 64);
    private static final KeyPair OWNER = KeyPair.fromLabel("replica-file-owner");

    @TempDir
    Path dir;

    @Test
    void adjacentOverlappingAndScatteredWopsLandAsAModelDiskSays() throws Exception {
        Random random = new Random(5);
        int sliceBytes = GEOMETRY.sliceSizeBytes();
        byte[] model = new byte[(int) GEOMETRY.chunkSizeBytes()];
        try (ChunkFile chunk = ChunkFile.open(dir.resolve("c.replica"),
                GEOMETRY.chunkSizeBytes())) {
            ReplicaFile file = new ReplicaFile(chunk, GEOMETRY, Runnable::run);
            long[] seqs = new long[GEOMETRY.sliceCount()];
            for (int block = 0; block < 200; block++) {
                List<ChunkOp> ops = new ArrayList<>();
                for (int b = 0; b < 1 + random.nextInt(3); b++) {
                    List<Wop> wops = new ArrayList<>();
                    int slice = random.nextInt(GEOMETRY.sliceCount());
                    int offset = random.nextInt(sliceBytes);
                    for (int w = 0; w < 1 + random.nextInt(6); w++) {
                        // Mostly runs of adjacent writes, sometimes a jump back over them.
                        if (random.nextInt(4) == 0 || offset >= sliceBytes) {
                            offset = random.nextInt(sliceBytes);
                        }
                        int length = 1 + random.nextInt(Math.min(24, sliceBytes - offset));
                        byte[] data = new byte[length];
                        random.nextBytes(data);
                        wops.add(new Wop(slice, ++seqs[slice], offset, data));
                        System.arraycopy(data, 0, model, slice * sliceBytes + offset, length);
                        offset += length;
                    }
                    ops.add(ChunkOp.WopBatch.sign(OWNER, 1, 1, Hash.ZERO, wops));
                }
                file.applyNow(ops);
            }
            assertThat(chunk.read(0, model.length)).isEqualTo(model);
        }
    }
}
