package org.cnt.farmer.microchain;

import org.cnt.chain.micro.ChunkMeta;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.merkle.PageTree;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.Wop;

class ChunkStateTest {
    private static final ChunkGeometry TINY = new ChunkGeometry(2, 8, 32);
    private static final KeyPair OWNER = KeyPair.fromLabel("owner");
    private static final Hash SESSION = Hash.sha256("s".getBytes());

    @Property(tries = 200)
    void writesLandAtTheirOffsetsAndEveryPageProvesAgainstTheRoot(
            @ForAll @IntRange(min = 1, max = 30) int writes, @ForAll long seed) {
        Random random = new Random(seed);
        ChunkState state = new ChunkState(TINY);
        byte[] model = new byte[32];
        long[] seqs = new long[4];
        state.applyBlock(1, List.of(ChunkOp.OpenSession.sign(OWNER, 1, 7, SESSION)));
        for (int i = 0; i < writes; i++) {
            state.applyBlock(i + 2, List.of(randomWrite(random, model, seqs)));
        }
        assertThat(state.read(0, 32)).isEqualTo(model);
        assertThat(state.meta().sliceSeqs()).containsExactly(seqs);
        assertThat(state.height()).isEqualTo(writes + 1);
        for (int page = 0; page < TINY.pageCount(); page++) {
            assertThat(PageTree.verify(state.pagesRoot(), page, state.page(page),
                    state.proof(page))).isTrue();
        }
        ChunkState copy = ChunkState.restore(TINY, state.height(), state.meta(),
                state.writtenPages());
        assertThat(copy.root()).isEqualTo(state.root());
        java.util.Map<Integer, byte[]> snapshot = state.pagesAt(state.height());
        assertThat(snapshot.keySet()).isEqualTo(state.writtenPages().keySet());
        assertThat(ChunkState.restore(TINY, state.height(), state.meta(), snapshot).root())
                .isEqualTo(state.root());
        byte[] before = state.read(0, 32);
        state.applyBlock(state.height() + 1, List.of(ChunkOp.WopBatch.sign(OWNER, 1, 7, SESSION,
                List.of(new Wop(0, ++seqs[0], 0, new byte[8])))));
        byte[] fromSnapshot = new byte[32];
        snapshot.forEach((page, content) -> System.arraycopy(content, 0, fromSnapshot,
                page * TINY.pageSizeBytes(), content.length));
        assertThat(fromSnapshot).as("a snapshot never sees later writes").isEqualTo(before);
        assertThat(snapshot.get(TINY.pageCount())).isNull();
    }

    @Property(tries = 50)
    void theRootCommitsToTheMetadataToo(@ForAll @IntRange(min = 0, max = 3) int slice) {
        ChunkState a = new ChunkState(TINY);
        ChunkState b = new ChunkState(TINY);
        a.applyBlock(1, List.of(ChunkOp.OpenSession.sign(OWNER, 1, 7, SESSION)));
        b.applyBlock(1, List.of());
        assertThat(a.pagesRoot()).isEqualTo(b.pagesRoot());
        assertThat(a.root()).isNotEqualTo(b.root());
    }

    /**
     * A session claiming a slice that holds another volume's data erases it: its pages read as
     * zeros and prove so; a claim of the volume's own slice, or of one never written, changes
     * no page.
     */
    @Property(tries = 30)
    void aClaimedSliceOfAnEarlierLeaseIsErasedAndOnlyThatOne(@ForAll long seed) {
        Random random = new Random(seed);
        KeyPair next = KeyPair.fromLabel("next owner");
        ChunkState state = new ChunkState(TINY);
        byte[] model = new byte[32];
        long[] seqs = new long[4];
        state.applyBlock(1, List.of(ChunkOp.OpenSession.sign(OWNER, 1, 7, SESSION)));
        for (int i = 0; i < 8; i++) {
            state.applyBlock(i + 2, List.of(randomWrite(random, model, seqs)));
        }
        int taken = random.nextInt(4);
        Hash session = Hash.sha256("next".getBytes());
        state.applyBlock(state.height() + 1, List.of(ChunkOp.OpenSession.sign(next, 2, 7,
                session, 0, "", List.of(taken))));
        java.util.Arrays.fill(model, taken * 8, taken * 8 + 8, (byte) 0);
        assertThat(state.read(0, 32)).isEqualTo(model);
        assertThat(state.meta().sliceVolume(taken)).isEqualTo(2);
        assertThat(state.meta().sliceSeqs()[taken]).as("sequence numbers go on")
                .isEqualTo(seqs[taken]);
        for (int page = 0; page < TINY.pageCount(); page++) {
            assertThat(PageTree.verify(state.pagesRoot(), page, state.page(page),
                    state.proof(page))).isTrue();
        }
        Hash pages = state.pagesRoot();
        state.applyBlock(state.height() + 1, List.of(ChunkOp.OpenSession.sign(next, 2, 7,
                session, 0, "", List.of(taken))));
        assertThat(state.pagesRoot()).as("claimed again: nothing to erase").isEqualTo(pages);
    }

    /**
     * Over a base (the replica's file), pages stay in memory only until the base holds their
     * height, and every readable height reads exactly what it held, however the base moves on.
     */
    @Property(tries = 200)
    void overABaseEveryReadableHeightReadsItsOwnPagesAndMemoryStaysBounded(
            @ForAll @IntRange(min = 1, max = 40) int writes, @ForAll long seed) {
        Random random = new Random(seed);
        java.util.Map<Integer, byte[]> file = new java.util.HashMap<>();
        PageBase base = page -> file.containsKey(page) ? file.get(page).clone() : null;
        ChunkState state = new ChunkState(TINY, base);
        ChunkState memory = new ChunkState(TINY);
        java.util.List<byte[]> history = new java.util.ArrayList<>();
        history.add(new byte[32]);
        byte[] model = new byte[32];
        long[] seqs = new long[4];
        List<ChunkOp> open = List.of(ChunkOp.OpenSession.sign(OWNER, 1, 7, SESSION));
        state.applyBlock(1, open);
        memory.applyBlock(1, open);
        history.add(model.clone());
        java.util.List<java.util.Map.Entry<Long, java.util.SortedMap<Integer,
                java.nio.ByteBuffer>>> inFlight = new java.util.ArrayList<>();
        long handedOver = 0;
        long flushedThrough = 0;
        int pagesPerWrite = 8 / TINY.pageSizeBytes() + 1;
        for (int i = 0; i < writes; i++) {
            List<ChunkOp> ops = List.of(randomWrite(random, model, seqs));
            state.applyBlock(i + 2, ops);
            memory.applyBlock(i + 2, ops);
            history.add(model.clone());
            if (random.nextBoolean()) {
                // The file writer finishes what it was given, then is given more.
                for (var height : inFlight) {
                    height.getValue().forEach((page, content) -> file.put(page, bytes(content)));
                }
                state.flushed(handedOver);
                flushedThrough = handedOver;
                long through = state.height() - (ChunkState.READABLE_HEIGHTS - 1);
                inFlight = state.takeChangesThrough(through);
                handedOver = Math.max(handedOver, Math.min(through, state.height()));
            }
            assertThat(state.root()).isEqualTo(memory.root());
            for (long h = 0; h <= state.height(); h++) {
                if (state.readable(h)) {
                    byte[] atHeight = new byte[32];
                    state.pagesAt(h).forEach((page, content) -> System.arraycopy(content, 0,
                            atHeight, page * TINY.pageSizeBytes(), content.length));
                    assertThat(atHeight).as("pages at height %d", h)
                            .isEqualTo(history.get((int) h));
                }
            }
            assertThat(state.readable(Math.max(0,
                    state.height() - (ChunkState.READABLE_HEIGHTS - 1)))).isTrue();
            assertThat(state.read(0, 32)).isEqualTo(model);
            assertThat(state.pagesInMemory()).as("only heights the file does not hold")
                    .isLessThanOrEqualTo((int) (state.height() - flushedThrough)
                            * pagesPerWrite);
        }
        // A restart from the file: the tree is hashed from it, once it holds every height.
        for (var height : inFlight) {
            height.getValue().forEach((page, content) -> file.put(page, bytes(content)));
        }
        for (var height : state.takeChangesThrough(state.height())) {
            height.getValue().forEach((page, content) -> file.put(page, bytes(content)));
        }
        state.flushed(state.height());
        assertThat(state.pagesInMemory()).isZero();
        assertThat(state.read(0, 32)).isEqualTo(model);
        assertThat(ChunkState.restore(TINY, state.height(), state.meta(), null, base).root())
                .isEqualTo(memory.root());
    }

    /** A snapshot installed over a base hides every page the base held before it. */
    @Property(tries = 50)
    void aSnapshotOverABaseReplacesEveryPage(@ForAll long seed) {
        Random random = new Random(seed);
        java.util.Map<Integer, byte[]> file = new java.util.HashMap<>();
        for (int page = 0; page < TINY.pageCount(); page++) {
            byte[] stale = new byte[TINY.pageSizeBytes()];
            random.nextBytes(stale);
            file.put(page, stale);
        }
        PageBase base = page -> file.containsKey(page) ? file.get(page).clone() : null;
        byte[] written = new byte[TINY.pageSizeBytes()];
        random.nextBytes(written);
        java.util.Map<Integer, byte[]> snapshot = java.util.Map.of(1, written);
        ChunkState state = ChunkState.restore(TINY, 9, ChunkMeta.empty(TINY.sliceCount()),
                snapshot, base);
        ChunkState expected = ChunkState.restore(TINY, 9, ChunkMeta.empty(TINY.sliceCount()),
                snapshot);
        assertThat(state.root()).isEqualTo(expected.root());
        assertThat(state.read(0, 32)).isEqualTo(expected.read(0, 32));
        assertThat(state.pagesAt(9).keySet()).containsExactly(1);
    }

    /**
     * With 4 KiB pages a whole page's leaf comes from the batch digest's pieces instead of being
     * hashed again; the root must be the one the pages hash to, for aligned and unaligned Wops.
     */
    @Property(tries = 100)
    void reusedPieceHashesGiveTheRootThePagesHashTo(@ForAll long seed) throws Exception {
        Random random = new Random(seed);
        ChunkGeometry pages4k = new ChunkGeometry(4096, 8192, 64 * 1024);
        ChunkState state = new ChunkState(pages4k);
        byte[] model = new byte[64 * 1024];
        long[] seqs = new long[8];
        state.applyBlock(1, List.of(ChunkOp.OpenSession.sign(OWNER, 1, 7, SESSION)));
        for (int block = 2; block < 8; block++) {
            List<Wop> wops = new java.util.ArrayList<>();
            for (int w = 0; w < 1 + random.nextInt(4); w++) {
                int slice = random.nextInt(8);
                // Aligned, or not: an unaligned Wop that runs to the slice's end still covers
                // a whole page, whose piece is then not the Wop's first.
                int offset = random.nextBoolean() ? 4096 * random.nextInt(2)
                        : random.nextInt(4096);
                int length = random.nextBoolean() ? 8192 - offset
                        : 1 + random.nextInt(8192 - offset);
                byte[] data = new byte[length];
                random.nextBytes(data);
                System.arraycopy(data, 0, model, slice * 8192 + offset, length);
                wops.add(new Wop(slice, ++seqs[slice], offset, data));
            }
            // Decoded, as a member gets it: the pieces come from the decoder's digest.
            ChunkOp batch = ChunkOp.decode(ChunkOp.WopBatch.sign(OWNER, 1, 7, SESSION, wops)
                    .toBytes());
            state.applyBlock(block, List.of(batch));
        }
        PageTree expected = new PageTree(pages4k.pageCount(), 4096);
        for (int page = 0; page < pages4k.pageCount(); page++) {
            expected.update(page, java.util.Arrays.copyOfRange(model, page * 4096,
                    (page + 1) * 4096));
        }
        assertThat(state.pagesRoot()).isEqualTo(expected.root());
        assertThat(state.read(0, model.length)).isEqualTo(model);
    }

    /** A batch of one random Wop on {@link #TINY}, applied to {@code model} as well. */
    private static ChunkOp randomWrite(Random random, byte[] model, long[] seqs) {
        int slice = random.nextInt(4);
        int offset = random.nextInt(8);
        byte[] data = new byte[1 + random.nextInt(8 - offset)];
        random.nextBytes(data);
        System.arraycopy(data, 0, model, slice * 8 + offset, data.length);
        return ChunkOp.WopBatch.sign(OWNER, 1, 7, SESSION,
                List.of(new Wop(slice, ++seqs[slice], offset, data)));
    }

    /** What the file writer stores for a page it is given (null: zeros). */
    private static byte[] bytes(java.nio.ByteBuffer content) {
        byte[] stored = new byte[TINY.pageSizeBytes()];
        if (content != null) {
            content.get(0, stored);
        }
        return stored;
    }
}
