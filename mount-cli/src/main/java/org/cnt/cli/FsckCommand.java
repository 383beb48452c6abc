package org.cnt.cli;

import java.util.concurrent.Callable;
import org.cnt.blockdev.internal.OpenVolume;
import org.cnt.fs.CorruptFilesystemException;
import org.cnt.fs.FsckReport;
import org.cnt.fs.internal.Fsck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cnt fsck VOLUME}: checks the file system of a volume (not mounted) and, with
 * {@code --repair}, fixes what it safely can. Exit codes as e2fsck's: 0 clean, 1 problems found
 * and all repaired, 4 problems left.
 */
@Command(name = "fsck", description = {"Check the CNT file system of a volume that is not "
        + "mounted.", "Exit code: 0 clean, 1 problems found and all repaired, 4 problems left."})
final class FsckCommand implements Callable<Integer> {
    static final int REPAIRED = 1;
    static final int PROBLEMS_LEFT = 4;

    @Mixin
    Common common;

    @Mixin
    VolumeAccess access;

    @Parameters(paramLabel = "VOLUME", description = "id or name")
    String volume;

    @Option(names = "--repair", description = "fix what can be fixed safely")
    boolean repair;

    @Override
    public Integer call() throws Exception {
        FsckReport report;
        try (OpenVolume device = access.open(common.context(), volume)) {
            try {
                report = Fsck.run(device, repair);
            } catch (CorruptFilesystemException e) {
                common.out().println("volume " + volume + ": " + e.getMessage());
                return PROBLEMS_LEFT;
            }
        }
        return common.emit(report, out -> print(out, report)) == 0 ? code(report) : 0;
    }

    private int code(FsckReport report) {
        if (!report.clean()) {
            return PROBLEMS_LEFT;
        }
        return report.repaired().isEmpty() ? 0 : REPAIRED;
    }

    private void print(java.io.PrintWriter out, FsckReport report) {
        for (String problem : report.problems()) {
            out.println("problem: " + problem);
        }
        for (String fixed : report.repaired()) {
            out.println("repaired: " + fixed);
        }
        String summary = report.files() + " files, " + report.directories() + " directories, "
                + report.usedBlocks() + " blocks in use";
        if (report.clean()) {
            out.println("volume " + volume + ": clean (" + summary + ")");
        } else {
            out.println("volume " + volume + ": " + report.problems().size() + " problem(s) "
                    + (repair ? "left that cannot be repaired safely" : "found; run 'cnt fsck "
                    + volume + " --repair' to fix what can be fixed") + " (" + summary + ")");
        }
    }
}
