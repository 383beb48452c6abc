package org.cnt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raw volume mounted for real on a detached devnet (separate processes): an ext4 file system
 * made on {@code disk.img} and mounted with fuse2fs takes a tree of files, checks clean after the
 * volume is unmounted, and reads back equal after it is mounted again.
 */
class RawMountIT {
    @TempDir
    Path dir;

    @Test
    void anExt4FileSystemOnTheVolumeChecksCleanAndReadsBackAfterARemount() throws Exception {
        FuseAvailable.assume("fusermount3", "fuse2fs", "mkfs.ext4", "e2fsck");
        Path home = dir.resolve("home");
        Path mounts = dir.resolve("mnt");
        Path raw = Files.createDirectories(mounts.resolve("raw"));
        Path ext = Files.createDirectories(mounts.resolve("ext"));
        Path image = raw.resolve("disk.img");
        Path tree = Path.of("src").toAbsolutePath();
        CntProcesses cnt = new CntProcesses(home);
        try {
            assertThat(cnt.run("devnet", "up", "--detach", "--farmer-capacity", "256M",
                    "--chunk-size", "16M", "--port", "0").code()).isZero();
            CntProcesses.Result status = cnt.run("devnet", "status");
            assertThat(status.out()).contains("devnet running").contains("4 farmers");
            assertThat(cnt.run("volume", "create", "--size", "128M", "--days", "30", "--name",
                    "disk").code()).isZero();

            Process mount = cnt.startMount("--raw", raw.toString(), "--volume", "disk");
            CntProcesses.Result second = cnt.run("mount", "--raw",
                    Files.createDirectories(mounts.resolve("second")).toString(), "--volume",
                    "disk");
            assertThat(second.code()).isNotZero();
            assertThat(second.err()).as("a second mount of the volume names its holder")
                    .contains("already open on this machine");
            assertThat(cnt.tool("mkfs.ext4", "-F", "-q", image.toString()).code()).isZero();
            Process fuse2fs = cnt.startTool("fuse2fs", "-f", image.toString(), ext.toString(),
                    "-o", "fakeroot");
            awaitMounted(ext);
            assertThat(cnt.tool("cp", "-a", tree.toString(), ext.resolve("tree").toString())
                    .code()).isZero();
            assertThat(cnt.tool("fusermount3", "-u", ext.toString()).code()).isZero();
            assertThat(fuse2fs.waitFor(60, TimeUnit.SECONDS)).isTrue();
            CntProcesses.Result fsck = cnt.tool("e2fsck", "-fn", image.toString());
            assertThat(fsck.code()).as(fsck.out() + fsck.err()).isZero();

            CntProcesses.Result umount = cnt.run("umount", raw.toString());
            assertThat(umount.code()).as(umount.err()).isZero();
            assertThat(umount.out()).contains("every write is committed");
            assertThat(mount.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(mount.exitValue()).isZero();
            assertThat(Mountpoint.isMounted(raw)).isFalse();

            Process again = cnt.startMount("--raw", raw.toString(), "--volume", "disk");
            CntProcesses.Result check = cnt.tool("e2fsck", "-fn", image.toString());
            assertThat(check.code()).as(check.out() + check.err()).isZero();
            Process reader = cnt.startTool("fuse2fs", "-f", image.toString(), ext.toString(),
                    "-o", "fakeroot,ro");
            awaitMounted(ext);
            CntProcesses.Result diff = cnt.tool("diff", "-r", tree.toString(),
                    ext.resolve("tree").toString());
            assertThat(diff.code()).as(diff.out()).isZero();
            assertThat(cnt.tool("fusermount3", "-u", ext.toString()).code()).isZero();
            assertThat(reader.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(cnt.run("umount", raw.toString()).code()).isZero();
            assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();

            // The CNT file system on another volume: made, not made twice, checked clean.
            assertThat(cnt.run("volume", "create", "--size", "64M", "--days", "30", "--name",
                    "files").code()).isZero();
            CntProcesses.Result mkfs = cnt.run("mkfs", "files");
            assertThat(mkfs.code()).as(mkfs.err()).isZero();
            assertThat(mkfs.out()).contains("made a CNT file system on volume files");
            CntProcesses.Result twice = cnt.run("mkfs", "files");
            assertThat(twice.code()).isOne();
            assertThat(twice.err()).contains("already holds a CNT file system")
                    .doesNotContain("Exception");
            CntProcesses.Result cntFsck = cnt.run("fsck", "files");
            assertThat(cntFsck.code()).as(cntFsck.out() + cntFsck.err()).isZero();
            assertThat(cntFsck.out()).contains("volume files: clean (0 files, 1 directories");

            assertThat(cnt.run("devnet", "down").out()).contains("devnet stopped");
            assertThat(cnt.run("devnet", "status").out()).contains("the devnet is down");
        } finally {
            cnt.close(mounts);
        }
    }

    private static void awaitMounted(Path path) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!Mountpoint.isMounted(path)) {
            assertThat(System.currentTimeMillis()).as(path + " gets mounted").isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
