package org.cnt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cnt mount} for real, zero-config (it starts the devnet, rents and formats a volume):
 * the tools people use (cp -a, tar, git, rsync, a program writing at random with fsync) see a
 * local disk, byte for byte, across an unmount and a remount; other users meet the permission
 * bits; a read-only mount refuses writes; each mistake ends in its one-line message.
 */
class FsMountIT {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path home;

    private static final Path SOURCE = Path.of("..", "fs", "src").toAbsolutePath().normalize();

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theDriveBehavesLikeALocalDiskAcrossARemount() throws Exception {
        FuseAvailable.assume("fusermount3", "git", "rsync", "tar", "diff", "setpriv");
        // Other users must reach the mount point: not under the 0700 temporary directory.
        Path mounts = Files.createTempDirectory(Path.of("/tmp"), "cnt-it-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rwxr-xr-x")));
        Path mnt = Files.createDirectory(mounts.resolve("cloud"));
        CntProcesses cnt = new CntProcesses(home);
        try {
            mistakesBeforeMounting(cnt, mounts);
            Process mount = cnt.startMount(mnt.toString());
            mistakesWhileMounted(cnt, mounts, mnt);

            Path copy = mnt.resolve("copy");
            assertThat(cnt.tool("cp", "-a", SOURCE.toString(), copy.toString()).code()).isZero();
            assertSame(cnt, SOURCE, copy);
            assertThat(cnt.tool("tar", "cf", mnt.resolve("src.tar").toString(), "-C",
                    SOURCE.getParent().toString(), "src").code()).isZero();
            Files.createDirectory(mnt.resolve("untar"));
            assertThat(cnt.tool("tar", "xf", mnt.resolve("src.tar").toString(), "-C",
                    mnt.resolve("untar").toString()).code()).isZero();
            assertSame(cnt, SOURCE, mnt.resolve("untar").resolve("src"));
            assertThat(cnt.tool("rsync", "-a", SOURCE + "/", mnt.resolve("rsynced") + "/")
                    .code()).isZero();
            assertSame(cnt, SOURCE, mnt.resolve("rsynced"));
            assertInSync(cnt, SOURCE, copy);
            Path repo = Files.createDirectory(mnt.resolve("repo"));
            git(cnt, repo, "init", "-q");
            assertThat(cnt.tool("cp", "-r", SOURCE.toString(), repo.toString()).code()).isZero();
            git(cnt, repo, "add", "-A");
            git(cnt, repo, "-c", "user.email=it@cnt", "-c", "user.name=it", "commit", "-qm",
                    "on the drive");
            byte[] database = randomWritesWithFsync(mnt.resolve("db.bin"));
            Files.createLink(mnt.resolve("db.link"), mnt.resolve("db.bin"));
            assertThat(cnt.tool("fallocate", "-l", "1M", mnt.resolve("reserved").toString())
                    .code()).isZero();
            assertThat(Files.size(mnt.resolve("reserved"))).isEqualTo(1 << 20);
            assertThat(cnt.tool("mkfifo", mnt.resolve("pipe").toString()).code()).isZero();
            assertThat((Integer) Files.getAttribute(mnt.resolve("pipe"), "unix:mode") & 0170000)
                    .as("a FIFO").isEqualTo(0010000);
            permissionsAsAnotherUser(cnt, mnt);

            CntProcesses.Result umount = cnt.run("umount", mnt.toString());
            assertThat(umount.code()).as(umount.err()).isZero();
            assertThat(mount.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(mount.exitValue()).isZero();
            CntProcesses.Result fsck = cnt.run("fsck", "default");
            assertThat(fsck.code()).as(fsck.out() + fsck.err()).isZero();
            assertThat(fsck.out()).contains("clean");

            Process again = cnt.startMount(mnt.toString());
            assertSame(cnt, SOURCE, copy);
            assertSame(cnt, SOURCE, mnt.resolve("rsynced"));
            assertInSync(cnt, SOURCE, mnt.resolve("rsynced"));
            git(cnt, repo, "fsck", "--full");
            assertThat(cnt.tool("git", "-C", repo.toString(), "log", "--oneline").out())
                    .contains("on the drive");
            assertThat(Files.readAllBytes(mnt.resolve("db.bin"))).isEqualTo(database);
            assertThat(Files.getAttribute(mnt.resolve("db.link"), "unix:nlink")).isEqualTo(2);
            assertThat(Files.getAttribute(mnt.resolve("db.link"), "unix:ino"))
                    .isEqualTo(Files.getAttribute(mnt.resolve("db.bin"), "unix:ino"));
            assertThat(cnt.run("umount", mnt.toString()).code()).isZero();
            assertThat(again.waitFor(120, TimeUnit.SECONDS)).isTrue();

            // SIGTERM (as systemd or kill send it) flushes and unmounts like cnt umount.
            Process terminated = cnt.startMount(mnt.toString());
            Files.writeString(mnt.resolve("unsynced.txt"), "written, never fsync'd");
            terminated.destroy();
            assertThat(terminated.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(terminated.exitValue()).isIn(0, 143);
            assertThat(Mountpoint.isMounted(mnt)).isFalse();

            // --daemon returns once mounted; the mount runs on in the background.
            CntProcesses.Result daemon = cnt.run("mount", mnt.toString(), "--daemon");
            assertThat(daemon.code()).as(daemon.err()).isZero();
            assertThat(daemon.out()).contains("in the background");
            java.util.regex.Matcher pid = java.util.regex.Pattern.compile("pid ([0-9]+)")
                    .matcher(daemon.out());
            assertThat(pid.find()).isTrue();
            cnt.adopt(Long.parseLong(pid.group(1)));
            assertThat(Files.readString(mnt.resolve("unsynced.txt")))
                    .as("what was written before SIGTERM").isEqualTo("written, never fsync'd");
            assertThat(cnt.run("umount", mnt.toString()).code()).isZero();

            Process readOnly = cnt.startMount(mnt.toString(), "--read-only");
            CntProcesses.Result touch = cnt.tool("touch", mnt.resolve("new").toString());
            assertThat(touch.code()).isNotZero();
            assertThat(touch.err()).contains("Read-only file system");
            assertSame(cnt, SOURCE, copy);
            assertThat(cnt.run("umount", mnt.toString()).code()).isZero();
            assertThat(readOnly.waitFor(120, TimeUnit.SECONDS)).isTrue();
        } finally {
            cnt.close(mounts);
        }
    }

    private static void mistakesBeforeMounting(CntProcesses cnt, Path mounts) throws Exception {
        expectError(cnt.run("mount", mounts.resolve("missing").toString()), "does not exist");
        Path file = Files.writeString(mounts.resolve("file"), "x");
        expectError(cnt.run("mount", file.toString()), "is not a directory");
        Path full = Files.createDirectory(mounts.resolve("full"));
        Files.writeString(full.resolve("something"), "x");
        expectError(cnt.run("mount", full.toString()), "is not empty");
        Path other = Files.createDirectory(mounts.resolve("other"));
        expectError(cnt.run("--node", "http://127.0.0.1:1", "mount", other.toString()),
                "cannot reach the consensus node at http://127.0.0.1:1");
        expectError(cnt.tool("unshare", "--mount", "sh", "-c", "mount -t tmpfs none /dev && "
                + "touch /dev/null && " + String.join(" ", cnt.command("mount",
                other.toString()))), "/dev/fuse is missing");
        expectError(cnt.tool("unshare", "--mount", "sh", "-c", "mount --bind /dev/null "
                + "$(readlink -f /usr/lib/x86_64-linux-gnu/libfuse3.so.3) && "
                + String.join(" ", cnt.command("mount", other.toString()))),
                "install it with 'apt-get install fuse3 libfuse3-3'");
    }

    private static void mistakesWhileMounted(CntProcesses cnt, Path mounts, Path mnt)
            throws Exception {
        expectError(cnt.run("mount", mnt.toString()), "is already mounted");
        Path other = mounts.resolve("other");
        CntProcesses.Result twice = cnt.run("mount", other.toString(), "--volume", "default");
        expectError(twice, "is already open");
        assertThat(twice.err()).as("the holder is named").containsPattern("pid [0-9]+");
        assertThat(cnt.run("--wallet", "poor", "wallet", "new").code()).isZero();
        expectError(cnt.run("--wallet", "poor", "mount", other.toString()), "no funds");
    }

    private static void expectError(CntProcesses.Result result, String words) {
        assertThat(result.code()).as(result.out() + result.err()).isNotZero();
        assertThat(result.err()).contains(words).doesNotContain("\tat ")
                .doesNotContain("Exception");
    }

    private static void assertSame(CntProcesses cnt, Path expected, Path actual)
            throws Exception {
        CntProcesses.Result diff = cnt.tool("diff", "-r", expected.toString(),
                actual.toString());
        assertThat(diff.code()).as(diff.out() + diff.err()).isZero();
    }

    /**
     * rsync finds nothing to do: sizes, modification times and modes came through the kernel's
     * writeback cache as they were set (cp -a and rsync set times after writing).
     */
    private static void assertInSync(CntProcesses cnt, Path expected, Path actual)
            throws Exception {
        CntProcesses.Result dry = cnt.tool("rsync", "-a", "--dry-run", "--itemize-changes",
                expected + "/", actual + "/");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).as("what rsync would change").isEmpty();
    }

    private static void git(CntProcesses cnt, Path repo, String... args) throws Exception {
        String[] command = new String[args.length + 3];
        command[0] = "git";
        command[1] = "-C";
        command[2] = repo.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        CntProcesses.Result result = cnt.tool(command);
        assertThat(result.code()).as(String.join(" ", command) + ": " + result.err()).isZero();
    }

    /** Writes 4 KiB pages at random offsets, fsync after every batch, as a database would. */
    private static byte[] randomWritesWithFsync(Path file) throws IOException {
        int size = 8 << 20;
        byte[] expected = new byte[size];
        Random random = new Random(7);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            channel.write(ByteBuffer.wrap(new byte[size]), 0);
            for (int batch = 0; batch < 20; batch++) {
                for (int i = 0; i < 50; i++) {
                    int offset = random.nextInt(size - 4096);
                    byte[] page = new byte[1 + random.nextInt(4096)];
                    random.nextBytes(page);
                    channel.write(ByteBuffer.wrap(page), offset);
                    System.arraycopy(page, 0, expected, offset, page.length);
                }
                channel.force(true);
            }
            ByteBuffer back = ByteBuffer.allocate(size);
            while (back.hasRemaining() && channel.read(back, back.position()) > 0) {
                // read it all
            }
            assertThat(back.array()).isEqualTo(expected);
        }
        return expected;
    }

    private static void permissionsAsAnotherUser(CntProcesses cnt, Path mnt) throws Exception {
        Files.writeString(mnt.resolve("secret"), "root only");
        Files.setPosixFilePermissions(mnt.resolve("secret"),
                PosixFilePermissions.fromString("rw-------"));
        Files.writeString(mnt.resolve("public"), "everyone");
        Path shared = Files.createDirectory(mnt.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        String[] nobody = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sh",
            "-c"};
        CntProcesses.Result secret = cnt.tool(concat(nobody, "cat " + mnt.resolve("secret")));
        assertThat(secret.code()).isNotZero();
        assertThat(secret.err()).contains("Permission denied");
        CntProcesses.Result open = cnt.tool(concat(nobody, "cat " + mnt.resolve("public")));
        assertThat(open.out()).isEqualTo("everyone");
        CntProcesses.Result intoRoot = cnt.tool(concat(nobody, "touch " + mnt.resolve("mine")));
        assertThat(intoRoot.err()).contains("Permission denied");
        CntProcesses.Result made = cnt.tool(concat(nobody, "echo hi > " + shared.resolve("mine")
                + " && stat -c %u " + shared.resolve("mine")));
        assertThat(made.code()).as(made.err()).isZero();
        assertThat(made.out().trim()).as("a new file belongs to who made it").isEqualTo("65534");
    }

    private static String[] concat(String[] head, String last) {
        String[] all = java.util.Arrays.copyOf(head, head.length + 1);
        all[head.length] = last;
        return all;
    }
}
