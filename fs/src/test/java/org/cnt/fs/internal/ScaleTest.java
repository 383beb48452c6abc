package org.cnt.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnt.fs.internal.TestFs.OWNER;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cnt.fs.DirEntry;
import org.cnt.fs.Filesystem;
import org.junit.jupiter.api.Test;

/**
 * Sizes a user reaches: 100,000 files in one directory (created, looked up, listed, after a
 * remount too) and a sparse 8 GiB file with data at both ends. The rates are printed for the
 * record, not asserted (this machine is shared; {@code cnt bench fs} measures them).
 */
class ScaleTest {
    private static final int FILES = Integer.getInteger("cnt.fs.scaleFiles", 100_000);

    @Test
    void oneHundredThousandFilesInOneDirectory() throws Exception {
        TestFs t = new TestFs(4096, 65_536, Layout.plan(4096, 65_536, 131_072, 8192));
        long dir = t.fs.mkdir(OWNER, Filesystem.ROOT, "many", 0755).inode();
        long[] inodes = new long[FILES];
        long started = System.nanoTime();
        for (int i = 0; i < FILES; i++) {
            inodes[i] = t.fs.create(OWNER, dir, "file-" + i, 0644).inode();
        }
        t.fs.sync();
        long created = System.nanoTime();
        for (int i = 0; i < FILES; i++) {
            assertThat(t.fs.namespaceLookup(dir, "file-" + i)).isEqualTo(inodes[i]);
        }
        long looked = System.nanoTime();
        System.out.printf("scale: %,d creates/s, %,d lookups/s in a directory of %,d files%n",
                (long) (FILES / ((created - started) / 1e9)),
                (long) (FILES / ((looked - created) / 1e9)), FILES);
        assertThat(listAll(t, dir)).hasSize(FILES + 2);
        t.reopen();
        for (int i = 0; i < FILES; i += 997) {
            assertThat(t.fs.lookup(OWNER, dir, "file-" + i).inode()).isEqualTo(inodes[i]);
        }
        for (int i = 0; i < FILES; i += 2) {
            t.fs.unlink(OWNER, dir, "file-" + i);
        }
        assertThat(listAll(t, dir)).hasSize(FILES / 2 + 2);
        t.fs.close();
        assertThat(Fsck.run(t.blocks, false).problems()).isEmpty();
    }

    private static Set<String> listAll(TestFs t, long dir) throws Exception {
        Set<String> names = new HashSet<>();
        long offset = 0;
        while (true) {
            List<DirEntry> page = t.fs.readdir(OWNER, dir, offset, 1000);
            if (page.isEmpty()) {
                return names;
            }
            for (DirEntry entry : page) {
                assertThat(names.add(entry.name())).isTrue();
            }
            offset = page.getLast().nextOffset();
        }
    }

    @Test
    void aSparseEightGibibyteFileCostsOnlyItsEnds() throws Exception {
        TestFs t = new TestFs(4096, 8192);
        long file = t.fs.create(OWNER, Filesystem.ROOT, "sparse", 0644).inode();
        long end = 8L << 30;
        t.fs.write(file, 0, TestFs.bytes("head"));
        t.fs.write(file, end - 4, TestFs.bytes("tail"));
        var attributes = t.fs.getattr(file);
        assertThat(attributes.sizeBytes()).isEqualTo(end);
        assertThat(attributes.blocks512() * 512).isEqualTo(2 * 4096);
        t.reopen();
        assertThat(t.read(file, 0, 4)).isEqualTo("head");
        assertThat(t.read(file, end - 4, 100)).isEqualTo("tail");
        ByteBuffer middle = ByteBuffer.allocate(1 << 20);
        t.fs.read(file, 4L << 30, middle);
        assertThat(middle.array()).containsOnly(0);
        assertThat(t.fs.statfs().freeBlocks()).isGreaterThan(8192 - 400);
    }
}
