package org.cnt.farmer.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.MicroMessage;
import org.cnt.chain.micro.Wop;

/**
 * The slice owner's client: opens a session, then writes random bytes to its slices with
 * consecutive sequence numbers, a few operations in flight, resending to the next member when
 * acknowledgements stop coming. It keeps the model of what the chunk must hold.
 */
final class SimClient {
    private final Random random;
    private final KeyPair owner;
    private final long chunkId;
    private final long volumeId;
    private final int[] slices;
    private final int sliceSizeBytes;
    private final int members;
    final byte[] model;
    private final long[] seqs;
    final Map<Hash, ChunkOp> unacked = new LinkedHashMap<>();
    final List<Hash> acked = new ArrayList<>();
    final List<String> rejections = new ArrayList<>();
    private int target;
    private int silentTicks;
    private boolean opened;
    int issued;
    boolean writing = true;

    SimClient(Random random, KeyPair owner, long chunkId, long volumeId, int[] slices,
              int sliceSizeBytes, int chunkSizeBytes, int members) {
        this.random = random;
        this.owner = owner;
        this.chunkId = chunkId;
        this.volumeId = volumeId;
        this.slices = slices;
        this.sliceSizeBytes = sliceSizeBytes;
        this.members = members;
        this.model = new byte[chunkSizeBytes];
        this.seqs = new long[chunkSizeBytes / sliceSizeBytes];
    }

    /** Messages to send now: new operations while under the in-flight limit, or resends. */
    List<SimNet.Out> tick() {
        List<SimNet.Out> out = new ArrayList<>();
        if (!opened) {
            opened = true;
            submit(ChunkOp.OpenSession.sign(owner, volumeId, chunkId, session()), out);
        }
        while (writing && unacked.size() < 4 && random.nextInt(3) == 0) {
            submit(nextBatch(), out);
        }
        if (!unacked.isEmpty() && ++silentTicks > 40) {
            silentTicks = 0;
            target = (target + 1) % members;
            for (ChunkOp op : unacked.values()) {
                out.add(new SimNet.Out(target, new MicroMessage.Submit(chunkId, op)));
            }
        }
        return out;
    }

    private Hash session() {
        return Hash.sha256(("session-" + owner.publicKey()).getBytes());
    }

    private void submit(ChunkOp op, List<SimNet.Out> out) {
        unacked.put(op.digest(), op);
        issued++;
        out.add(new SimNet.Out(target, new MicroMessage.Submit(chunkId, op)));
    }

    private ChunkOp nextBatch() {
        List<Wop> wops = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            int slice = slices[random.nextInt(slices.length)];
            int offset = random.nextInt(sliceSizeBytes);
            byte[] data = new byte[1 + random.nextInt(sliceSizeBytes - offset)];
            random.nextBytes(data);
            wops.add(new Wop(slice, ++seqs[slice], offset, data));
            System.arraycopy(data, 0, model, slice * sliceSizeBytes + offset, data.length);
        }
        return ChunkOp.WopBatch.sign(owner, volumeId, chunkId, session(), wops);
    }

    void onCommitted(Hash digest) {
        if (unacked.remove(digest) != null) {
            acked.add(digest);
            silentTicks = 0;
        }
    }
}
