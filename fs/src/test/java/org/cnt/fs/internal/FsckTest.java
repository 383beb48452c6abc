package org.cnt.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnt.fs.internal.TestFs.OWNER;
import static org.cnt.fs.internal.TestFs.bytes;

import java.nio.ByteBuffer;
import org.cnt.fs.Filesystem;
import org.cnt.fs.FsckReport;
import org.junit.jupiter.api.Test;

class FsckTest {
    private static final long ROOT = Filesystem.ROOT;

    /** A filesystem with some of everything in it, closed. */
    private static TestFs busy() throws Exception {
        TestFs t = new TestFs(512, 16384);
        long dir = t.fs.mkdir(OWNER, ROOT, "dir", 0755).inode();
        for (int i = 0; i < 30; i++) {
            long file = t.fs.create(OWNER, dir, "f" + i, 0644).inode();
            t.fs.write(file, i * 700L, ByteBuffer.wrap(new byte[1000 + i * 100]));
        }
        t.fs.link(OWNER, t.fs.lookup(OWNER, dir, "f1").inode(), ROOT, "hard");
        t.fs.symlink(OWNER, dir, "link", "x".repeat(700));
        t.fs.setxattr(OWNER, dir, "user.a", new byte[40], 0);
        t.fs.mkdir(OWNER, dir, "sub", 0755);
        t.fs.rename(OWNER, dir, "sub", ROOT, "sub", 0);
        t.fs.unlink(OWNER, dir, "f3");
        t.fs.close();
        return t;
    }

    @Test
    void aFreshAndABusyFilesystemAreClean() throws Exception {
        TestFs fresh = new TestFs(4096, 4096);
        fresh.fs.close();
        FsckReport report = Fsck.run(fresh.blocks, false);
        assertThat(report.problems()).isEmpty();
        assertThat(report.clean()).isTrue();
        FsckReport busy = Fsck.run(busy().blocks, false);
        assertThat(busy.problems()).isEmpty();
        assertThat(busy.files()).isEqualTo(29 + 1 + 1);
        assertThat(busy.directories()).isEqualTo(3);
    }

    @Test
    void aLeakedBlockAndAWrongLinkCountAreFoundAndRepaired() throws Exception {
        TestFs t = busy();
        t.fs = t.open(false);
        FsState state = t.fs.state();
        long file = t.fs.lookup(OWNER, ROOT, "hard").inode();
        try (Transaction transaction = state.committer.begin(8)) {
            transaction.allocate(state.layout.dataStart() + 5000, 3);
            transaction.put(state.inode(file).withNlink(7));
        }
        t.fs.close();
        FsckReport found = Fsck.run(t.blocks, false);
        assertThat(found.problems()).anyMatch(p -> p.contains("3 block(s) are marked in use "
                + "but no file has them"));
        assertThat(found.problems()).anyMatch(p -> p.contains("inode " + file
                + " has link count 7 but 2 links"));
        assertThat(Fsck.run(t.blocks, false).clean()).as("a check alone changes nothing")
                .isFalse();
        FsckReport repaired = Fsck.run(t.blocks, true);
        assertThat(repaired.problems()).isEmpty();
        assertThat(repaired.repaired()).anyMatch(r -> r.contains("link count of inode " + file));
        assertThat(Fsck.run(t.blocks, false).clean()).isTrue();
    }

    @Test
    void anEntryToAFreedInodeIsRemovedAndAFileInNoDirectoryGoesToLostAndFound()
            throws Exception {
        TestFs t = busy();
        t.fs = t.open(false);
        FsState state = t.fs.state();
        long dir = t.fs.lookup(OWNER, ROOT, "dir").inode();
        long freed = t.fs.lookup(OWNER, dir, "f5").inode();
        long lost = t.fs.lookup(OWNER, dir, "f6").inode();
        t.fs.write(lost, 0, bytes("still here"));
        try (Transaction transaction = state.committer.begin(16);
             InodeLocks.Held held = state.locks.write(dir, freed, lost)) {
            Node node = state.node(state.inode(freed));
            for (Extent extent : node.tree.extents()) {
                transaction.freeBlocks(extent.physical(), extent.length(), false);
            }
            transaction.free(freed);
            Directory.remove(transaction, state.node(state.inode(dir)), "f6");
        }
        t.fs.close();
        FsckReport found = Fsck.run(t.blocks, false);
        assertThat(found.problems()).anyMatch(p -> p.contains("entry 'f5' in directory " + dir
                + " names an inode not in use"));
        assertThat(found.problems()).anyMatch(p -> p.contains("inode " + lost
                + " (a file, 5800 bytes) is in no directory"));
        FsckReport repaired = Fsck.run(t.blocks, true);
        assertThat(repaired.problems()).isEmpty();
        t.fs = t.open(false);
        long lostFound = t.fs.lookup(OWNER, ROOT, "lost+found").inode();
        assertThat(t.read(t.fs.lookup(org.cnt.fs.Caller.ROOT, lostFound, "#" + lost).inode(), 0,
                10))
                .isEqualTo("still here");
    }

    @Test
    void aDamagedInodeAndABlockTwoFilesClaimAreNamed() throws Exception {
        TestFs t = busy();
        t.fs = t.open(false);
        long dir = t.fs.lookup(OWNER, ROOT, "dir").inode();
        long a = t.fs.lookup(OWNER, dir, "f10").inode();
        long b = t.fs.lookup(OWNER, dir, "f11").inode();
        FsState state = t.fs.state();
        try (Transaction transaction = state.committer.begin(8);
             InodeLocks.Held held = state.locks.write(a, b)) {
            Inode second = state.inode(b);
            Extent stolen = state.node(state.inode(a)).tree.extents().getFirst();
            transaction.put(second.withData(0, java.util.List.of(new Extent(0, 1,
                    stolen.physical())), new byte[0]));
        }
        t.fs.close();
        Layout layout = Layout.plan(512, 16384L * 512);
        t.fs = t.open(false);
        long victim = t.fs.lookup(OWNER, dir, "f12").inode();
        t.fs.close();
        byte[] table = new byte[512];
        t.blocks.read(Disk.inodeBlock(layout, victim), table);
        table[Disk.inodeOffset(layout, victim) + 20] ^= 0x40;
        t.blocks.write(Disk.inodeBlock(layout, victim), table);
        FsckReport found = Fsck.run(t.blocks, false);
        assertThat(found.problems()).anyMatch(p -> p.contains("is claimed by inode " + a
                + " and by inode " + b));
        assertThat(found.problems()).anyMatch(p -> p.startsWith("inode " + victim
                + " is damaged"));
        FsckReport repaired = Fsck.run(t.blocks, true);
        assertThat(repaired.repaired()).anyMatch(r -> r.contains("cleared damaged inode "
                + victim));
        assertThat(repaired.repaired()).anyMatch(r -> r.contains("claimed by two files"));
        assertThat(repaired.problems()).as("shared blocks are left for the user")
                .allMatch(p -> p.contains("claimed by inode"));
    }

    @Test
    void aDamagedJournalIsNamedAndResetOnRepair() throws Exception {
        TestFs t = busy();
        Layout layout = Disk.layoutOf(t.blocks);
        byte[] garbage = new byte[512];
        new java.util.Random(3).nextBytes(garbage);
        t.blocks.write(layout.journalStart(), garbage);
        t.blocks.write(layout.journalStart() + 1, garbage);
        FsckReport found = Fsck.run(t.blocks, false);
        assertThat(found.problems()).singleElement().asString()
                .contains("the journal is damaged");
        FsckReport repaired = Fsck.run(t.blocks, true);
        assertThat(repaired.problems()).isEmpty();
        assertThat(repaired.repaired()).containsExactly("reset the damaged journal (the changes "
                + "it held are lost)");
        t.fs = t.open(false);
        assertThat(t.fs.lookup(OWNER, ROOT, "hard").nlink()).isEqualTo(2);
    }
}
