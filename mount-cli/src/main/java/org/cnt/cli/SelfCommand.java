package org.cnt.cli;

import java.util.ArrayList;
import java.util.List;

/** The command line that runs this same {@code cnt} (JVM, its flags, class path) again. */
final class SelfCommand {
    private SelfCommand() {
    }

    static List<String> with(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean()
                .getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(args);
        return command;
    }
}
