package org.cnt.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.stream.Stream;

/** One run of the CLI in this process: its exit code and what it printed. */
record CliRun(int code, String out, String err) {
    /** Runs {@code cnt} with {@code global} options (such as --home) before {@code args}. */
    static CliRun of(String[] global, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Stream.of(global), Stream.of(args)).toArray(String[]::new);
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new CliRun(code, out.toString(), err.toString());
    }
}
