package org.cnt.fs.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cnt.blockdev.BlockDevice;
import org.cnt.fs.Caller;
import org.cnt.fs.Filesystem;
import org.cnt.fs.FsError;
import org.cnt.fs.FsOptions;
import org.cnt.fs.internal.CntFilesystem;
import org.cryptomator.jfuse.api.DirFiller;
import org.cryptomator.jfuse.api.Stat;
import org.cryptomator.jfuse.api.TimeSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The adapter called as libfuse would, without a mount: results, errnos, handles. */
class FuseAdapterTest {
    private static final Caller USER = Caller.of(1000, 1000);
    private FuseAdapter fuse;
    private Filesystem fs;

    @BeforeEach
    void mount() throws Exception {
        BlockDevice device = new org.cnt.fs.internal.TestDevices().memory(32L << 20);
        CntFilesystem.format(device, 4096, USER, 1_000);
        fs = CntFilesystem.open(device, FsOptions.DEFAULTS.withCommitIntervalMs(0));
        fuse = new FuseAdapter(fs, () -> USER, null, () -> { });
    }

    @Test
    void filesAreMadeWrittenReadListedAndStatted() {
        FakeInfo info = new FakeInfo(1);
        assertThat(fuse.create("/hello.txt", 0644, info)).isZero();
        assertThat(info.getFh()).isPositive();
        byte[] text = "hello, drive".getBytes(StandardCharsets.UTF_8);
        assertThat(fuse.write("/hello.txt", ByteBuffer.wrap(text), text.length, 0, info))
                .isEqualTo(text.length);
        assertThat(fuse.release("/hello.txt", info)).isZero();
        FakeStat stat = new FakeStat();
        assertThat(fuse.getattr("/hello.txt", stat, null)).isZero();
        assertThat(stat.size).isEqualTo(text.length);
        assertThat(stat.mode).isEqualTo(0100644);
        assertThat(stat.uid).isEqualTo(1000);
        FakeInfo reading = new FakeInfo(0);
        assertThat(fuse.open("/hello.txt", reading)).isZero();
        ByteBuffer back = ByteBuffer.allocate(100);
        assertThat(fuse.read("/hello.txt", back, 100, 0, reading)).isEqualTo(text.length);
        assertThat(fuse.mkdir("/dir", 0755)).isZero();
        assertThat(fuse.link("/hello.txt", "/dir/hard")).isZero();
        FakeStat linked = new FakeStat();
        fuse.getattr("/dir/hard", linked, null);
        assertThat(linked.nlink).isEqualTo(2);
        assertThat(fuse.symlink("hello.txt", "/dir/link")).isZero();
        ByteBuffer target = ByteBuffer.allocate(6);
        assertThat(fuse.readlink("/dir/link", target, 6)).isZero();
        assertThat(new String(target.array(), 0, 5, StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(target.get(5)).as("NUL-terminated, truncated").isZero();
        List<String> names = new ArrayList<>();
        FakeInfo dir = new FakeInfo(0);
        assertThat(fuse.opendir("/", dir)).isZero();
        assertThat(fuse.readdir("/", filler(names, Integer.MAX_VALUE), 0, dir, 0)).isZero();
        assertThat(names).containsExactly(".", "..", "hello.txt", "dir");
        names.clear();
        fuse.readdir("/dir", filler(names, Integer.MAX_VALUE), 0, new FakeInfo(0), 0);
        assertThat(names).containsExactly(".", "..", "hard", "link");
    }

    @Test
    void readdirStopsWhenTheBufferIsFullAndGoesOnFromTheOffset() {
        fuse.mkdir("/many", 0755);
        for (int i = 0; i < 50; i++) {
            fuse.mknod("/many/f" + i, (short) 0100644, 0);
        }
        List<String> names = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        FakeInfo dir = new FakeInfo(0);
        fuse.opendir("/many", dir);
        long offset = 0;
        for (int round = 0; round < 20; round++) {
            List<String> page = new ArrayList<>();
            fuse.readdir("/many", (name, stat, next, flags) -> {
                if (page.size() == 7) {
                    return 1;
                }
                page.add(name);
                offsets.add(next);
                return 0;
            }, offset, dir, 0);
            if (page.isEmpty()) {
                break;
            }
            names.addAll(page);
            offset = offsets.getLast();
        }
        assertThat(names).hasSize(52).doesNotHaveDuplicates();
    }

    @Test
    void failuresAreTheirErrnosAndABugIsEio() {
        FakeStat stat = new FakeStat();
        assertThat(fuse.getattr("/missing", stat, null)).isEqualTo(-FsError.ENOENT.errno());
        fuse.mkdir("/d", 0755);
        assertThat(fuse.mkdir("/d", 0755)).isEqualTo(-FsError.EEXIST.errno());
        assertThat(fuse.unlink("/d")).isEqualTo(-FsError.EISDIR.errno());
        fuse.mknod("/d/f", (short) 0100644, 0);
        assertThat(fuse.rmdir("/d")).isEqualTo(-FsError.ENOTEMPTY.errno());
        assertThat(fuse.rename("/d/f", "/d", Filesystem.RENAME_NOREPLACE))
                .isEqualTo(-FsError.EEXIST.errno());
        assertThat(fuse.link("/d", "/d2")).isEqualTo(-FsError.EPERM.errno());
        assertThat(fuse.getxattr("/d", "user.none", ByteBuffer.allocate(10)))
                .isEqualTo(-FsError.ENODATA.errno());
        Filesystem broken = (Filesystem) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Filesystem.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("a bug");
                });
        FuseAdapter buggy = new FuseAdapter(broken, () -> USER, null, () -> { });
        assertThat(buggy.getattr("/x", stat, null)).isEqualTo(-FsError.EIO.errno());
        assertThat(buggy.mkdir("/x", 0755)).isEqualTo(-FsError.EIO.errno());
    }

    @Test
    void extendedAttributesAnswerSizeQueriesAndShortBuffers() {
        fuse.mknod("/f", (short) 0100644, 0);
        assertThat(fuse.setxattr("/f", "user.tag", ByteBuffer.wrap(new byte[] {1, 2, 3}), 0))
                .isZero();
        assertThat(fuse.getxattr("/f", "user.tag", ByteBuffer.allocate(0))).isEqualTo(3);
        assertThat(fuse.getxattr("/f", "user.tag", ByteBuffer.allocate(2)))
                .isEqualTo(-FsError.ERANGE.errno());
        ByteBuffer value = ByteBuffer.allocate(3);
        assertThat(fuse.getxattr("/f", "user.tag", value)).isEqualTo(3);
        assertThat(value.array()).containsExactly(1, 2, 3);
        assertThat(fuse.listxattr("/f", ByteBuffer.allocate(0))).isEqualTo(9);
        ByteBuffer list = ByteBuffer.allocate(9);
        assertThat(fuse.listxattr("/f", list)).isEqualTo(9);
        assertThat(new String(list.array(), StandardCharsets.UTF_8)).isEqualTo("user.tag\0");
        assertThat(fuse.removexattr("/f", "user.tag")).isZero();
    }

    @Test
    void openWithTruncateEmptiesTheFileAndUtimensTakesNowAndOmit() throws Exception {
        FakeInfo info = new FakeInfo(1);
        fuse.create("/t", 0644, info);
        fuse.write("/t", ByteBuffer.wrap(new byte[100]), 100, 0, info);
        fuse.release("/t", info);
        FakeInfo truncating = new FakeInfo(1 | 01000);
        assertThat(fuse.open("/t", truncating)).isZero();
        assertThat(fs.getattr(truncating.getFh()).sizeBytes()).isZero();
        FakeTime atime = new FakeTime(Instant.ofEpochSecond(5, 7), false, false);
        FakeTime omit = new FakeTime(null, false, true);
        assertThat(fuse.utimens("/t", atime, omit, null)).isZero();
        assertThat(fs.getattr(truncating.getFh()).atimeNs()).isEqualTo(5_000_000_007L);
    }

    private static DirFiller filler(List<String> names, int max) {
        return (name, stat, offset, flags) -> {
            if (names.size() >= max) {
                return 1;
            }
            names.add(name);
            return 0;
        };
    }

    static final class FakeInfo extends HandleInfo {
        FakeInfo(int flags) {
            super(0, flags);
        }
    }

    record FakeTime(Instant value, boolean now, boolean omit) implements TimeSpec {
        @Override
        public boolean isUtimeOmit() {
            return omit;
        }

        @Override
        public boolean isUtimeNow() {
            return now;
        }

        @Override
        public void set(Instant instant) {
        }

        @Override
        public Instant get() {
            return value;
        }
    }

    static final class FakeStat implements Stat {
        int mode;
        int uid;
        int gid;
        long nlink;
        long size;
        private final TimeSpec time = new FakeTime(Instant.EPOCH, false, false);

        @Override
        public TimeSpec aTime() {
            return time;
        }

        @Override
        public TimeSpec cTime() {
            return time;
        }

        @Override
        public TimeSpec mTime() {
            return time;
        }

        @Override
        public TimeSpec birthTime() {
            return time;
        }

        @Override
        public void setMode(int value) {
            mode = value;
        }

        @Override
        public int getMode() {
            return mode;
        }

        @Override
        public void setUid(int value) {
            uid = value;
        }

        @Override
        public int getUid() {
            return uid;
        }

        @Override
        public void setGid(int value) {
            gid = value;
        }

        @Override
        public int getGid() {
            return gid;
        }

        @Override
        public void setNLink(short value) {
            nlink = value;
        }

        @Override
        public long getNLink() {
            return nlink;
        }

        @Override
        public void setSize(long value) {
            size = value;
        }

        @Override
        public long getSize() {
            return size;
        }
    }

}
