package org.cnt.fs.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.cnt.blockdev.BlockDevice;
import org.cnt.fs.Caller;
import org.cnt.fs.FsException;
import org.cnt.fs.FsOptions;
import org.cnt.fs.FsckReport;

/**
 * {@code cnt fsck}: checks every structure ({@link FsckScan}) and, asked to repair, fixes what it
 * safely can — entries naming free or damaged inodes removed, damaged inodes freed, files in no
 * directory put in /lost+found, link counts and bitmaps set to what the structures say — then
 * checks again. Blocks two files claim are reported, never guessed at. Opening replays the
 * journal, as a mount would; a check alone writes nothing else.
 */
public final class Fsck {
    private Fsck() {
    }

    public static FsckReport run(BlockDevice device, boolean repair) throws IOException {
        return run(new DeviceBlocks(device, Disk.blockSizeOf(device)), repair);
    }

    /** Whether the device holds a CNT filesystem (a sound superblock or copy of one). */
    public static boolean holdsFilesystem(BlockDevice device) throws IOException {
        try {
            Disk.blockSizeOf(device);
            return true;
        } catch (org.cnt.fs.CorruptFilesystemException none) {
            return false;
        }
    }

    static FsckReport run(Blocks blocks, boolean repair) throws IOException {
        FsOptions options = FsOptions.DEFAULTS.withCommitIntervalMs(0).withReadOnly(!repair);
        List<String> repaired = new ArrayList<>();
        try {
            CntFilesystem.open(blocks, options.withReadOnly(true)).close();
        } catch (DamagedJournalException e) {
            if (!repair) {
                return new FsckReport(List.of("the journal is damaged (" + e.getMessage()
                        + "); --repair resets it, losing the changes it held"), repaired, 0, 0,
                        0);
            }
            Journal.format(blocks, Disk.layoutOf(blocks));
            repaired.add("reset the damaged journal (the changes it held are lost)");
        }
        // A fix can show what it hid (a lost directory's children): a few rounds at most.
        for (int round = 0; round < 3; round++) {
            try (CntFilesystem fs = CntFilesystem.open(blocks, options)) {
                FsckScan scan = new FsckScan(fs.state()).run();
                if (!repair || scan.problems.isEmpty()) {
                    return report(scan, repaired);
                }
                new Repair(fs, repaired).apply(scan);
            }
            try (CntFilesystem fs = CntFilesystem.open(blocks, options)) {
                FsckScan scan = new FsckScan(fs.state()).run();
                new Repair(fs, repaired).bitmaps(scan);
            }
        }
        try (CntFilesystem fs = CntFilesystem.open(blocks, options.withReadOnly(true))) {
            return report(new FsckScan(fs.state()).run(), repaired);
        }
    }

    private static FsckReport report(FsckScan scan, List<String> repaired) {
        return new FsckReport(scan.problems, repaired.stream().distinct().toList(), scan.files,
                scan.directories,
                scan.usedBlocks);
    }

    /** The fixes, each in its own handle. */
    private record Repair(CntFilesystem fs, List<String> done) {
        void apply(FsckScan scan) throws IOException {
            FsState state = fs.state();
            for (FsckScan.BadEntry entry : scan.badEntries) {
                try (Transaction transaction = state.committer.begin(8);
                     InodeLocks.Held held = state.locks.write(entry.directory())) {
                    Node node = state.node(state.rawInode(entry.directory()));
                    Directory.remove(transaction, node, entry.name());
                }
                done.add("removed entry '" + entry.name() + "' of directory "
                        + entry.directory() + " (it named " + entry.why() + ")");
            }
            for (long n : scan.damaged) {
                if (n <= Disk.ORPHAN_INODE) {
                    continue;
                }
                try (Transaction transaction = state.committer.begin(4)) {
                    java.nio.ByteBuffer.wrap(transaction.block(Disk.inodeBlock(state.layout, n)))
                            .position(Disk.inodeOffset(state.layout, n))
                            .put(new byte[Layout.INODE_BYTES]);
                    state.committer.repairBit(true, n, false);
                    state.forget(n);
                }
                done.add("cleared damaged inode " + n);
            }
            for (long n : scan.unreachable) {
                relink(n);
            }
            for (var wrong : scan.wrongLinks.entrySet()) {
                long n = wrong.getKey();
                try (Transaction transaction = state.committer.begin(2);
                     InodeLocks.Held held = state.locks.write(n)) {
                    transaction.put(state.rawInode(n).withNlink(wrong.getValue()));
                }
                done.add("set the link count of inode " + n + " to " + wrong.getValue());
            }
            for (var wrong : scan.inodeBitsWrong.entrySet()) {
                state.committer.repairBit(true, wrong.getKey(), wrong.getValue());
                done.add("marked inode " + wrong.getKey() + (wrong.getValue() ? " in use"
                        : " free"));
            }
            state.committer.commit();
        }

        /** Puts an inode that no directory names into /lost+found as "#number". */
        private void relink(long n) throws IOException {
            FsState state = fs.state();
            long lostFound = lostFound();
            Inode inode = state.rawInode(n);
            try (Transaction transaction = state.committer.begin(16);
                 InodeLocks.Held held = state.locks.write(lostFound, n)) {
                Inode dir = state.rawInode(lostFound);
                Node node = state.node(dir);
                dir = Directory.add(state, transaction, node, dir, "#" + n, n,
                        Directory.type(inode.mode()));
                if (inode.isDirectory()) {
                    Directory.retarget(transaction, state.node(inode), "..", lostFound,
                            Directory.type(Inode.S_IFDIR));
                    dir = dir.withNlink(dir.nlink() + 1);
                    state.parent(n, lostFound);
                } else {
                    transaction.put(inode.withNlink(1));
                }
                transaction.put(dir);
            }
            done.add("put inode " + n + " in /lost+found as #" + n);
        }

        private long lostFound() throws IOException {
            try {
                return fs.lookup(Caller.ROOT, CntFilesystem.ROOT, "lost+found").inode();
            } catch (FsException absent) {
                return fs.mkdir(Caller.ROOT, CntFilesystem.ROOT, "lost+found", 0700).inode();
            }
        }

        /** Commits now and then, so the bitmap blocks fixes dirty always fit a transaction. */
        private int commitEvery(int fixed) throws IOException {
            if ((fixed + 1) % 16 == 0) {
                fs.state().committer.commit();
            }
            return fixed + 1;
        }

        void bitmaps(FsckScan scan) throws IOException {
            FsState state = fs.state();
            int fixed = 0;
            for (long b : scan.blocksMarkedButUnused) {
                if (!scan.sharedBlocks.contains(b)) {
                    state.committer.repairBit(false, b, false);
                    fixed = commitEvery(fixed);
                }
            }
            for (long b : scan.blocksUsedButFree) {
                state.committer.repairBit(false, b, true);
                fixed = commitEvery(fixed);
            }
            state.committer.commit();
            if (!scan.blocksMarkedButUnused.isEmpty()) {
                done.add("marked " + scan.blocksMarkedButUnused.size() + " unused block(s) free");
            }
            if (!scan.blocksUsedButFree.isEmpty()) {
                done.add("marked " + scan.blocksUsedButFree.size() + " block(s) in use");
            }
            if (!scan.sharedBlocks.isEmpty()) {
                done.add("left " + scan.sharedBlocks.size() + " block(s) claimed by two files "
                        + "as they are: copy those files out and delete them");
            }
        }
    }

}
