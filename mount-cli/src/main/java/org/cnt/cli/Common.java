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

    /** Prints {@code value} as JSON under {@code --json}, otherwise the way {@code human} does. */
    int emit(Object value, java.util.function.Consumer<PrintWriter> human) {
        if (json) {
            Output.json(out(), value);
        } else {
            human.accept(out());
        }
        return 0;
    }
}
