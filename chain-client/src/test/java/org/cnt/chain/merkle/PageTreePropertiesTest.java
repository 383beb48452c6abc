package org.cnt.chain.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.cnt.chain.crypto.Hash;

class PageTreePropertiesTest {
    private static final int PAGE = 8;

    /** The root recomputed from scratch, to check the incremental updates against. */
    private static Hash rootFromScratch(byte[][] pages, int depth) {
        List<Hash> level = new ArrayList<>();
        for (int i = 0; i < (1 << depth); i++) {
            level.add(PageTree.leafHash(i < pages.length ? pages[i] : new byte[PAGE]));
        }
        while (level.size() > 1) {
            List<Hash> up = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                up.add(MerkleTree.nodeHash(level.get(i), level.get(i + 1)));
            }
            level = up;
        }
        return level.getFirst();
    }

    @Property(tries = 200)
    void incrementalUpdatesMatchARebuildAndEveryPageProves(
            @ForAll @IntRange(min = 1, max = 40) int pageCount,
            @ForAll @IntRange(min = 0, max = 60) int writes, @ForAll long seed) {
        Random random = new Random(seed);
        PageTree tree = new PageTree(pageCount, PAGE);
        byte[][] pages = new byte[pageCount][PAGE];
        for (int i = 0; i < writes; i++) {
            int page = random.nextInt(pageCount);
            random.nextBytes(pages[page]);
            tree.update(page, pages[page].clone());
        }
        assertThat(tree.root()).isEqualTo(rootFromScratch(pages, tree.depth()));
        for (int page = 0; page < pageCount; page++) {
            assertThat(PageTree.verify(tree.root(), page, pages[page], tree.proof(page))).isTrue();
        }
    }

    @Property(tries = 200)
    void aBatchOfPagesGivesTheSameTreeAsOnePageAtATime(
            @ForAll @IntRange(min = 1, max = 70) int pageCount,
            @ForAll @IntRange(min = 0, max = 80) int writes, @ForAll long seed) {
        Random random = new Random(seed);
        PageTree single = new PageTree(pageCount, PAGE);
        PageTree batched = new PageTree(pageCount, PAGE);
        java.util.TreeMap<Integer, byte[]> batch = new java.util.TreeMap<>();
        for (int i = 0; i < writes; i++) {
            int page = random.nextInt(pageCount);
            byte[] content = new byte[PAGE];
            random.nextBytes(content);
            single.update(page, content);
            batch.put(page, content);
        }
        batched.update(batch);
        assertThat(batched.root()).isEqualTo(single.root());
        for (int page = 0; page < pageCount; page++) {
            assertThat(batched.proof(page)).isEqualTo(single.proof(page));
        }
    }

    @Property(tries = 200)
    void aWrongPageOrPositionDoesNotProve(@ForAll @IntRange(min = 2, max = 40) int pageCount,
                                          @ForAll long seed) {
        Random random = new Random(seed);
        PageTree tree = new PageTree(pageCount, PAGE);
        byte[] content = new byte[PAGE];
        random.nextBytes(content);
        int page = random.nextInt(pageCount);
        tree.update(page, content);
        byte[] other = content.clone();
        other[random.nextInt(PAGE)] ^= 1;
        assertThat(PageTree.verify(tree.root(), page, other, tree.proof(page))).isFalse();
        int elsewhere = (page + 1) % pageCount;
        assertThat(PageTree.verify(tree.root(), elsewhere, content, tree.proof(page))).isFalse();
    }
}
