package dev.cdc.e2e.scenario;

import dev.cdc.e2e.pipeline.PipelineRun;
import dev.cdc.generator.GeneratorConfig;

/**
 * F6, F10, S and X: situations the generator produces in its messages (malformed bodies; late duplicates and older
 * changes after newer ones; schema changes; XML), published at the usual rate with nothing else going wrong. The
 * truth knows what each does, the dead letters included. D publishes all four together with Debezium's own
 * events, so by default they run there; each runs alone when named.
 */
final class GeneratorScenarios extends FaultUnderLoad {

    private final String generatorScenarios;

    private GeneratorScenarios(String id, String generatorScenarios, String done) {
        super(id, ScenarioContext.BOTH, done);
        this.generatorScenarios = generatorScenarios;
    }

    static GeneratorScenarios malformed() {
        return new GeneratorScenarios("F6", "F6", "malformed bodies under load (generator F6)");
    }

    static GeneratorScenarios lateAndOutOfOrder() {
        return new GeneratorScenarios("F10", "F10", "late duplicates, older after newer (generator F10)");
    }

    static GeneratorScenarios schema() {
        return new GeneratorScenarios("S", "schema", "schema changes S1-S6 under load");
    }

    static GeneratorScenarios xml() {
        return new GeneratorScenarios("X", "xml", "XML cases X1-X8 under load");
    }

    /** Every generator scenario these four stand for, as D's load. */
    static final String ALL = "F6,F10,schema,xml";

    @Override
    public String coveredBy() {
        return "D";
    }

    @Override
    GeneratorConfig load(ScenarioContext context) {
        return ScenarioContext.load(generatorScenarios);
    }

    @Override
    void fault(ScenarioContext context, PipelineRun run) {
        context.phase("generator scenarios " + generatorScenarios + " in the stream");
    }
}
