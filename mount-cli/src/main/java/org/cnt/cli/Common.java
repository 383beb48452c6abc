package org.cnt.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options and helpers every leaf command mixes in. */
final class Common {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    Context context() {
        return ((Main) spec.root().userObject()).context();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
