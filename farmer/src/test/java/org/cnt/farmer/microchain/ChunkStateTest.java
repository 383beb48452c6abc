package org.cnt.farmer.microchain;

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
            int slice = random.nextInt(4);
            int offset = random.nextInt(8);
            byte[] data = new byte[1 + random.nextInt(8 - offset)];
            random.nextBytes(data);
            System.arraycopy(data, 0, model, slice * 8 + offset, data.length);
            Wop wop = new Wop(slice, ++seqs[slice], offset, data);
            state.applyBlock(i + 2, List.of(ChunkOp.WopBatch.sign(OWNER, 1, 7, SESSION,
                    List.of(wop))));
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
        java.util.Map<Integer, byte[]> snapshot = state.sharedPages();
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
}
