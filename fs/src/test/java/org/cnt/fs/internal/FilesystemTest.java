package org.cnt.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cnt.fs.internal.TestFs.OWNER;
import static org.cnt.fs.internal.TestFs.bytes;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.cnt.fs.Attributes;
import org.cnt.fs.Caller;
import org.cnt.fs.DirEntry;
import org.cnt.fs.Filesystem;
import org.cnt.fs.FsError;
import org.cnt.fs.FsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FilesystemTest {
    private static final long ROOT = Filesystem.ROOT;
    private static final Caller OTHER = Caller.of(2000, 2000);

    static void assertErrno(FsError error, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(FsException.class)
                .satisfies(e -> assertThat(((FsException) e).error()).isEqualTo(error));
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096})
    void filesKeepTheirBytesHolesReadAsZerosAndAllOfItSurvivesAReopen(int blockSize)
            throws Exception {
        TestFs t = new TestFs(blockSize, 8192);
        Attributes file = t.fs.create(OWNER, ROOT, "notes.txt", 0644);
        assertThat(file.isRegular()).isTrue();
        assertThat(file.uid()).isEqualTo(1000);
        assertThat(file.nlink()).isEqualTo(1);
        assertThat(t.fs.write(file.inode(), 0, bytes("hello"))).isEqualTo(5);
        long far = 40L * blockSize + 3;
        t.fs.write(file.inode(), far, bytes("world"));
        assertThat(t.read(file.inode(), 0, 5)).isEqualTo("hello");
        assertThat(t.read(file.inode(), far, 100)).isEqualTo("world");
        byte[] hole = new byte[blockSize * 2];
        assertThat(t.fs.read(file.inode(), blockSize * 3L, ByteBuffer.wrap(hole)))
                .isEqualTo(hole.length);
        assertThat(hole).containsOnly(0);
        Attributes written = t.fs.getattr(file.inode());
        assertThat(written.sizeBytes()).isEqualTo(far + 5);
        assertThat(written.blocks512() * 512).as("the hole costs nothing")
                .isEqualTo(2L * blockSize);
        assertThat(t.fs.read(file.inode(), far + 5, ByteBuffer.allocate(10))).isZero();
        t.reopen();
        assertThat(t.fs.lookup(OWNER, ROOT, "notes.txt").inode()).isEqualTo(file.inode());
        assertThat(t.read(file.inode(), 0, 5)).isEqualTo("hello");
        assertThat(t.read(file.inode(), far, 5)).isEqualTo("world");
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 1024, 4096})
    void aFragmentedFileGrowsAnExtentTreeAndReadsBackExactly(int blockSize) throws Exception {
        TestFs t = new TestFs(blockSize, 16384);
        long a = t.fs.create(OWNER, ROOT, "a", 0644).inode();
        long b = t.fs.create(OWNER, ROOT, "b", 0644).inode();
        Random random = new Random(blockSize);
        int blocks = 2000;
        byte[] expected = new byte[blocks * blockSize];
        random.nextBytes(expected);
        // Interleaved block by block with another file: every block of a is its own extent.
        for (int i = 0; i < blocks; i++) {
            t.fs.write(a, (long) i * blockSize, ByteBuffer.wrap(expected, i * blockSize,
                    blockSize));
            t.fs.write(b, (long) i * blockSize, ByteBuffer.wrap(new byte[blockSize]));
        }
        Inode inode = t.fs.state().inode(a);
        assertThat(inode.treeDepth()).isPositive();
        assertThat(t.readAll(a)).isEqualTo(expected);
        t.reopen();
        assertThat(t.readAll(a)).isEqualTo(expected);
        long before = t.fs.statfs().freeBlocks();
        t.fs.truncate(OWNER, a, 10L * blockSize + 7);
        assertThat(t.readAll(a)).isEqualTo(java.util.Arrays.copyOf(expected,
                10 * blockSize + 7));
        t.fs.truncate(OWNER, a, 12L * blockSize);
        byte[] regrown = t.readAll(a);
        assertThat(java.util.Arrays.copyOfRange(regrown, 10 * blockSize + 7, regrown.length))
                .as("bytes past a truncation read as zeros when the file grows again")
                .containsOnly(0);
        assertThat(t.fs.state().inode(a).treeDepth()).isZero();
        t.fs.sync();
        assertThat(t.fs.statfs().freeBlocks()).isGreaterThan(before + blocks - 20);
        t.fs.unlink(OWNER, ROOT, "b");
        t.reopen();
        assertErrno(FsError.ENOENT, () -> t.fs.lookup(OWNER, ROOT, "b"));
        assertThat(t.fs.getattr(a).sizeBytes()).isEqualTo(12L * blockSize);
    }

    @Test
    void directoriesCountTheirLinksAndRefuseWhatPosixRefuses() throws Exception {
        TestFs t = new TestFs(512, 8192);
        long dir = t.fs.mkdir(OWNER, ROOT, "d", 0755).inode();
        assertThat(t.fs.getattr(dir).nlink()).isEqualTo(2);
        assertThat(t.fs.getattr(ROOT).nlink()).isEqualTo(3);
        long sub = t.fs.mkdir(OWNER, dir, "sub", 0755).inode();
        assertThat(t.fs.getattr(dir).nlink()).isEqualTo(3);
        assertThat(t.fs.lookup(OWNER, sub, "..").inode()).isEqualTo(dir);
        assertThat(t.fs.lookup(OWNER, dir, ".").inode()).isEqualTo(dir);
        long file = t.fs.create(OWNER, dir, "f", 0644).inode();
        assertErrno(FsError.EEXIST, () -> t.fs.mkdir(OWNER, dir, "f", 0755));
        assertErrno(FsError.EEXIST, () -> t.fs.create(OWNER, dir, "sub", 0644));
        assertErrno(FsError.ENOTEMPTY, () -> t.fs.rmdir(OWNER, ROOT, "d"));
        assertErrno(FsError.ENOTDIR, () -> t.fs.rmdir(OWNER, dir, "f"));
        assertErrno(FsError.EISDIR, () -> t.fs.unlink(OWNER, dir, "sub"));
        assertErrno(FsError.ENOTDIR, () -> t.fs.create(OWNER, file, "x", 0644));
        assertErrno(FsError.ENOTDIR, () -> t.fs.lookup(OWNER, file, "x"));
        assertErrno(FsError.ENOENT, () -> t.fs.unlink(OWNER, dir, "missing"));
        assertErrno(FsError.EINVAL, () -> t.fs.rmdir(OWNER, dir, "."));
        assertErrno(FsError.ENOTEMPTY, () -> t.fs.rmdir(OWNER, sub, ".."));
        assertErrno(FsError.EISDIR, () -> t.fs.write(dir, 0, bytes("x")));
        assertErrno(FsError.EISDIR, () -> t.fs.read(dir, 0, ByteBuffer.allocate(1)));
        assertErrno(FsError.ENAMETOOLONG, () -> t.fs.create(OWNER, dir, "n".repeat(256),
                0644));
        t.fs.create(OWNER, dir, "n".repeat(255), 0644);
        assertErrno(FsError.EINVAL, () -> t.fs.create(OWNER, dir, "a/b", 0644));
        t.fs.rmdir(OWNER, dir, "sub");
        assertThat(t.fs.getattr(dir).nlink()).isEqualTo(2);
        assertErrno(FsError.ENOENT, () -> t.fs.getattr(sub));
        t.fs.unlink(OWNER, dir, "f");
        t.fs.unlink(OWNER, dir, "n".repeat(255));
        t.fs.rmdir(OWNER, ROOT, "d");
        assertThat(t.fs.getattr(ROOT).nlink()).isEqualTo(2);
        assertThat(names(t.fs.readdir(OWNER, ROOT, 0, 100))).containsExactly(".", "..");
    }

    @Test
    void hardLinksShareTheInodeUntilTheLastGoes() throws Exception {
        TestFs t = new TestFs(512, 8192);
        long file = t.fs.create(OWNER, ROOT, "one", 0644).inode();
        t.fs.write(file, 0, bytes("shared"));
        long dir = t.fs.mkdir(OWNER, ROOT, "d", 0755).inode();
        assertThat(t.fs.link(OWNER, file, dir, "two").nlink()).isEqualTo(2);
        assertErrno(FsError.EEXIST, () -> t.fs.link(OWNER, file, dir, "two"));
        assertErrno(FsError.EPERM, () -> t.fs.link(OWNER, dir, ROOT, "dirlink"));
        t.fs.unlink(OWNER, ROOT, "one");
        assertThat(t.fs.getattr(file).nlink()).isEqualTo(1);
        assertThat(t.read(t.fs.lookup(OWNER, dir, "two").inode(), 0, 6)).isEqualTo("shared");
        long free = t.fs.statfs().freeInodes();
        t.fs.unlink(OWNER, dir, "two");
        assertErrno(FsError.ENOENT, () -> t.fs.getattr(file));
        assertThat(t.fs.statfs().freeInodes()).isEqualTo(free + 1);
    }

    @Test
    void aFileUnlinkedWhileOpenKeepsItsDataUntilTheLastRelease() throws Exception {
        TestFs t = new TestFs(512, 8192);
        long file = t.fs.create(OWNER, ROOT, "tmp", 0644).inode();
        t.fs.open(OWNER, file, Filesystem.R_OK | Filesystem.W_OK);
        t.fs.open(OWNER, file, Filesystem.R_OK);
        t.fs.write(file, 0, ByteBuffer.wrap(new byte[5000]));
        long free = t.fs.statfs().freeBlocks();
        t.fs.unlink(OWNER, ROOT, "tmp");
        assertErrno(FsError.ENOENT, () -> t.fs.lookup(OWNER, ROOT, "tmp"));
        t.fs.write(file, 5000, bytes("still writable"));
        assertThat(t.read(file, 5000, 14)).isEqualTo("still writable");
        assertThat(t.fs.getattr(file).nlink()).isZero();
        t.fs.release(file);
        assertThat(t.fs.getattr(file).sizeBytes()).isEqualTo(5014);
        t.fs.release(file);
        assertErrno(FsError.ENOENT, () -> t.fs.getattr(file));
        t.fs.sync();
        assertThat(t.fs.statfs().freeBlocks()).isGreaterThanOrEqualTo(free);

        // Still open at a crash: the next open of the file system frees it.
        long other = t.fs.create(OWNER, ROOT, "other", 0644).inode();
        t.fs.write(other, 0, ByteBuffer.wrap(new byte[3000]));
        t.fs.open(OWNER, other, Filesystem.R_OK);
        t.fs.unlink(OWNER, ROOT, "other");
        t.fs.sync();
        t.fs = t.open(false);
        assertErrno(FsError.ENOENT, () -> t.fs.getattr(other));
        t.fs.close();
        assertThat(Fsck.run(t.blocks, false).problems()).isEmpty();
    }

    @Test
    void renameReplacesMovesDirectoriesAndHonoursItsFlags() throws Exception {
        TestFs t = new TestFs(512, 8192);
        long a = t.fs.mkdir(OWNER, ROOT, "a", 0755).inode();
        long b = t.fs.mkdir(OWNER, ROOT, "b", 0755).inode();
        long x = t.fs.create(OWNER, a, "x", 0644).inode();
        long y = t.fs.create(OWNER, b, "y", 0644).inode();
        t.fs.rename(OWNER, a, "x", b, "y", 0);
        assertThat(t.fs.lookup(OWNER, b, "y").inode()).isEqualTo(x);
        assertErrno(FsError.ENOENT, () -> t.fs.lookup(OWNER, a, "x"));
        assertErrno(FsError.ENOENT, () -> t.fs.getattr(y));
        long sub = t.fs.mkdir(OWNER, a, "sub", 0755).inode();
        t.fs.rename(OWNER, a, "sub", b, "moved", 0);
        assertThat(t.fs.getattr(a).nlink()).isEqualTo(2);
        assertThat(t.fs.getattr(b).nlink()).isEqualTo(3);
        assertThat(t.fs.lookup(OWNER, sub, "..").inode()).isEqualTo(b);
        assertErrno(FsError.EINVAL, () -> t.fs.rename(OWNER, ROOT, "b", sub, "inside", 0));
        assertErrno(FsError.EINVAL, () -> t.fs.rename(OWNER, ROOT, "b", b, "self", 0));
        t.fs.create(OWNER, sub, "keep", 0644);
        long empty = t.fs.mkdir(OWNER, a, "empty", 0755).inode();
        assertErrno(FsError.ENOTEMPTY, () -> t.fs.rename(OWNER, a, "empty", b, "moved", 0));
        assertErrno(FsError.EISDIR, () -> t.fs.rename(OWNER, b, "y", b, "moved", 0));
        assertErrno(FsError.ENOTDIR, () -> t.fs.rename(OWNER, b, "moved", b, "y", 0));
        assertErrno(FsError.EEXIST, () -> t.fs.rename(OWNER, b, "y", b, "moved",
                Filesystem.RENAME_NOREPLACE));
        assertErrno(FsError.ENOENT, () -> t.fs.rename(OWNER, b, "y", b, "nothing",
                Filesystem.RENAME_EXCHANGE));
        assertErrno(FsError.EINVAL, () -> t.fs.rename(OWNER, b, "y", b, "z", 3));
        t.fs.rename(OWNER, b, "y", a, "empty", Filesystem.RENAME_EXCHANGE);
        assertThat(t.fs.lookup(OWNER, a, "empty").inode()).isEqualTo(x);
        assertThat(t.fs.lookup(OWNER, b, "y").inode()).isEqualTo(empty);
        assertThat(t.fs.lookup(OWNER, empty, "..").inode()).isEqualTo(b);
        assertThat(t.fs.getattr(a).nlink()).isEqualTo(2);
        assertThat(t.fs.getattr(b).nlink()).isEqualTo(4);
        t.fs.rename(OWNER, b, "y", b, "y", 0);
        long twin = t.fs.link(OWNER, x, b, "twin").inode();
        t.fs.rename(OWNER, a, "empty", b, "twin", 0);
        assertThat(t.fs.getattr(twin).nlink()).as("a rename onto a link of itself does "
                + "nothing").isEqualTo(2);
        t.reopen();
        assertThat(t.fs.lookup(OWNER, sub, "keep").isRegular()).isTrue();
        assertThat(t.fs.getattr(b).nlink()).isEqualTo(4);
    }

    @Test
    void symlinksShortAndLongResolveAndLoopsEnd() throws Exception {
        TestFs t = new TestFs(512, 8192);
        long dir = t.fs.mkdir(OWNER, ROOT, "dir", 0755).inode();
        long file = t.fs.create(OWNER, dir, "file", 0644).inode();
        t.fs.symlink(OWNER, ROOT, "short", "dir/file");
        String longTarget = "/" + "x/".repeat(400) + "../".repeat(400) + "dir/file";
        long longLink = t.fs.symlink(OWNER, ROOT, "long", longTarget).inode();
        assertThat(t.fs.readlink(longLink)).isEqualTo(longTarget);
        assertThat(t.fs.getattr(longLink).sizeBytes()).isEqualTo(longTarget.length());
        assertThat(t.fs.resolve(OWNER, "/short", true).inode()).isEqualTo(file);
        assertThat(t.fs.resolve(OWNER, "/short", false).isSymlink()).isTrue();
        t.fs.symlink(OWNER, ROOT, "loop1", "/loop2");
        t.fs.symlink(OWNER, ROOT, "loop2", "loop1");
        assertErrno(FsError.ELOOP, () -> t.fs.resolve(OWNER, "/loop1", true));
        assertErrno(FsError.ELOOP, () -> t.fs.open(OWNER, t.fs.resolve(OWNER, "/loop1",
                false).inode(), Filesystem.R_OK));
        assertErrno(FsError.ENOTDIR, () -> t.fs.resolve(OWNER, "/dir/file/x", true));
        assertErrno(FsError.EINVAL, () -> t.fs.readlink(file));
        t.reopen();
        assertThat(t.fs.readlink(longLink)).isEqualTo(longTarget);
    }

    @Test
    void permissionsFollowTheOwnerGroupOtherBitsStickyAndRoot() throws Exception {
        TestFs t = new TestFs(512, 8192);
        long shared = t.fs.mkdir(OWNER, ROOT, "shared", 0777).inode();
        t.fs.chmod(OWNER, shared, 01777);
        long mine = t.fs.create(OWNER, shared, "mine", 0600).inode();
        assertErrno(FsError.EACCES, () -> t.fs.open(OTHER, mine, Filesystem.R_OK));
        assertErrno(FsError.EPERM, () -> t.fs.unlink(OTHER, shared, "mine"));
        assertErrno(FsError.EPERM, () -> t.fs.chmod(OTHER, mine, 0777));
        assertErrno(FsError.EPERM, () -> t.fs.chown(OWNER, mine, 2000, -1));
        assertErrno(FsError.EPERM, () -> t.fs.chown(OWNER, mine, -1, 2000));
        t.fs.chown(Caller.ROOT, mine, 2000, 2000);
        t.fs.open(OTHER, mine, Filesystem.R_OK | Filesystem.W_OK);
        t.fs.open(Caller.ROOT, mine, Filesystem.R_OK | Filesystem.W_OK);
        long closed = t.fs.mkdir(OWNER, ROOT, "closed", 0700).inode();
        t.fs.create(OWNER, closed, "inside", 0644);
        assertErrno(FsError.EACCES, () -> t.fs.lookup(OTHER, closed, "inside"));
        assertErrno(FsError.EACCES, () -> t.fs.create(OTHER, closed, "new", 0644));
        assertErrno(FsError.EACCES, () -> t.fs.readdir(OTHER, closed, 0, 10));
        assertErrno(FsError.EACCES, () -> t.fs.access(OTHER, closed, Filesystem.X_OK));
        t.fs.access(Caller.ROOT, closed, Filesystem.X_OK);
        long script = t.fs.create(OWNER, ROOT, "script", 04755).inode();
        t.fs.chown(Caller.ROOT, script, 1000, 3000);
        assertThat(t.fs.getattr(script).permissions()).as("chown drops set-user-ID")
                .isEqualTo(0755);
        Caller member = new Caller(1000, 1000, new int[] {3000});
        t.fs.chown(member, script, -1, 3000);
        assertErrno(FsError.EACCES, () -> t.fs.truncate(OTHER, script, 0));
    }

    @Test
    void timesChangeAsPosixSaysAndUtimensTakesNowAndOmit() throws Exception {
        TestFs t = new TestFs(512, 8192);
        long file = t.fs.create(OWNER, ROOT, "f", 0666).inode();
        Attributes created = t.fs.getattr(file);
        assertThat(created.mtimeNs()).isEqualTo(t.clock.get());
        long later = t.tick();
        t.fs.write(file, 0, bytes("x"));
        Attributes written = t.fs.getattr(file);
        assertThat(written.mtimeNs()).isEqualTo(later);
        assertThat(written.ctimeNs()).isEqualTo(later);
        assertThat(written.atimeNs()).isEqualTo(created.atimeNs());
        assertThat(t.fs.getattr(ROOT).mtimeNs()).isEqualTo(created.mtimeNs());
        long now = t.tick();
        t.fs.utimens(OWNER, file, 5_000, Filesystem.UTIME_OMIT);
        Attributes set = t.fs.getattr(file);
        assertThat(set.atimeNs()).isEqualTo(5_000);
        assertThat(set.mtimeNs()).isEqualTo(later);
        assertThat(set.ctimeNs()).isEqualTo(now);
        assertErrno(FsError.EPERM, () -> t.fs.utimens(OTHER, file, 1, 1));
        long touched = t.tick();
        t.fs.utimens(OTHER, file, Filesystem.UTIME_NOW, Filesystem.UTIME_NOW);
        assertThat(t.fs.getattr(file).mtimeNs()).isEqualTo(touched);
        t.fs.chmod(OWNER, file, 0644);
        assertErrno(FsError.EACCES, () -> t.fs.utimens(OTHER, file, Filesystem.UTIME_NOW,
                Filesystem.UTIME_NOW));
        long unlinked = t.tick();
        t.fs.create(OWNER, ROOT, "g", 0644);
        assertThat(t.fs.getattr(ROOT).mtimeNs()).isEqualTo(unlinked);
    }

    @Test
    void readdirOffsetsStayValidWhileTheDirectoryChanges() throws Exception {
        TestFs t = new TestFs(512, 32768);
        long dir = t.fs.mkdir(OWNER, ROOT, "d", 0755).inode();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            all.add("file-" + i);
            t.fs.create(OWNER, dir, "file-" + i, 0644);
        }
        List<String> seen = new ArrayList<>();
        long offset = 0;
        int round = 0;
        while (true) {
            List<DirEntry> page = t.fs.readdir(OWNER, dir, offset, 7);
            if (page.isEmpty()) {
                break;
            }
            for (DirEntry entry : page) {
                seen.add(entry.name());
            }
            offset = page.getLast().nextOffset();
            // Between pages: remove one not yet listed, add a new one.
            String victim = "file-" + (199 - round);
            if (round < 200 && !seen.contains(victim)) {
                t.fs.unlink(OWNER, dir, victim);
                all.remove(victim);
            }
            if (round < 100) {
                t.fs.create(OWNER, dir, "new-" + round, 0644);
            }
            round++;
        }
        assertThat(seen).doesNotHaveDuplicates();
        List<String> unchanged = all.stream().filter(n -> n.startsWith("file-")).toList();
        assertThat(seen).as("every entry present throughout is listed once")
                .containsAll(unchanged);
        assertThat(seen).doesNotContain("file-199");
        assertThat(seen.subList(0, 2)).containsExactly(".", "..");
    }

    @Test
    void extendedAttributesFollowFlagsNamespacesAndLimits() throws Exception {
        TestFs t = new TestFs(512, 8192);
        long file = t.fs.create(OWNER, ROOT, "f", 0644).inode();
        t.fs.setxattr(OWNER, file, "user.colour", bytes("blue").array(), 0);
        assertThat(new String(t.fs.getxattr(OWNER, file, "user.colour"))).isEqualTo("blue");
        assertErrno(FsError.EEXIST, () -> t.fs.setxattr(OWNER, file, "user.colour",
                new byte[1], Filesystem.XATTR_CREATE));
        assertErrno(FsError.ENODATA, () -> t.fs.setxattr(OWNER, file, "user.size",
                new byte[1], Filesystem.XATTR_REPLACE));
        t.fs.setxattr(OWNER, file, "user.colour", bytes("red").array(),
                Filesystem.XATTR_REPLACE);
        t.fs.setxattr(Caller.ROOT, file, "trusted.secret", new byte[3], 0);
        assertThat(t.fs.listxattr(OWNER, file)).containsExactly("user.colour");
        assertThat(t.fs.listxattr(Caller.ROOT, file)).containsExactly("user.colour",
                "trusted.secret");
        assertErrno(FsError.EPERM, () -> t.fs.setxattr(OWNER, file, "trusted.x", new byte[1],
                0));
        assertErrno(FsError.EACCES, () -> t.fs.setxattr(OTHER, file, "user.x", new byte[1],
                0));
        assertErrno(FsError.EOPNOTSUPP, () -> t.fs.setxattr(OWNER, file, "other.x",
                new byte[1], 0));
        assertErrno(FsError.ENODATA, () -> t.fs.getxattr(OWNER, file, "user.none"));
        assertErrno(FsError.ERANGE, () -> t.fs.getxattr(OWNER, file, "user." + "n".repeat(
                300)));
        assertErrno(FsError.ENOSPC, () -> t.fs.setxattr(OWNER, file, "user.big",
                new byte[600], 0));
        t.reopen();
        assertThat(new String(t.fs.getxattr(OWNER, file, "user.colour"))).isEqualTo("red");
        t.fs.removexattr(OWNER, file, "user.colour");
        t.fs.removexattr(Caller.ROOT, file, "trusted.secret");
        assertErrno(FsError.ENODATA, () -> t.fs.removexattr(OWNER, file, "user.colour"));
        assertThat(t.fs.listxattr(Caller.ROOT, file)).isEmpty();
        assertThat(t.fs.getattr(file).blocks512()).isZero();
    }

    @Test
    void aFullVolumeSaysEnospcAndWorksAgainAfterAFree() throws Exception {
        TestFs t = new TestFs(512, 2048);
        long file = t.fs.create(OWNER, ROOT, "fill", 0644).inode();
        byte[] chunk = new byte[64 * 512];
        long offset = 0;
        FsException full = null;
        while (full == null) {
            try {
                offset += t.fs.write(file, offset, ByteBuffer.wrap(chunk));
            } catch (FsException e) {
                full = e;
            }
        }
        assertThat(full.error()).isEqualTo(FsError.ENOSPC);
        assertThat(t.fs.statfs().freeBlocks()).isZero();
        t.fs.unlink(OWNER, ROOT, "fill");
        t.fs.sync();
        assertThat(t.fs.statfs().freeBlocks()).isPositive();
        long again = t.fs.create(OWNER, ROOT, "again", 0644).inode();
        t.fs.write(again, 0, ByteBuffer.wrap(chunk));
        assertThat(t.readAll(again)).isEqualTo(chunk);
    }

    @Test
    void tooLargeOffsetsAreEfbigAndAReadOnlyFilesystemIsErofs() throws Exception {
        TestFs t = new TestFs(512, 8192);
        long file = t.fs.create(OWNER, ROOT, "f", 0644).inode();
        long max = (Extent.MAX_LOGICAL + 1) * 512;
        assertErrno(FsError.EFBIG, () -> t.fs.write(file, max, bytes("x")));
        assertErrno(FsError.EFBIG, () -> t.fs.truncate(OWNER, file, max + 1));
        t.fs.truncate(OWNER, file, max);
        assertThat(t.fs.getattr(file).sizeBytes()).isEqualTo(max);
        t.fs.close();
        t.fs = t.open(true);
        assertErrno(FsError.EROFS, () -> t.fs.create(OWNER, ROOT, "g", 0644));
        assertErrno(FsError.EROFS, () -> t.fs.write(file, 0, bytes("x")));
        assertErrno(FsError.EROFS, () -> t.fs.open(OWNER, file, Filesystem.W_OK));
        assertErrno(FsError.EROFS, () -> t.fs.setxattr(OWNER, file, "user.a", new byte[1], 0));
        assertThat(t.fs.lookup(OWNER, ROOT, "f").sizeBytes()).isEqualTo(max);
    }

    @Test
    void fallocateReservesPunchesAndZeros() throws Exception {
        TestFs t = new TestFs(512, 8192);
        long file = t.fs.create(OWNER, ROOT, "f", 0644).inode();
        t.fs.fallocate(OWNER, file, 0, 100, 4000);
        Attributes reserved = t.fs.getattr(file);
        assertThat(reserved.sizeBytes()).isEqualTo(4100);
        assertThat(reserved.blocks512()).isEqualTo(9);
        assertThat(t.readAll(file)).containsOnly(0);
        t.fs.fallocate(OWNER, file, Filesystem.FALLOC_FL_KEEP_SIZE, 4100, 10_000);
        assertThat(t.fs.getattr(file).sizeBytes()).isEqualTo(4100);
        byte[] ones = new byte[4100];
        java.util.Arrays.fill(ones, (byte) 1);
        t.fs.write(file, 0, ByteBuffer.wrap(ones));
        t.fs.fallocate(OWNER, file, Filesystem.FALLOC_FL_PUNCH_HOLE
                | Filesystem.FALLOC_FL_KEEP_SIZE, 700, 2000);
        byte[] punched = t.readAll(file);
        for (int i = 0; i < punched.length; i++) {
            assertThat(punched[i]).as("byte %d", i).isEqualTo((byte) (i >= 700 && i < 2700
                    ? 0 : 1));
        }
        assertThat(t.fs.getattr(file).blocks512()).as("whole blocks 2..4 freed")
                .isEqualTo(9 + 19 - 3);
        t.fs.fallocate(OWNER, file, Filesystem.FALLOC_FL_ZERO_RANGE, 3000, 200);
        assertThat(t.readAll(file)[3100]).isZero();
        assertErrno(FsError.EOPNOTSUPP, () -> t.fs.fallocate(OWNER, file,
                Filesystem.FALLOC_FL_PUNCH_HOLE, 0, 10));
        assertErrno(FsError.EINVAL, () -> t.fs.fallocate(OWNER, file, 0, 0, 0));
    }

    @Test
    void statfsCountsFreeBlocksAndInodes() throws Exception {
        TestFs t = new TestFs(4096, 4096);
        var before = t.fs.statfs();
        assertThat(before.blockSizeBytes()).isEqualTo(4096);
        assertThat(before.maxNameBytes()).isEqualTo(255);
        long file = t.fs.create(OWNER, ROOT, "f", 0644).inode();
        t.fs.write(file, 0, ByteBuffer.wrap(new byte[10 * 4096]));
        var after = t.fs.statfs();
        assertThat(after.freeBlocks()).isEqualTo(before.freeBlocks() - 10);
        assertThat(after.freeInodes()).isEqualTo(before.freeInodes() - 1);
    }

    @Test
    void mknodMakesFifosAndDevicesForRootOnly() throws Exception {
        TestFs t = new TestFs(512, 8192);
        Attributes fifo = t.fs.mknod(OWNER, ROOT, "pipe", 0010644, 0);
        assertThat(fifo.type()).isEqualTo(0010000);
        assertErrno(FsError.EPERM, () -> t.fs.mknod(OWNER, ROOT, "dev", 0020644, 0x0103));
        Attributes device = t.fs.mknod(Caller.ROOT, ROOT, "dev", 0020644, 0x0103);
        assertThat(t.fs.getattr(device.inode()).rdev()).isEqualTo(0x0103);
        assertErrno(FsError.EINVAL, () -> t.fs.read(fifo.inode(), 0, ByteBuffer.allocate(1)));
    }

    @Test
    void concurrentOperationsOnManyFilesAllLand() throws Exception {
        TestFs t = new TestFs(1024, 32768);
        long[] dirs = new long[4];
        for (int d = 0; d < dirs.length; d++) {
            dirs[d] = t.fs.mkdir(OWNER, ROOT, "d" + d, 0755).inode();
        }
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int w = 0; w < 8; w++) {
            int worker = w;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 60; i++) {
                        long dir = dirs[(worker + i) % dirs.length];
                        String name = "w" + worker + "-" + i;
                        long file = t.fs.create(OWNER, dir, name, 0644).inode();
                        t.fs.write(file, 0, bytes(name));
                        if (i % 3 == 0) {
                            t.fs.rename(OWNER, dir, name, dirs[(worker + i + 1) % dirs.length],
                                    name, 0);
                        }
                        if (i % 10 == 0) {
                            t.fs.sync();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        // Directories moving back and forth between two parents while files are made in them
        // and in the parents: the rename lock and the lock order must never deadlock.
        long movingA = t.fs.mkdir(OWNER, dirs[0], "moving", 0755).inode();
        for (int m = 0; m < 2; m++) {
            int mover = m;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        long from = dirs[i % 2];
                        long to = dirs[(i + 1) % 2];
                        try {
                            t.fs.rename(OWNER, from, "moving", to, "moving", 0);
                        } catch (FsException raced) {
                            assertThat(raced.error()).isEqualTo(FsError.ENOENT);
                        }
                        try {
                            t.fs.create(OWNER, movingA, "m" + mover + "-" + i, 0644);
                        } catch (FsException raced) {
                            throw new AssertionError(raced);
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failures).isEmpty();
        assertThat(t.fs.readdir(OWNER, movingA, 0, 1000)).hasSize(2 + 200);
        t.reopen();
        int files = 0;
        for (long dir : dirs) {
            for (DirEntry entry : t.fs.readdir(OWNER, dir, 0, 1000)) {
                if (entry.name().startsWith("w")) {
                    assertThat(t.read(entry.inode(), 0, 100)).isEqualTo(entry.name());
                    files++;
                }
            }
        }
        assertThat(files).isEqualTo(8 * 60);
    }

    static List<String> names(List<DirEntry> entries) {
        return entries.stream().map(DirEntry::name).toList();
    }
}
