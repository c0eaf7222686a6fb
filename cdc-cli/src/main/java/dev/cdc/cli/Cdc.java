package dev.cdc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./cdc} command line. Each subcommand wires modules together; none holds business logic. */
@Command(name = "cdc", mixinStandardHelpOptions = true, version = "cdc 0.1.0",
        description = "Oracle change events (Debezium format) through Solace PubSub+ into Spark/PostgreSQL or Flink/REST.",
        subcommands = {
            DemoCommand.class,
            InfraCommand.class,
            StatusCommand.class,
            GenerateCommand.class,
            SparkCommand.class,
            FlinkCommand.class,
            ApiCommand.class,
            VerifyCommand.class,
            BenchCommand.class,
            DlqCommand.class,
            ScenariosCommand.class,
            StopCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Cdc implements Runnable {

    /** Exit code for bad flags or configuration. */
    public static final int BAD_INPUT = 2;
    /** Exit code for a command whose capability is not built yet. */
    public static final int NOT_BUILT = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: bad input is one line naming the flag, exit 2, no stack trace. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Cdc());
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            String name = cmd.getCommandSpec().qualifiedName();
            cmd.getErr().println(name + ": " + ex.getMessage() + " (see '" + name + " --help')");
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException) {
                cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
                return BAD_INPUT;
            }
            if (ex instanceof dev.cdc.infra.PortTakenException) { // one line that says what to do, no trace
                cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        return cli;
    }
}
