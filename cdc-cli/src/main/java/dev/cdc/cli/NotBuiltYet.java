package dev.cdc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;

/** A command whose capability is not built yet: it says so in one line and fails, never fakes output. */
abstract class NotBuiltYet implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What is missing, e.g. "the Spark pipeline (issue 7)". */
    abstract String missing();

    @Override
    public Integer call() {
        spec.commandLine().getErr().println(spec.qualifiedName() + ": not built yet: " + missing());
        return Cdc.NOT_BUILT;
    }
}
